import type { Request, Router } from 'express';
import { z } from 'zod';
import { ChannelProposalSchema, FiduciaryRuleSchema, ResourceStrategySchema, RoadmapActivityInputSchema, PartnershipIdSchema, RefSchema } from '../../domain/schemas';
import type { PartnershipService } from '../partnership-service';
import { HttpError } from '../errors';
import { bodyOf, pathParam } from '../input';

const etagOf = (version: number) => `"${version}"`;

const VersionSchema = z.coerce.number().int().min(0);

/**
 * The version a replace-style write was made from: the `If-Match` header
 * (`"3"` or `W/"3"`, as our ETags give it), else a `version` field in the body.
 * Absent means "replace whatever is there".
 */
function expectedVersion(req: Request): number | undefined {
  const header = req.get('if-match');
  const fromBody = (req.body as { version?: unknown } | undefined)?.version;
  const [where, raw] = header !== undefined ? ['If-Match', header.replace(/^W\//, '').replace(/^"|"$/g, '')] : ['version', fromBody];
  if (raw === undefined) return undefined;
  const parsed = VersionSchema.safeParse(raw);
  if (!parsed.success) throw new HttpError(400, `${where}: must be the version you loaded (a whole number, as the ETag of the GET gives it), e.g. If-Match: "3"`);
  return parsed.data;
}

/** Resources under `/api/partnerships/:id`: roadmap activities, resource strategy and fiduciary rule (replace-style, with ETags), funding channels and the funding summary. Mounted by `partnershipsRouter`. */
export function resourceRoutes(router: Router, service: PartnershipService): void {
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
