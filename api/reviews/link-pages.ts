/** The pages behind the focal points' emailed links (`/reviews/:token`): a review's form, and the answers once recorded. */
import { TASK_KINDS } from '../../domain/human-tasks/kinds';
import { wordsOfKind } from '../pages/kind-words';
import { Router } from 'express';
import { z } from 'zod';
import { partnerByEmail } from '../../domain/reviews/review';
import { reviewAnswerFromForm, ReviewAnswerSchema } from '../../domain/reviews/schemas';
import { verifyTaskTokenOfKind, type LinkKeys } from '../../infra/task-token';
import { HttpError, isClosedWorkflow } from '../errors';
import { bodyOf } from '../input';
import { wantsJson } from '../pages/layout';
import { pageLanguage, renderPage } from '../pages/views';
import { refuseIfClosed } from '../pages/closed-requests';
import { RuleError } from '../../domain/rule-error';
import { at, said } from '../../domain/said';
import type { ReviewPartner, ReviewState } from '../../domain/reviews/review';
import { reviewView } from '../pages/link-views';
import type { Language } from '../../domain/language';
import { translator } from '../../infra/i18n';
import type { ReviewsService } from './service';

/** The form's `value:<key>` fields folded into `values`, then checked. */
const ReviewFormSchema = z.preprocess((body) => reviewAnswerFromForm(body as Record<string, unknown>), ReviewAnswerSchema);

/**
 * Partners' focal points answer a review through their emailed link: GET shows
 * the form, POST records it once. A focal point who has not answered meets 410
 * "closed" with no form once the partnership has ended; one who has sees their
 * answers recorded (and a second submission hears so, 409, whatever else changed).
 */
export function reviewsRouter(service: ReviewsService, secret: LinkKeys): Router {
  const router = Router();

  async function load(token: string) {
    const claims = verifyTaskTokenOfKind(secret, token, 'review');
    const state = await service.review(claims.taskId);
    const partner = partnerByEmail(state, claims.email);
    if (!partner) throw new HttpError(403, said('refusals:review.notYours'));
    const answered = state.answers[partner.id];
    if (!answered) await refuseIfClosed(service, { workflowId: claims.taskId, partnershipId: state.request.partnershipId, what: 'review' });
    return { claims, state, partner };
  }

  /** The refusal of a second submission, before any other: the answers are recorded, and when. */
  function refuseIfAnswered(state: ReviewState, partner: ReviewPartner): void {
    const answered = state.answers[partner.id];
    if (answered) throw new RuleError('Conflict', said('refusals:review.alreadyAnswered', { at: at(answered.at) }));
  }

  router.get('/:token', async (req, res) => {
    const { state, partner } = await load(req.params.token);
    res.set('cache-control', 'no-store');
    if (wantsJson(req)) {
      res.json(reviewView(state, partner, Date.now()));
      return;
    }
    const language = await pageLanguage(req, res, partner.contact, () => service.partnershipLanguage(state.request.partnershipId));
    res.type('html').send(renderReviewPage(state, partner, Date.now(), language));
  });

  router.post('/:token', async (req, res) => {
    // The link and the form are checked before the review is read.
    verifyTaskTokenOfKind(secret, req.params.token, 'review');
    const answer = bodyOf(req, ReviewFormSchema, { forms: true });
    const { claims, state, partner } = await load(req.params.token);
    refuseIfAnswered(state, partner);
    const recorded = await service.answerReview(claims.taskId, { email: claims.email, ...answer }).catch((err: unknown) => {
      if (isClosedWorkflow(err)) throw new HttpError(410, said('refusals:review.closed'));
      throw err;
    });
    if (wantsJson(req)) {
      res.json({ answer: recorded });
      return;
    }
    res.redirect(303, `/reviews/${req.params.token}`);
  });

  return router;
}

/** GET /reviews/:token — the focal point's form for one review, in `language`; rendering changes nothing. */
export function renderReviewPage(state: ReviewState, partner: ReviewPartner, now: number, language: Language): string {
  const r = state.request;
  return renderPage('review', language, {
    title: translator(language)('pages:review.title', { number: r.number, title: r.partnershipTitle }),
    state,
    partner,
    answer: state.answers[partner.id],
    closed: state.step !== 'collecting' || now > Date.parse(state.deadlineAt),
    kindWords: wordsOfKind(TASK_KINDS.reviewForm.id, language),
  });
}
