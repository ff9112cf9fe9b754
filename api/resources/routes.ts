/** The JSON API of resources under `/api/partnerships/:id` (guide II.2.B–C). */
import type { Router } from 'express';
import {
  ActivityProgressSchema,
  ChannelProposalSchema,
  FiduciaryRuleSchema,
  ResourceStrategySchema,
  RoadmapActivityInputSchema,
  SmartObjectiveInputSchema,
} from '../../domain/resources/schemas';
import { PartnershipIdSchema, RefSchema } from '../../domain/schemas';
import type { Services } from '../services';
import { HttpError } from '../errors';
import { bodyOf, pathParam } from '../input';
import { etagOf, expectedVersion } from '../versions';
import { said } from '../../domain/said';

/**
 * Resources under `/api/partnerships/:id`: roadmap activities, resource
 * strategy and fiduciary rule (replace-style: each GET answers an ETag, each
 * write sends it back as If-Match — 428 without it, 409 when stale), funding
 * channels and the funding summary. Mounted by `partnershipsRouter`.
 */
export function resourceRoutes(router: Router, services: Services): void {
  const { partnership, resources } = services;
  router.get('/:id/objectives', async (req, res) => {
    const view = await partnership.get(pathParam(req, 'id', PartnershipIdSchema));
    res.json({ objectives: view.objectives.map((o) => ({ ...o, version: view.versions[`objective:${o.id}`] ?? 0 })) });
  });

  router.get('/:id/objectives/:objectiveId', async (req, res) => {
    const id = pathParam(req, 'id', PartnershipIdSchema);
    const objectiveId = pathParam(req, 'objectiveId', RefSchema);
    const view = await partnership.get(id);
    const objective = view.objectives.find((o) => o.id === objectiveId);
    if (!objective) throw new HttpError(404, said('refusals:notFound.objective', { id: objectiveId, partnership: id }));
    const version = view.versions[`objective:${objectiveId}`] ?? 0;
    res.set('etag', etagOf(version)).json({ ...objective, version });
  });

  router.post('/:id/objectives', async (req, res) => {
    const id = pathParam(req, 'id', PartnershipIdSchema);
    const objective = await resources.upsertObjective(id, bodyOf(req, SmartObjectiveInputSchema), expectedVersion(req));
    res.set('etag', etagOf(objective.version)).json(objective);
  });

  router.post('/:id/roadmap', async (req, res) => {
    const id = pathParam(req, 'id', PartnershipIdSchema);
    const activity = await resources.upsertActivity(id, bodyOf(req, RoadmapActivityInputSchema), expectedVersion(req));
    res.set('etag', etagOf(activity.version)).json(activity);
  });

  router.get('/:id/roadmap', async (req, res) => {
    const view = await partnership.get(pathParam(req, 'id', PartnershipIdSchema));
    const roadmap = view.roadmap.map((a) => ({ ...a, version: view.versions[`activity:${a.id}`] ?? 0 }));
    res.json({ roadmap, channels: view.funding.activities });
  });

  router.get('/:id/roadmap/:activityId', async (req, res) => {
    const id = pathParam(req, 'id', PartnershipIdSchema);
    const activityId = pathParam(req, 'activityId', RefSchema);
    const view = await partnership.get(id);
    const activity = view.roadmap.find((a) => a.id === activityId);
    if (!activity) throw new HttpError(404, said('refusals:notFound.activity', { id: activityId, partnership: id }));
    const version = view.versions[`activity:${activityId}`] ?? 0;
    res.set('etag', etagOf(version)).json({ ...activity, version });
  });

  router.get('/:id/resource-strategy', async (req, res) => {
    const view = await partnership.get(pathParam(req, 'id', PartnershipIdSchema));
    const version = view.versions['resource-strategy'] ?? 0;
    res.set('etag', etagOf(version)).json({ ...view.resourceStrategy, version });
  });

  router.put('/:id/resource-strategy', async (req, res) => {
    const id = pathParam(req, 'id', PartnershipIdSchema);
    const strategy = await resources.setResourceStrategy(id, bodyOf(req, ResourceStrategySchema), expectedVersion(req));
    res.set('etag', etagOf(strategy.version)).json(strategy);
  });

  router.get('/:id/fiduciary-rule', async (req, res) => {
    const view = await partnership.get(pathParam(req, 'id', PartnershipIdSchema));
    const version = view.versions['fiduciary-rule'] ?? 0;
    res.set('etag', etagOf(version)).json({ rule: view.fiduciaryRule, version });
  });

  router.put('/:id/fiduciary-rule', async (req, res) => {
    const id = pathParam(req, 'id', PartnershipIdSchema);
    const result = await resources.setFiduciaryRule(id, bodyOf(req, FiduciaryRuleSchema).rule, expectedVersion(req));
    res.set('etag', etagOf(result.version)).json(result);
  });

  router.post('/:id/roadmap/:activityId/channel', async (req, res) => {
    const id = pathParam(req, 'id', PartnershipIdSchema);
    const activityId = pathParam(req, 'activityId', RefSchema);
    const channel = await resources.proposeChannel(id, activityId, bodyOf(req, ChannelProposalSchema));
    res.status(202).json({ channel });
  });

  router.get('/:id/funding', async (req, res) => {
    const view = await partnership.get(pathParam(req, 'id', PartnershipIdSchema));
    res.json({ fiduciaryRule: view.fiduciaryRule, resourceStrategy: view.resourceStrategy, ...view.funding });
  });

  progressRoutes(router, services);
}

/**
 * Progress on roadmap activities under `/api/partnerships/:id` (guide
 * II.2.C): each activity's records, newest last, with its progress version as
 * the ETag; a new record sends that version back as If-Match (428 without it,
 * 409 when someone recorded since). Mounted by `resourceRoutes`.
 */
function progressRoutes(router: Router, { partnership, resources }: Services): void {
  router.get('/:id/roadmap/:activityId/progress', async (req, res) => {
    const id = pathParam(req, 'id', PartnershipIdSchema);
    const activityId = pathParam(req, 'activityId', RefSchema);
    const view = await partnership.get(id);
    if (!view.roadmap.some((a) => a.id === activityId)) throw new HttpError(404, said('refusals:notFound.activity', { id: activityId, partnership: id }));
    const records = view.activityProgress[activityId] ?? [];
    const version = view.versions[`progress:${activityId}`] ?? 0;
    res.set('etag', etagOf(version)).json({ activityId, status: records.at(-1)?.status ?? 'not-started', records, version });
  });

  router.post('/:id/roadmap/:activityId/progress', async (req, res) => {
    const id = pathParam(req, 'id', PartnershipIdSchema);
    const activityId = pathParam(req, 'activityId', RefSchema);
    const record = await resources.recordActivityProgress(id, activityId, bodyOf(req, ActivityProgressSchema), expectedVersion(req));
    res.status(201).set('etag', etagOf(record.version)).json(record);
  });
}
