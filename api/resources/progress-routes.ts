import type { Router } from 'express';
import { ActivityProgressSchema, PartnershipIdSchema, RefSchema } from '../../domain/schemas';
import type { PartnershipService } from '../partnership-service';
import { HttpError } from '../errors';
import { bodyOf, pathParam } from '../input';
import { etagOf, expectedVersion } from '../versions';

/**
 * Progress on roadmap activities under `/api/partnerships/:id` (guide
 * II.2.C): each activity's records, newest last, with its progress version as
 * the ETag; a new record sends that version back as If-Match (428 without it,
 * 409 when someone recorded since). Mounted by `partnershipsRouter`.
 */
export function progressRoutes(router: Router, service: PartnershipService): void {
  router.get('/:id/roadmap/:activityId/progress', async (req, res) => {
    const id = pathParam(req, 'id', PartnershipIdSchema);
    const activityId = pathParam(req, 'activityId', RefSchema);
    const view = await service.get(id);
    if (!view.roadmap.some((a) => a.id === activityId)) throw new HttpError(404, `no roadmap activity "${activityId}" on partnership "${id}"`);
    const records = view.activityProgress[activityId] ?? [];
    const version = view.versions[`progress:${activityId}`] ?? 0;
    res.set('etag', etagOf(version)).json({ activityId, status: records.at(-1)?.status ?? 'not-started', records, version });
  });

  router.post('/:id/roadmap/:activityId/progress', async (req, res) => {
    const id = pathParam(req, 'id', PartnershipIdSchema);
    const activityId = pathParam(req, 'activityId', RefSchema);
    const record = await service.recordActivityProgress(id, activityId, bodyOf(req, ActivityProgressSchema), expectedVersion(req));
    res.status(201).set('etag', etagOf(record.version)).json(record);
  });
}
