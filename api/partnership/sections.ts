import type { Router } from 'express';
import { z } from 'zod';
import { PartnershipIdSchema, SectionWriteSchema } from '../../domain/schemas';
import { SECTION_IDS } from '../../domain/partnership/sections';
import type { PartnershipService } from '../partnership-service';
import { bodyOf, pathParam } from '../input';
import { etagOf, expectedVersion } from '../versions';

export const SectionIdSchema = z.enum(SECTION_IDS);

/**
 * The partnership's written sections under `/api/partnerships/:id/sections`
 * (domain/partnership/sections.ts): replace-style, so each GET answers an
 * ETag and each PUT sends it back as If-Match — 428 without it, 409 with
 * `details.currentVersion` when someone wrote the section since. Mounted by
 * `partnershipsRouter`.
 */
export function sectionRoutes(router: Router, service: PartnershipService): void {
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
