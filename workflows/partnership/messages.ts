import { defineSignal } from '@temporalio/workflow';

/** What a partnership tells the work it started when it closes: when, and why, in a sentence kept on the record. */
export interface PartnershipClosed {
  at: string;
  reason: string;
}

/**
 * Sent by a partnership that closes (an approved "exit") to each onboarding,
 * review and financial channel it started that is still open (patch
 * `open-work-closes-with-partnership`): they stop taking answers at once, end,
 * and report nothing back to the closed partnership. A stable name: running
 * children receive it by this name.
 */
export const partnershipClosedSignal = defineSignal<[PartnershipClosed]>('partnershipClosed');

/** The governance decision a partnership took through its own gate while one of its reviews was still open. */
export interface ReviewDecidedByPartnership {
  decision: 'continue' | 'adapt' | 'exit';
  notes?: string;
  /** Who asked for it (the audit's `by`), and when the approvers approved it (ISO 8601). */
  by: string;
  at: string;
}

/**
 * Sent by a partnership to its open review when the manager's own review
 * decision passed the partnership's gate (patch `review-decided-by-gate`):
 * the review stops waiting for answers, compiles its report with what it
 * has, withdraws its own decision task from the approvers, and reports that
 * decision back as its outcome. Before, the review's task stayed open into
 * the next cycle and blocked its next review.
 */
export const reviewDecidedByPartnershipSignal = defineSignal<[ReviewDecidedByPartnership]>('reviewDecidedByPartnership');
