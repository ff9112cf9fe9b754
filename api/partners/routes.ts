/** The JSON API of stakeholders and partners under `/api/partnerships/:id`. */
import type { Router } from 'express';
import {
  ChangeRoleSchema,
  InvitePartnerSchema,
  ResendInvitationSchema,
  StakeholderInputSchema,
  WithdrawPartnerSchema,
} from '../../domain/partners/schemas';
import { PartnershipIdSchema, RefSchema } from '../../domain/schemas';
import type { Services } from '../services';
import { bodyOf, pathParam } from '../input';
import { HttpError } from '../errors';
import { nested, said } from '../../domain/said';
import { etagOf, expectedVersion } from '../versions';
import { onboardingInEnglish, stakeholderInEnglish } from '../pages/link-views';

/**
 * The stakeholder map and partners under `/api/partnerships/:id`: map a
 * stakeholder, invite or withdraw a partner, change a role. Each stakeholder
 * is a replace-style record: its GET answers an ETag, and a change to it sends
 * that back as If-Match (428 without it, 409 when stale); mapping a new one
 * needs none. Mounted by `partnershipsRouter`.
 */
export function partnerRoutes(router: Router, { partnership, partners }: Services): void {
  router.get('/:id/stakeholders', async (req, res) => {
    const view = await partnership.get(pathParam(req, 'id', PartnershipIdSchema));
    res.json({ stakeholders: view.stakeholders.map((s) => ({ ...stakeholderInEnglish(s), version: view.versions[`stakeholder:${s.id}`] ?? 0 })) });
  });

  router.get('/:id/stakeholders/:stakeholderId', async (req, res) => {
    const id = pathParam(req, 'id', PartnershipIdSchema);
    const stakeholderId = pathParam(req, 'stakeholderId', RefSchema);
    const view = await partnership.get(id);
    const stakeholder = view.stakeholders.find((s) => s.id === stakeholderId);
    if (!stakeholder) throw new HttpError(404, said('refusals:notFound.stakeholder', { id: stakeholderId, partnership: id }));
    const version = view.versions[`stakeholder:${stakeholderId}`] ?? 0;
    res.set('etag', etagOf(version)).json({ ...stakeholder, version });
  });

  router.post('/:id/stakeholders', async (req, res) => {
    const id = pathParam(req, 'id', PartnershipIdSchema);
    const stakeholder = await partners.upsertStakeholder(id, bodyOf(req, StakeholderInputSchema), expectedVersion(req));
    if (stakeholder.version !== undefined) res.set('etag', etagOf(stakeholder.version));
    res.status(stakeholder.created ? 201 : 200).json(stakeholder);
  });

  router.post('/:id/stakeholders/:stakeholderId/invite', async (req, res) => {
    const id = pathParam(req, 'id', PartnershipIdSchema);
    const stakeholder = await partners.invitePartner(id, pathParam(req, 'stakeholderId', RefSchema), bodyOf(req, InvitePartnerSchema));
    res.status(202).json({ stakeholder });
  });

  router.post('/:id/stakeholders/:stakeholderId/withdraw', async (req, res) => {
    const id = pathParam(req, 'id', PartnershipIdSchema);
    const stakeholder = await partners.withdrawPartner(id, pathParam(req, 'stakeholderId', RefSchema), bodyOf(req, WithdrawPartnerSchema));
    res.status(202).json({ stakeholder });
  });

  /** Where the stakeholder's current (or last) onboarding stands: its steps, the due-diligence answers, the approval, the agreement, the signature. */
  router.get('/:id/stakeholders/:stakeholderId/onboarding', async (req, res) => {
    const id = pathParam(req, 'id', PartnershipIdSchema);
    const stakeholderId = pathParam(req, 'stakeholderId', RefSchema);
    const stakeholder = (await partnership.get(id)).stakeholders.find((s) => s.id === stakeholderId);
    if (!stakeholder?.onboardingId) throw new HttpError(404, said('refusals:stakeholder.neverInvited', { id: stakeholderId }), { partnership: id });
    res.json(onboardingInEnglish(await partners.onboarding(stakeholder.onboardingId)));
  });

  /** Emails the open step of the stakeholder's onboarding to its contact again; the same `key` again sends nothing more. */
  router.post('/:id/stakeholders/:stakeholderId/resend', async (req, res) => {
    const id = pathParam(req, 'id', PartnershipIdSchema);
    const stakeholderId = pathParam(req, 'stakeholderId', RefSchema);
    const { key, by } = bodyOf(req, ResendInvitationSchema);
    const view = await partnership.get(id);
    const stakeholder = view.stakeholders.find((s) => s.id === stakeholderId);
    if (!stakeholder) throw new HttpError(404, said('refusals:notFound.stakeholder', { id: stakeholderId, partnership: id }));
    if (!stakeholder.onboardingId || stakeholder.status !== 'invited') {
      throw new HttpError(409, said('refusals:stakeholder.noInvitationUnderway', { organisation: stakeholder.organisation, status: nested(said(`refusals:partnerStatus.${stakeholder.status}`)) }));
    }
    // As every other write without a named person: the manager's.
    res.json(await partners.resendInvitation(stakeholder.onboardingId, { key, by: by ?? view.manager.name }));
  });

  router.post('/:id/role', async (req, res) => {
    const id = pathParam(req, 'id', PartnershipIdSchema);
    res.json(await partners.changeRole(id, bodyOf(req, ChangeRoleSchema)));
  });
}
