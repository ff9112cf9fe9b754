import { randomUUID } from 'node:crypto';
import type { Router } from 'express';
import { z } from 'zod';
import { AdvanceSchema, PartnershipIdSchema, RemindReviewSchema } from '../../domain/schemas';
import type { PartnershipService } from '../partnership-service';
import { HttpError } from '../errors';
import { bodyOf, pathParam } from '../input';

/** Reviews under `/api/partnerships/:id`: start one, list them, read one with its answers, and the indicator series. Mounted by `partnershipsRouter`. */
export function reviewRoutes(router: Router, service: PartnershipService): void {
  router.post('/:id/reviews', async (req, res) => {
    const id = pathParam(req, 'id', PartnershipIdSchema);
    const { by } = bodyOf(req, AdvanceSchema);
    res.status(202).json({ review: await service.startReview(id, by) });
  });

  router.get('/:id/reviews', async (req, res) => {
    res.json({ reviews: (await service.get(pathParam(req, 'id', PartnershipIdSchema))).reviews });
  });

  router.get('/:id/reviews/:reviewId', async (req, res) => {
    const id = pathParam(req, 'id', PartnershipIdSchema);
    const reviewId = pathParam(req, 'reviewId', z.string().max(300));
    const ref = (await service.get(id)).reviews.find((r) => r.id === reviewId || String(r.number) === reviewId);
    if (!ref) throw new HttpError(404, `no review "${reviewId}" on ${id}`);
    const state = await service.review(ref.id);
    res.json({ ...ref, step: state.step, deadlineAt: state.deadlineAt, answers: state.answers, report: state.report ?? null, partners: state.request.partners });
  });

  router.post('/:id/reviews/:reviewId/reminders', async (req, res) => {
    const id = pathParam(req, 'id', PartnershipIdSchema);
    const reviewId = pathParam(req, 'reviewId', z.string().max(300));
    const { key, by } = bodyOf(req, RemindReviewSchema);
    const view = await service.get(id);
    const ref = view.reviews.find((r) => r.id === reviewId || String(r.number) === reviewId);
    if (!ref) throw new HttpError(404, `no review "${reviewId}" on ${id}`);
    res.json({ reminder: await service.remindReview(ref.id, { key: key ?? randomUUID(), by: by ?? view.manager.name }) });
  });

  router.get('/:id/indicators', async (req, res) => {
    const view = await service.get(pathParam(req, 'id', PartnershipIdSchema));
    const targets = view.roadmap.flatMap((a) => a.targets.map((t, i) => ({ key: `${a.id}/${i}`, activityId: a.id, activityTitle: a.title, ...t })));
    res.json({
      indicators: targets.map((t) => ({ ...t, series: view.indicatorSeries.filter((p) => p.key === t.key) })),
    });
  });
}
