import { Router } from 'express';
import { z } from 'zod';
import {
  AdvanceSchema,
  CompleteItemSchema,
  CreatePartnershipSchema,
  ListPartnershipsQuerySchema,
  PartnershipIdSchema,
  ReviewDecisionSchema,
} from '../../domain/schemas';
import type { PartnershipService } from '../partnership-service';
import { bodyOf, pathParam, queryOf } from '../input';
import { partnerRoutes } from '../partners/partner-routes';
import { resourceRoutes } from '../resources/resource-routes';
import { progressRoutes } from '../resources/progress-routes';
import { reviewRoutes } from '../reviews/review-routes';
import { sectionRoutes } from './sections';

const ItemIdSchema = z.string().min(1).max(200);

/** Managers and tools: start, list, read and drive partnerships. */
export function partnershipsRouter(service: PartnershipService): Router {
  const router = Router();

  router.post('/', async (req, res) => {
    const input = bodyOf(req, CreatePartnershipSchema);
    const view = await service.start(input);
    res.status(201).location(`/api/partnerships/${view.id}`).json(view);
  });

  router.get('/', async (req, res) => {
    const query = queryOf(req, ListPartnershipsQuerySchema);
    // Set by personRules for a signed-in person who is not an administrator: the addresses they hold.
    const managedByAny = res.locals.managedByAny as string[] | undefined;
    res.json(await service.list({ ...query, ...(managedByAny ? { managedByAny } : {}) }));
  });

  router.get('/:id', async (req, res) => {
    res.json(await service.get(pathParam(req, 'id', PartnershipIdSchema)));
  });

  router.post('/:id/checklist/:itemId/complete', async (req, res) => {
    const id = pathParam(req, 'id', PartnershipIdSchema);
    const itemId = pathParam(req, 'itemId', ItemIdSchema);
    const body = bodyOf(req, CompleteItemSchema);
    res.json(await service.completeItem(id, itemId, body));
  });

  router.post('/:id/advance', async (req, res) => {
    const id = pathParam(req, 'id', PartnershipIdSchema);
    const task = await service.requestAdvance(id, bodyOf(req, AdvanceSchema));
    res.status(202).json({ task });
  });

  router.post('/:id/decision', async (req, res) => {
    const id = pathParam(req, 'id', PartnershipIdSchema);
    const task = await service.requestReviewDecision(id, bodyOf(req, ReviewDecisionSchema));
    res.status(202).json({ task });
  });

  partnerRoutes(router, service);
  resourceRoutes(router, service);
  progressRoutes(router, service);
  reviewRoutes(router, service);
  sectionRoutes(router, service);

  return router;
}
