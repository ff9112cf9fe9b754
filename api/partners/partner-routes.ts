import type { Router } from 'express';
import { ChangeRoleSchema, InvitePartnerSchema, ResendInvitationSchema, StakeholderInputSchema, WithdrawPartnerSchema, PartnershipIdSchema, RefSchema } from '../../domain/schemas';
import type { PartnershipService } from '../partnership-service';
import { bodyOf, pathParam } from '../input';
import { HttpError } from '../errors';
import { etagOf, expectedVersion } from '../versions';

/**
 * The stakeholder map and partners under `/api/partnerships/:id`: map a
 * stakeholder, invite or withdraw a partner, change a role. Each stakeholder
 * is a replace-style record: its GET answers an ETag, and a change to it sends
 * that back as If-Match (428 without it, 409 when stale); mapping a new one
 * needs none. Mounted by `partnershipsRouter`.
 */
export function partnerRoutes(router: Router, service: PartnershipService): void {
  router.get('/:id/stakeholders', async (req, res) => {
    const view = await service.get(pathParam(req, 'id', PartnershipIdSchema));
    res.json({ stakeholders: view.stakeholders.map((s) => ({ ...s, version: view.versions[`stakeholder:${s.id}`] ?? 0 })) });
  });

  router.get('/:id/stakeholders/:stakeholderId', async (req, res) => {
    const id = pathParam(req, 'id', PartnershipIdSchema);
    const stakeholderId = pathParam(req, 'stakeholderId', RefSchema);
    const view = await service.get(id);
    const stakeholder = view.stakeholders.find((s) => s.id === stakeholderId);
    if (!stakeholder) throw new HttpError(404, `no stakeholder "${stakeholderId}" on partnership "${id}"`);
    const version = view.versions[`stakeholder:${stakeholderId}`] ?? 0;
    res.set('etag', etagOf(version)).json({ ...stakeholder, version });
  });

  router.post('/:id/stakeholders', async (req, res) => {
    const id = pathParam(req, 'id', PartnershipIdSchema);
    const stakeholder = await service.upsertStakeholder(id, bodyOf(req, StakeholderInputSchema), expectedVersion(req));
    if (stakeholder.version !== undefined) res.set('etag', etagOf(stakeholder.version));
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

  /** Where the stakeholder's current (or last) onboarding stands: its steps, the due-diligence answers, the approval, the agreement, the signature. */
  router.get('/:id/stakeholders/:stakeholderId/onboarding', async (req, res) => {
    const id = pathParam(req, 'id', PartnershipIdSchema);
    const stakeholderId = pathParam(req, 'stakeholderId', RefSchema);
    const stakeholder = (await service.get(id)).stakeholders.find((s) => s.id === stakeholderId);
    if (!stakeholder?.onboardingId) throw new HttpError(404, `stakeholder "${stakeholderId}" on partnership "${id}" has never been invited`);
    res.json(await service.onboarding(stakeholder.onboardingId));
  });

  /** Emails the open step of the stakeholder's onboarding to its contact again; the same `key` again sends nothing more. */
  router.post('/:id/stakeholders/:stakeholderId/resend', async (req, res) => {
    const id = pathParam(req, 'id', PartnershipIdSchema);
    const stakeholderId = pathParam(req, 'stakeholderId', RefSchema);
    const { key, by } = bodyOf(req, ResendInvitationSchema);
    const view = await service.get(id);
    const stakeholder = view.stakeholders.find((s) => s.id === stakeholderId);
    if (!stakeholder) throw new HttpError(404, `no stakeholder "${stakeholderId}" on partnership "${id}"`);
    if (!stakeholder.onboardingId || stakeholder.status !== 'invited') throw new HttpError(409, `${stakeholder.organisation} has no invitation under way to send again (it is ${stakeholder.status})`);
    // As every other write without a named person: the manager's.
    res.json(await service.resendInvitation(stakeholder.onboardingId, { key, by: by ?? view.manager.name }));
  });

  router.post('/:id/role', async (req, res) => {
    const id = pathParam(req, 'id', PartnershipIdSchema);
    res.json(await service.changeRole(id, bodyOf(req, ChangeRoleSchema)));
  });
}
