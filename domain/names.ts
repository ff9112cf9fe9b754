import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Stable Temporal names. Renaming any of these breaks running partnerships
 * (histories) and operators' saved Web UI queries, so they only ever grow.
 */
export const DEFAULT_TASK_QUEUE = 'msp-orchestrator';

export const WORKFLOW_TYPES = {
  partnership: 'partnershipWorkflow',
  approval: 'approvalWorkflow',
  partnerOnboarding: 'partnerOnboardingWorkflow',
  approverDigest: 'approverDigestWorkflow',
} as const;

export const SEARCH_ATTRIBUTES = {
  phase: defineSearchAttributeKey('MspPhase', SearchAttributeType.KEYWORD),
  cycle: defineSearchAttributeKey('MspCycle', SearchAttributeType.INT),
  status: defineSearchAttributeKey('MspStatus', SearchAttributeType.KEYWORD),
  manager: defineSearchAttributeKey('MspManager', SearchAttributeType.KEYWORD),
  /** Retired: organisations of the active partners, in one list that ended partnerships at Temporal's 2 KB limit. Still registered for runs that carry it; no longer written (patch partners-from-registry). */
  partners: defineSearchAttributeKey('MspPartners', SearchAttributeType.KEYWORD_LIST),
  /** When the review cadence next moves the partnership into reflective monitoring (set during collaborative action). */
  nextReviewAt: defineSearchAttributeKey('MspNextReviewAt', SearchAttributeType.DATETIME),
  /** The last approved gate or review decision, e.g. "approved" or "continue". */
  lastDecision: defineSearchAttributeKey('MspLastDecision', SearchAttributeType.KEYWORD),
  /** On approval tasks: the lowercased emails of everyone assigned so far (a few; escalation adds one). */
  approvers: defineSearchAttributeKey('MspApprovers', SearchAttributeType.KEYWORD_LIST),
  /** On approval tasks: what kind of decision it is, e.g. "partner-approval" (see `approvalTaskKind`). */
  taskKind: defineSearchAttributeKey('MspTaskKind', SearchAttributeType.KEYWORD),
} as const;

/**
 * Search attributes the API sets once, when it starts a partnership, from its
 * input (which never changes): the workflow neither writes nor clears them
 * (they are kept apart from SEARCH_ATTRIBUTES, whose keys the workflow owns),
 * and continue-as-new carries them over. Partnerships started before they
 * existed simply lack them.
 */
export const START_SEARCH_ATTRIBUTES = {
  /** The lowercased emails of the manager and every co-manager: whose "My partnerships" list it is on. */
  managers: defineSearchAttributeKey('MspManagers', SearchAttributeType.KEYWORD_LIST),
  /** The title, as full text: the console's search by title matches any of its words, in any script and case. */
  title: defineSearchAttributeKey('MspTitle', SearchAttributeType.TEXT),
} as const;

export const ALL_SEARCH_ATTRIBUTES = [...Object.values(SEARCH_ATTRIBUTES), ...Object.values(START_SEARCH_ATTRIBUTES)];

/** `temporal server start-dev --search-attribute` arguments for our keys. */
export function searchAttributeCliArgs(): string[] {
  const cliType: Record<string, string> = { KEYWORD: 'Keyword', INT: 'Int', TEXT: 'Text', DATETIME: 'Datetime', KEYWORD_LIST: 'KeywordList' };
  return ALL_SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=${cliType[key.type]}`]);
}

export function partnershipWorkflowId(slug: string): string {
  return `msp-${slug}`;
}

/**
 * The one digest workflow per approver. Emails are case-insensitive in
 * practice and we store them lowercased; the id stays readable for operators
 * (workflow ids accept any characters an address can hold).
 */
export function approverDigestWorkflowId(email: string): string {
  return `digest.${email.trim().toLowerCase()}`;
}
