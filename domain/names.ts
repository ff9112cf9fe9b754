/**
 * Stable Temporal names. Renaming any of these breaks running partnerships
 * (histories) and operators' saved Web UI queries, so they only ever grow.
 * Search attribute keys are Temporal SDK values and live with the workflows
 * (workflows/partnership/search-attributes.ts); this module stays free of the SDK.
 */
export const DEFAULT_TASK_QUEUE = 'msp-orchestrator';

export const WORKFLOW_TYPES = {
  partnership: 'partnershipWorkflow',
  approval: 'approvalWorkflow',
  partnerOnboarding: 'partnerOnboardingWorkflow',
  approverDigest: 'approverDigestWorkflow',
} as const;

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
