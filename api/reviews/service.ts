/**
 * The reviews capability's use of Temporal (guide II.2.D): start a reflective
 * review on the partnership, read the review's own workflow, pass on a focal
 * point's answers and remind those who have not answered. The routes
 * (./routes.ts), the console (./console.ts) and the review links
 * (./link-pages.ts) call it; the governance decision after a review is a
 * gate, asked for through the partnership's service.
 */
import type { ReviewRef } from '../../domain/partnership/state';
import type { PartnerReviewAnswer, ReviewAnswerInput, ReviewReminder, ReviewReminderInput, ReviewState } from '../../domain/reviews/review';
import { remindReviewUpdate, reviewAnswerUpdate, reviewStateQuery } from '../../workflows/reviews/messages';
import { startReviewUpdate } from '../../workflows/partnership/messages';
import { WorkflowCalls } from '../workflow-calls';

/** Reflective reviews: start, read, answer, remind. */
export class ReviewsService extends WorkflowCalls {
  startReview(id: string, by?: string): Promise<ReviewRef> {
    return this.update(id, startReviewUpdate, by ? { by } : {});
  }

  review(reviewId: string): Promise<ReviewState> {
    return this.client.workflow.getHandle(reviewId).query(reviewStateQuery);
  }

  answerReview(reviewId: string, input: ReviewAnswerInput): Promise<PartnerReviewAnswer> {
    return this.update(reviewId, reviewAnswerUpdate, input);
  }

  /** Reminds the review's partners who have not answered; the same `key` again is the same reminder (nothing sent twice). */
  remindReview(reviewId: string, input: ReviewReminderInput): Promise<ReviewReminder> {
    return this.update(reviewId, remindReviewUpdate, input);
  }
}
