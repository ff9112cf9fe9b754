import { registerTaskKind } from '../task-kind';
import { gate } from './gate';
import { reviewDecision } from './review-decision';
import { partnerApproval } from './partner-approval';
import { fundingChannel } from './funding-channel';
import { dueDiligence, invitation, reviewForm, signature } from './contact-forms';

/**
 * Every kind of human task the product runs: one line each (see
 * domain/human-tasks/task-kind.ts). Importing this module registers them.
 */
export const TASK_KINDS = {
  gate: registerTaskKind(gate),
  reviewDecision: registerTaskKind(reviewDecision),
  partnerApproval: registerTaskKind(partnerApproval),
  fundingChannel: registerTaskKind(fundingChannel),
  invitation: registerTaskKind(invitation),
  dueDiligence: registerTaskKind(dueDiligence),
  signature: registerTaskKind(signature),
  reviewForm: registerTaskKind(reviewForm),
} as const;

/** Lookups, from here so that whoever reads the registry has it filled (this module registers every kind on import). */
export { knownTaskKind, taskKinds, type HumanTaskKind, type LinkKind } from '../task-kind';
