import type { DocumentRef } from '../../domain/documents/documents';
import { pickLanguage } from '../../domain/language';
import type { ReviewState } from '../../domain/reviews/review';
import type { ActivityContext } from '../activity-context';

/* A reflective review closed: its MEL report written and stored. */

/** The review's report (activity names are stable: running workflows schedule them by name). */
export function reviewActivities(ctx: ActivityContext) {
  const { partnershipLanguage, storeDocument } = ctx;
  return {
    async createReviewReport(input: { state: ReviewState; at: string }): Promise<DocumentRef> {
      const r = input.state.request;
      const language = pickLanguage(await partnershipLanguage(r.partnershipId));
      return storeDocument(`${r.reviewId}.mel-report`, { kind: 'mel-report', state: input.state, at: input.at }, language, { partnershipId: r.partnershipId, kind: 'mel-report', cycle: r.cycle, phase: r.phase });
    },
  };
}
