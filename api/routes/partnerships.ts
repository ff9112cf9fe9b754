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
    const input = CreatePartnershipSchema.parse(req.body ?? {});
    const view = await service.start(input);
    res.status(201).location(`/api/partnerships/${view.id}`).json(view);
  });

  router.get('/', async (req, res) => {
    const query = ListPartnershipsQuerySchema.parse(req.query);
    res.json(await service.list(query));
  });

  router.get('/:id', async (req, res) => {
    res.json(await service.get(PartnershipIdSchema.parse(req.params.id)));
  });

  router.post('/:id/checklist/:itemId/complete', async (req, res) => {
    const id = PartnershipIdSchema.parse(req.params.id);
    const itemId = ItemIdSchema.parse(req.params.itemId);
    const body = CompleteItemSchema.parse(req.body ?? {});
    res.json(await service.completeItem(id, itemId, body));
  });

  router.post('/:id/advance', async (req, res) => {
    const id = PartnershipIdSchema.parse(req.params.id);
    const task = await service.requestAdvance(id, AdvanceSchema.parse(req.body ?? {}));
    res.status(202).json({ task });
  });

  router.post('/:id/decision', async (req, res) => {
    const id = PartnershipIdSchema.parse(req.params.id);
    const task = await service.requestReviewDecision(id, ReviewDecisionSchema.parse(req.body ?? {}));
    res.status(202).json({ task });
  });

  router.post('/:id/stakeholders', async (req, res) => {
    const id = PartnershipIdSchema.parse(req.params.id);
    const stakeholder = await service.upsertStakeholder(id, StakeholderInputSchema.parse(req.body ?? {}));
    res.status(stakeholder.created ? 201 : 200).json(stakeholder);
  });

  router.post('/:id/stakeholders/:stakeholderId/invite', async (req, res) => {
    const id = PartnershipIdSchema.parse(req.params.id);
    const stakeholder = await service.invitePartner(id, RefSchema.parse(req.params.stakeholderId), InvitePartnerSchema.parse(req.body ?? {}));
    res.status(202).json({ stakeholder });
  });

  router.post('/:id/stakeholders/:stakeholderId/withdraw', async (req, res) => {
    const id = PartnershipIdSchema.parse(req.params.id);
    const stakeholder = await service.withdrawPartner(id, RefSchema.parse(req.params.stakeholderId), WithdrawPartnerSchema.parse(req.body ?? {}));
    res.status(202).json({ stakeholder });
  });

  router.post('/:id/role', async (req, res) => {
    const id = PartnershipIdSchema.parse(req.params.id);
    res.json(await service.changeRole(id, ChangeRoleSchema.parse(req.body ?? {})));
  });

  router.post('/:id/roadmap', async (req, res) => {
    const id = PartnershipIdSchema.parse(req.params.id);
    const activity = await service.upsertActivity(id, RoadmapActivityInputSchema.parse(req.body ?? {}), expectedVersion(req));
    res.set('etag', etagOf(activity.version)).json(activity);
  });

  router.get('/:id/roadmap', async (req, res) => {
    const view = await service.get(PartnershipIdSchema.parse(req.params.id));
    const roadmap = view.roadmap.map((a) => ({ ...a, version: view.versions[`activity:${a.id}`] ?? 0 }));
    res.json({ roadmap, channels: view.funding.activities });
  });

  router.get('/:id/resource-strategy', async (req, res) => {
    const view = await service.get(PartnershipIdSchema.parse(req.params.id));
    const version = view.versions['resource-strategy'] ?? 0;
    res.set('etag', etagOf(version)).json({ ...view.resourceStrategy, version });
  });

  router.put('/:id/resource-strategy', async (req, res) => {
    const id = PartnershipIdSchema.parse(req.params.id);
    const strategy = await service.setResourceStrategy(id, ResourceStrategySchema.parse(req.body ?? {}), expectedVersion(req));
    res.set('etag', etagOf(strategy.version)).json(strategy);
  });

  router.put('/:id/fiduciary-rule', async (req, res) => {
    const id = PartnershipIdSchema.parse(req.params.id);
    const result = await service.setFiduciaryRule(id, FiduciaryRuleSchema.parse(req.body ?? {}).rule, expectedVersion(req));
    res.set('etag', etagOf(result.version)).json(result);
  });

  router.post('/:id/roadmap/:activityId/channel', async (req, res) => {
    const id = PartnershipIdSchema.parse(req.params.id);
    const activityId = RefSchema.parse(req.params.activityId);
    const channel = await service.proposeChannel(id, activityId, ChannelProposalSchema.parse(req.body ?? {}));
    res.status(202).json({ channel });
  });

  router.get('/:id/funding', async (req, res) => {
    const view = await service.get(PartnershipIdSchema.parse(req.params.id));
    res.json({ fiduciaryRule: view.fiduciaryRule, resourceStrategy: view.resourceStrategy, ...view.funding });
  });

  router.post('/:id/reviews', async (req, res) => {
    const id = PartnershipIdSchema.parse(req.params.id);
    const { by } = AdvanceSchema.parse(req.body ?? {});
    res.status(202).json({ review: await service.startReview(id, by) });
  });

  router.get('/:id/reviews', async (req, res) => {
    res.json({ reviews: (await service.get(PartnershipIdSchema.parse(req.params.id))).reviews });
  });

  router.get('/:id/reviews/:reviewId', async (req, res) => {
    const id = PartnershipIdSchema.parse(req.params.id);
    const reviewId = z.string().max(300).parse(req.params.reviewId);
    const ref = (await service.get(id)).reviews.find((r) => r.id === reviewId || String(r.number) === reviewId);
    if (!ref) throw new HttpError(404, `no review "${reviewId}" on ${id}`);
    const state = await service.review(ref.id);
    res.json({ ...ref, step: state.step, deadlineAt: state.deadlineAt, answers: state.answers, report: state.report ?? null, partners: state.request.partners });
  });

  router.get('/:id/indicators', async (req, res) => {
    const view = await service.get(PartnershipIdSchema.parse(req.params.id));
    const targets = view.roadmap.flatMap((a) => a.targets.map((t, i) => ({ key: `${a.id}/${i}`, activityId: a.id, activityTitle: a.title, ...t })));
    res.json({
      indicators: targets.map((t) => ({ ...t, series: view.indicatorSeries.filter((p) => p.key === t.key) })),
    });
  });

  return router;
}
