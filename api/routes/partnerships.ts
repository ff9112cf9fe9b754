import { Router } from 'express';
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
    res.json(await service.upsertActivity(id, bodyOf(req, RoadmapActivityInputSchema)));
  });

  router.get('/:id/roadmap', async (req, res) => {
    const view = await service.get(pathParam(req, 'id', PartnershipIdSchema));
    res.json({ roadmap: view.roadmap, channels: view.funding.activities });
  });

  router.put('/:id/resource-strategy', async (req, res) => {
    const id = pathParam(req, 'id', PartnershipIdSchema);
    res.json(await service.setResourceStrategy(id, bodyOf(req, ResourceStrategySchema)));
  });

  router.put('/:id/fiduciary-rule', async (req, res) => {
    const id = pathParam(req, 'id', PartnershipIdSchema);
    res.json({ rule: await service.setFiduciaryRule(id, bodyOf(req, FiduciaryRuleSchema).rule) });
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
