import type { Router } from 'express';
import { ChangeRoleSchema, InvitePartnerSchema, StakeholderInputSchema, WithdrawPartnerSchema, PartnershipIdSchema, RefSchema } from '../../domain/schemas';
import type { PartnershipService } from '../partnership-service';
import { bodyOf, pathParam } from '../input';

/** The stakeholder map and partners under `/api/partnerships/:id`: map a stakeholder, invite or withdraw a partner, change a role. Mounted by `partnershipsRouter`. */
export function partnerRoutes(router: Router, service: PartnershipService): void {
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
}
