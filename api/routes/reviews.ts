import { Router } from 'express';
import { partnerByEmail } from '../../domain/review';
import { reviewAnswerFromForm, ReviewAnswerSchema } from '../../domain/schemas';
import { verifyTaskTokenOfKind, type LinkKeys } from '../../infra/task-token';
import { HttpError, isClosedWorkflow } from '../errors';
import { renderReviewPage } from '../pages/review-page';
import { wantsJson } from '../pages/layout';
import { refuseIfEndedAbnormally } from './closed-requests';
import type { PartnershipService } from '../partnership-service';

/** Partners' focal points answer a review through their emailed link: GET shows the form, POST records it once. */
export function reviewsRouter(service: PartnershipService, secret: LinkKeys): Router {
  const router = Router();

  async function load(token: string) {
    const claims = verifyTaskTokenOfKind(secret, token, 'review');
    const state = await service.review(claims.taskId);
    const partner = partnerByEmail(state, claims.email);
    if (!partner) throw new HttpError(403, 'this review was not sent to you');
    if (state.step === 'collecting') await refuseIfEndedAbnormally(service, claims.taskId, 'review');
    return { claims, state, partner };
  }

  router.get('/:token', async (req, res) => {
    const { state, partner } = await load(req.params.token);
    res.set('cache-control', 'no-store').type('html').send(renderReviewPage(state, partner, Date.now()));
  });

  router.post('/:token', async (req, res) => {
    const { claims } = await load(req.params.token);
    const answer = ReviewAnswerSchema.parse(reviewAnswerFromForm((req.body ?? {}) as Record<string, unknown>));
    const recorded = await service.answerReview(claims.taskId, { email: claims.email, ...answer }).catch((err: unknown) => {
      if (isClosedWorkflow(err)) throw new HttpError(410, 'this review has closed');
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
