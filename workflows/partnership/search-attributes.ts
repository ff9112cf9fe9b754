import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { nextReviewAt } from '../../domain/reviews/review-gates';
import type { PartnershipState } from '../../domain/partnership/state';
import { activePartnerNames } from '../../domain/partners/partner-map';
import { durationMs } from '../../domain/durations';

/**
 * Our Temporal search attributes: the keys (stable names, like those in
 * domain/names.ts: renaming one breaks saved Web UI queries and running
 * partnerships), and what a partnership writes to them. The workflows write
 * them, the API filters lists by them, the cluster scripts register them.
 */

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
  /** On approval tasks, and on a partnership while a gate is open (patch gate-holders-searchable): the lowercased emails of everyone assigned so far (a few; escalation and hand-overs add one each). */
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

/**
 * What operators search partnerships by (Temporal search attributes): set by
 * the API when it starts a partnership and kept up to date by the workflow.
 * Each value is bounded (an enum, a number, a date, one email address):
 * which partnerships a partner is in comes from the registry, never from a
 * list here, because a list that grows with the partnership ends it at
 * Temporal's 2 KB limit (see search-attribute-limits.ts).
 */
export function partnershipSearchAttributes(state: PartnershipState) {
  const last = state.decisions[state.decisions.length - 1];
  const reviewAt = nextReviewAt(state, durationMs(state.input.timings.reviewEvery)!);
  return [
    { key: SEARCH_ATTRIBUTES.phase, value: state.phase },
    { key: SEARCH_ATTRIBUTES.cycle, value: state.cycle },
    { key: SEARCH_ATTRIBUTES.status, value: state.status },
    { key: SEARCH_ATTRIBUTES.manager, value: state.input.manager.email },
    ...(last ? [{ key: SEARCH_ATTRIBUTES.lastDecision, value: last.proposedDecision && last.outcome === 'approved' ? last.proposedDecision : last.outcome }] : []),
    ...(reviewAt ? [{ key: SEARCH_ATTRIBUTES.nextReviewAt, value: new Date(reviewAt) }] : []),
  ];
}

/**
 * `MspPartners` as runs recorded before the registry answered `?partner=`
 * wrote it: every active partner's organisation in one list. Only replays of
 * those runs use it (behind the `partners-from-registry` patch).
 */
export function legacyPartnersSearchAttribute(state: PartnershipState) {
  return { key: SEARCH_ATTRIBUTES.partners, value: activePartnerNames(state) };
}

/** Equal fingerprints mean equal search attributes: nothing to write. */
export function searchAttributesFingerprint(attributes: ReadonlyArray<{ key: { name: string }; value: unknown }>): string {
  return JSON.stringify(attributes.map((a) => [a.key.name, a.value]));
}
