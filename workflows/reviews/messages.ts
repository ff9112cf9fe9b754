import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { DocumentRef } from '../../domain/documents/documents';
import type { IndicatorPoint, PartnerReviewAnswer, ReviewAnswerInput, ReviewReminder, ReviewReminderInput, ReviewState } from '../../domain/reviews/review';

/**
 * What one can say to a periodic review, and what it tells its partnership:
 * Updates, query and signal with their argument types, and the review's
 * outcome. The workflows, the activities and the API import these, never
 * the review's implementation. Names are stable strings: running reviews
 * and partnerships receive them by name.
 */

export const reviewAnswerUpdate = defineUpdate<PartnerReviewAnswer, [ReviewAnswerInput]>('reviewAnswer');
export const reviewStateQuery = defineQuery<ReviewState>('reviewState');
/** A manager's "remind those who have not answered" (see `checkReviewReminder`): idempotent by its key. */
export const remindReviewUpdate = defineUpdate<ReviewReminder, [ReviewReminderInput]>('remindReview');

/** What a review reports when it has its report and decision (also `reflectiveReviewWorkflow`'s result). */
export interface ReviewOutcome {
  reviewId: string;
  number: number;
  report: DocumentRef | null;
  points: IndicatorPoint[];
  answered: number;
  asked: number;
  decision: { decision: 'continue' | 'adapt' | 'exit'; notes?: string; by: string; at: string } | null;
}

/** Sent to the partnership (by id) when a review has its report and decision. */
export const reviewCompletedSignal = defineSignal<[ReviewOutcome]>('reviewCompleted');
