import { Router, type Request } from 'express';
import { z } from 'zod';
import {
  AdvanceSchema,
  ChangeRoleSchema,
  ChannelProposalSchema,
  FiduciaryRuleSchema,
  ResourceStrategySchema,
  RoadmapActivityInputSchema,
  CompleteItemSchema,
  InvitePartnerSchema,
  StakeholderInputSchema,
  WithdrawPartnerSchema,
  CreatePartnershipSchema,
  ListPartnershipsQuerySchema,
  PartnershipIdSchema,
  RefSchema,
  ReviewDecisionSchema,
} from '../../domain/schemas';
import type { PartnershipService } from '../partnership-service';
import { HttpError } from '../errors';
import { bodyOf, pathParam, queryOf } from '../input';

const ItemIdSchema = z.string().min(1).max(200);

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
    res.json(await service.list(query));
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

  router.post('/:id/stakeholders', async (req, res) => {
    const id = pathParam(req, 'id', PartnershipIdSchema);
    const stakeholder = await service.upsertStakeholder(id, bodyOf(req, StakeholderInputSchema));
    res.status(stakeholder.created ? 201 : 200).json(stakeholder);
  });

  router.post('/:id/stakeholders/:stakeholderId/invite', async (req, res) => {
    const id = pathParam(req, 'id', PartnershipIdSchema);
    const stakeholder = await service.invitePartner(id, pathParam(req, 'stakeholderId', RefSchema), bodyOf(req, InvitePartnerSchema));
    res.status(202).json({ stakeholder });
  });

  router.post('/:id/stakeholders/:stakeholderId/withdraw', async (req, res) => {
    const id = pathParam(req, 'id', PartnershipIdSchema);
    const stakeholder = await service.withdrawPartner(id, pathParam(req, 'stakeholderId', RefSchema), bodyOf(req, WithdrawPartnerSchema));
    res.status(202).json({ stakeholder });
  });

  router.post('/:id/role', async (req, res) => {
    const id = pathParam(req, 'id', PartnershipIdSchema);
    res.json(await service.changeRole(id, bodyOf(req, ChangeRoleSchema)));
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

  router.get('/:id/indicators', async (req, res) => {
    const view = await service.get(pathParam(req, 'id', PartnershipIdSchema));
    const targets = view.roadmap.flatMap((a) => a.targets.map((t, i) => ({ key: `${a.id}/${i}`, activityId: a.id, activityTitle: a.title, ...t })));
    res.json({
      indicators: targets.map((t) => ({ ...t, series: view.indicatorSeries.filter((p) => p.key === t.key) })),
    });
  });

  return router;
}
