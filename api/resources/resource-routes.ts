import type { Router } from 'express';
import { ChannelProposalSchema, FiduciaryRuleSchema, ResourceStrategySchema, RoadmapActivityInputSchema, PartnershipIdSchema, RefSchema, SmartObjectiveInputSchema } from '../../domain/schemas';
import type { PartnershipService } from '../partnership-service';
import { HttpError } from '../errors';
import { bodyOf, pathParam } from '../input';
import { etagOf, expectedVersion } from '../versions';

/**
 * Resources under `/api/partnerships/:id`: roadmap activities, resource
 * strategy and fiduciary rule (replace-style: each GET answers an ETag, each
 * write sends it back as If-Match — 428 without it, 409 when stale), funding
 * channels and the funding summary. Mounted by `partnershipsRouter`.
 */
export function resourceRoutes(router: Router, service: PartnershipService): void {
  router.get('/:id/objectives', async (req, res) => {
    const view = await service.get(pathParam(req, 'id', PartnershipIdSchema));
    res.json({ objectives: view.objectives.map((o) => ({ ...o, version: view.versions[`objective:${o.id}`] ?? 0 })) });
  });

  router.get('/:id/objectives/:objectiveId', async (req, res) => {
    const id = pathParam(req, 'id', PartnershipIdSchema);
    const objectiveId = pathParam(req, 'objectiveId', RefSchema);
    const view = await service.get(id);
    const objective = view.objectives.find((o) => o.id === objectiveId);
    if (!objective) throw new HttpError(404, `no SMART objective "${objectiveId}" on partnership "${id}"`);
    const version = view.versions[`objective:${objectiveId}`] ?? 0;
    res.set('etag', etagOf(version)).json({ ...objective, version });
  });

  router.post('/:id/objectives', async (req, res) => {
    const id = pathParam(req, 'id', PartnershipIdSchema);
    const objective = await service.upsertObjective(id, bodyOf(req, SmartObjectiveInputSchema), expectedVersion(req));
    res.set('etag', etagOf(objective.version)).json(objective);
  });

  router.post('/:id/roadmap', async (req, res) => {
    const id = pathParam(req, 'id', PartnershipIdSchema);
    const activity = await service.upsertActivity(id, bodyOf(req, RoadmapActivityInputSchema), expectedVersion(req));
    res.set('etag', etagOf(activity.version)).json(activity);
  });

  router.get('/:id/roadmap', async (req, res) => {
    const view = await service.get(pathParam(req, 'id', PartnershipIdSchema));
    const roadmap = view.roadmap.map((a) => ({ ...a, version: view.versions[`activity:${a.id}`] ?? 0 }));
    res.json({ roadmap, channels: view.funding.activities });
  });

  router.get('/:id/roadmap/:activityId', async (req, res) => {
    const id = pathParam(req, 'id', PartnershipIdSchema);
    const activityId = pathParam(req, 'activityId', RefSchema);
    const view = await service.get(id);
    const activity = view.roadmap.find((a) => a.id === activityId);
    if (!activity) throw new HttpError(404, `no roadmap activity "${activityId}" on partnership "${id}"`);
    const version = view.versions[`activity:${activityId}`] ?? 0;
    res.set('etag', etagOf(version)).json({ ...activity, version });
  });

  router.get('/:id/resource-strategy', async (req, res) => {
    const view = await service.get(pathParam(req, 'id', PartnershipIdSchema));
    const version = view.versions['resource-strategy'] ?? 0;
    res.set('etag', etagOf(version)).json({ ...view.resourceStrategy, version });
  });

  router.put('/:id/resource-strategy', async (req, res) => {
    const id = pathParam(req, 'id', PartnershipIdSchema);
    const strategy = await service.setResourceStrategy(id, bodyOf(req, ResourceStrategySchema), expectedVersion(req));
    res.set('etag', etagOf(strategy.version)).json(strategy);
  });

  router.get('/:id/fiduciary-rule', async (req, res) => {
    const view = await service.get(pathParam(req, 'id', PartnershipIdSchema));
    const version = view.versions['fiduciary-rule'] ?? 0;
    res.set('etag', etagOf(version)).json({ rule: view.fiduciaryRule, version });
  });

  router.put('/:id/fiduciary-rule', async (req, res) => {
    const id = pathParam(req, 'id', PartnershipIdSchema);
    const result = await service.setFiduciaryRule(id, bodyOf(req, FiduciaryRuleSchema).rule, expectedVersion(req));
    res.set('etag', etagOf(result.version)).json(result);
  });

  router.post('/:id/roadmap/:activityId/channel', async (req, res) => {
    const id = pathParam(req, 'id', PartnershipIdSchema);
    const activityId = pathParam(req, 'activityId', RefSchema);
    const channel = await service.proposeChannel(id, activityId, bodyOf(req, ChannelProposalSchema));
    res.status(202).json({ channel });
  });

  router.get('/:id/funding', async (req, res) => {
    const view = await service.get(pathParam(req, 'id', PartnershipIdSchema));
    res.json({ fiduciaryRule: view.fiduciaryRule, resourceStrategy: view.resourceStrategy, ...view.funding });
  });
}
