/** The JSON API of reflective reviews under `/api/partnerships/:id`. */
import { randomUUID } from 'node:crypto';
import type { Router } from 'express';
import { z } from 'zod';
import { AdvanceSchema } from '../../domain/partnership/schemas';
import { PartnershipIdSchema } from '../../domain/schemas';
import { RemindReviewSchema } from '../../domain/reviews/schemas';
import type { Services } from '../services';
import { HttpError } from '../errors';
import { said } from '../../domain/said';
import { bodyOf, pathParam } from '../input';

/** Reviews under `/api/partnerships/:id`: start one, list them, read one with its answers, and the indicator series. Mounted by `partnershipsRouter`. */
export function reviewRoutes(router: Router, { partnership, reviews }: Services): void {
  router.post('/:id/reviews', async (req, res) => {
    const id = pathParam(req, 'id', PartnershipIdSchema);
    const { by } = bodyOf(req, AdvanceSchema);
    res.status(202).json({ review: await reviews.startReview(id, by) });
  });

  router.get('/:id/reviews', async (req, res) => {
    res.json({ reviews: (await partnership.get(pathParam(req, 'id', PartnershipIdSchema))).reviews });
  });

  router.get('/:id/reviews/:reviewId', async (req, res) => {
    const id = pathParam(req, 'id', PartnershipIdSchema);
    const reviewId = pathParam(req, 'reviewId', z.string().max(300));
    const ref = (await partnership.get(id)).reviews.find((r) => r.id === reviewId || String(r.number) === reviewId);
    if (!ref) throw new HttpError(404, said('refusals:review.notFound', { review: reviewId, partnership: id }));
    const state = await reviews.review(ref.id);
    res.json({ ...ref, step: state.step, deadlineAt: state.deadlineAt, answers: state.answers, report: state.report ?? null, partners: state.request.partners });
  });

  router.post('/:id/reviews/:reviewId/reminders', async (req, res) => {
    const id = pathParam(req, 'id', PartnershipIdSchema);
    const reviewId = pathParam(req, 'reviewId', z.string().max(300));
    const { key, by } = bodyOf(req, RemindReviewSchema);
    const view = await partnership.get(id);
    const ref = view.reviews.find((r) => r.id === reviewId || String(r.number) === reviewId);
    if (!ref) throw new HttpError(404, said('refusals:review.notFound', { review: reviewId, partnership: id }));
    res.json({ reminder: await reviews.remindReview(ref.id, { key: key ?? randomUUID(), by: by ?? view.manager.name }) });
  });

  router.get('/:id/indicators', async (req, res) => {
    const view = await partnership.get(pathParam(req, 'id', PartnershipIdSchema));
    const targets = view.roadmap.flatMap((a) => a.targets.map((t, i) => ({ key: `${a.id}/${i}`, activityId: a.id, activityTitle: a.title, ...t })));
    res.json({
      indicators: targets.map((t) => ({ ...t, series: view.indicatorSeries.filter((p) => p.key === t.key) })),
    });
  });
}
