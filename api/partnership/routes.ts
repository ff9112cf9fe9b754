/** The JSON API of partnerships (`/api/partnerships`): start, list, read, checklist, gates, sections. */
import { Router } from 'express';
import { z } from 'zod';
import { AdvanceSchema, CompleteItemSchema, CreatePartnershipSchema, ListPartnershipsQuerySchema, SectionWriteSchema } from '../../domain/partnership/schemas';
import { PartnershipIdSchema } from '../../domain/schemas';
import { ReviewDecisionSchema } from '../../domain/reviews/schemas';
import { SECTION_IDS } from '../../domain/partnership/sections';
import type { Services } from '../services';
import type { PartnershipService } from './service';
import { bodyOf, pathParam, queryOf } from '../input';
import { etagOf, expectedVersion } from '../versions';
import { partnerRoutes } from '../partners/routes';
import { resourceRoutes } from '../resources/routes';
import { reviewRoutes } from '../reviews/routes';
import { stakeholderInEnglish } from '../pages/link-views';

const ItemIdSchema = z.string().min(1).max(200);

const SectionIdSchema = z.enum(SECTION_IDS);

/**
 * Managers and tools: start, list, read and drive partnerships, under
 * `/api/partnerships`; each capability's own routes below `/:id` are mounted
 * here too (api/<capability>/routes.ts).
 */
export function partnershipsRouter(services: Services): Router {
  const router = Router();
  const service = services.partnership;

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
    const view = await service.get(pathParam(req, 'id', PartnershipIdSchema));
    res.json({ ...view, stakeholders: view.stakeholders.map(stakeholderInEnglish) });
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

  partnerRoutes(router, services);
  resourceRoutes(router, services);
  reviewRoutes(router, services);
  sectionRoutes(router, service);

  return router;
}

/**
 * The partnership's written sections under `/api/partnerships/:id/sections`
 * (domain/partnership/sections.ts): replace-style, so each GET answers an
 * ETag and each PUT sends it back as If-Match — 428 without it, 409 with
 * `details.currentVersion` when someone wrote the section since. Mounted by
 * `partnershipsRouter`.
 */
function sectionRoutes(router: Router, service: PartnershipService): void {
  router.get('/:id/sections', async (req, res) => {
    const view = await service.get(pathParam(req, 'id', PartnershipIdSchema));
    res.json({ sections: view.sections });
  });

  router.get('/:id/sections/:sectionId', async (req, res) => {
    const id = pathParam(req, 'id', PartnershipIdSchema);
    const sectionId = pathParam(req, 'sectionId', SectionIdSchema);
    const section = (await service.get(id)).sections.find((s) => s.id === sectionId)!;
    res.set('etag', etagOf(section.version)).json(section);
  });

  router.put('/:id/sections/:sectionId', async (req, res) => {
    const id = pathParam(req, 'id', PartnershipIdSchema);
    const sectionId = pathParam(req, 'sectionId', SectionIdSchema);
    const section = await service.writeSection(id, sectionId, bodyOf(req, SectionWriteSchema), expectedVersion(req));
    res.set('etag', etagOf(section.version)).json(section);
  });
}
