import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { actorDisplay } from '../../domain/actor';
import { LANGUAGES } from '../../domain/language';
import { STAKEHOLDER_GROUPS } from '../../domain/partners/stakeholders';
import type { OnboardingState } from '../../domain/partners/onboarding-state';
import {
  ChangeRoleSchema,
  InvitePartnerSchema,
  ResendInvitationSchema,
  StakeholderInputSchema,
  WithdrawPartnerSchema,
} from '../../domain/partners/schemas';
import { ORGANISATION_ROLES } from '../../domain/partnership/schemas';
import { RefSchema } from '../../domain/schemas';
import { CATALOGUES } from '../../infra/i18n';
import { say } from '../../infra/i18n/said';
import { HttpError, toProblem } from '../errors';
import type { PartnershipReadModel } from '../partnership/service';
import { actor } from '../console/access';
import { byField, fieldErrors, str, type FieldError } from '../console/forms';
import { fieldMessage, type ConsoleKit } from '../console/kit';
import { label, options } from '../console/labels';
import { pageLocale } from '../console/locale';
import { refusedAction } from '../console/refused';
import { agreementsOf, onboardingSteps, resendable } from './onboarding-view';
import { said } from '../../domain/said';

/** Each language named in itself, for the contact's language select. */
const LANGUAGE_NAMES = LANGUAGES.map((id) => ({ id, name: String(CATALOGUES[id].common?.languageName ?? id) }));
/** The key a "send it again" form carries: the same form sent twice is one request (see `ResendInvitationSchema`). */
const ResendKeySchema = ResendInvitationSchema.shape.key;

/**
 * Partners in the console (guide II.2.A–C, "Working with partners"): the
 * stakeholder map (map, edit), an invitation, where each partner's onboarding
 * stands step by step (the due-diligence answers, who approved, the letter of
 * intent or MoU and its signature) with its documents, sending the open
 * step's email again, a withdrawal, and the organisation's own role. Every
 * action goes through the same PartnersService as `/api/partnerships/:id/stakeholders`.
 */
export function partnerConsole(kit: ConsoleKit): Router {
  const router = Router();
  const { services, render, flash, managed, me } = kit;
  const refused = refusedAction(kit);

  // ── Stakeholders: map, edit, invite, withdraw ───────────────────────────────
  const stakeholderValues = (body: Record<string, unknown>) => ({
    id: str(body.id),
    organisation: str(body.organisation),
    group: str(body.group),
    whyEngage: str(body.whyEngage),
    potentialRoles: str(body.potentialRoles),
    engagementStrategy: str(body.engagementStrategy),
    coreGroup: body.coreGroup === 'yes',
    /** The stakeholder's version when the form was rendered (hidden field): a save from a stale page is refused, not applied. */
    version: str(body.version),
  });
  const renderStakeholder = (req: Request, res: Response, p: PartnershipReadModel, values: Record<string, unknown>, errors: FieldError[] = []) => {
    const { t } = pageLocale(req);
    const editing = Boolean(values.id);
    render(req, res, 'stakeholder-new.njk', {
      title: `${editing ? t('stakeholder.editTitle') : t('stakeholder.title')} — ${p.title}`,
      heading: editing ? t('stakeholder.editTitle') : t('stakeholder.title'),
      p,
      values,
      errors,
      e: byField(errors),
      groups: options(t, 'group', STAKEHOLDER_GROUPS),
    }, errors.length ? 400 : 200);
  };
  /** The stakeholder named in the path, or a 404. */
  const stakeholderOf = (p: PartnershipReadModel, req: Request) => {
    const sid = RefSchema.safeParse(req.params.sid);
    const s = sid.success ? p.stakeholders.find((x) => x.id === sid.data) : undefined;
    if (!s) throw new HttpError(404, said('refusals:notFound.stakeholder', { id: String(req.params.sid), partnership: p.id }));
    return s;
  };

  router.get('/partnerships/:id/stakeholders/new', async (req, res) => {
    const p = await managed(req, res);
    if (p) renderStakeholder(req, res, p, {});
  });

  router.get('/partnerships/:id/stakeholders/:sid/edit', async (req, res) => {
    const p = await managed(req, res);
    if (!p) return;
    const s = stakeholderOf(p, req);
    renderStakeholder(req, res, p, { ...s, potentialRoles: s.potentialRoles.join(', '), version: String(p.versions[`stakeholder:${s.id}`] ?? 0) });
  });

  router.post('/partnerships/:id/stakeholders', async (req, res) => {
    const p = await managed(req, res);
    if (!p) return;
    const { t } = pageLocale(req);
    const values = stakeholderValues((req.body ?? {}) as Record<string, unknown>);
    const existing = values.id ? p.stakeholders.find((s) => s.id === values.id) : undefined;
    const parsed = StakeholderInputSchema.safeParse({
      ...values,
      id: existing?.id,
      group: values.group || undefined,
      potentialRoles: values.potentialRoles.split(',').map((r) => r.trim()).filter(Boolean),
      ...(existing?.contact ? { contact: existing.contact } : {}),
    });
    if (!parsed.success) {
      const errors = fieldErrors(parsed.error, (f) => t(`stakeholder.fieldNames.${f}`, { defaultValue: f }), {
        organisation: t('stakeholder.errors.organisation'),
        group: t('stakeholder.errors.group'),
        whyEngage: t('stakeholder.errors.whyEngage'),
        engagementStrategy: t('stakeholder.errors.engagementStrategy'),
      }, (path) => (path[0] === 'potentialRoles' ? ['potentialRoles'] : path), fieldMessage(t));
      renderStakeholder(req, res, p, values, errors);
      return;
    }
    try {
      const version = /^\d+$/.test(values.version) ? Number(values.version) : undefined;
      const s = await services.partners.upsertStakeholder(p.id, parsed.data, version);
      flash(req, { kind: 'success', title: s.created ? t('stakeholder.mapped') : t('stakeholder.updated'), lines: [t('stakeholder.onMap', { organisation: s.organisation, group: label(t, 'group', s.group) })] });
      res.redirect(303, `/console/partnerships/${p.id}#stakeholder-${s.id}`);
    } catch (err) {
      const problem = toProblem(err);
      if (problem.status >= 500 || problem.status === 403) throw err;
      const current = problem.details?.currentVersion;
      if (problem.status === 409 && typeof current === 'number') {
        // What they typed stays on the page, now based on the current version: saving again is a deliberate choice to replace it.
        renderStakeholder(req, res, p, { ...values, version: String(current) }, [{ field: 'organisation', text: t('stakeholder.errors.changedSinceOpened') }]);
        return;
      }
      const text = problem.status === 428 ? t('stakeholder.errors.alreadyMapped', { organisation: parsed.data.organisation }) : kit.refusal(req, problem);
      renderStakeholder(req, res, p, values, [{ field: 'organisation', text }]);
    }
  });

  const renderInvite = (req: Request, res: Response, p: PartnershipReadModel, s: PartnershipReadModel['stakeholders'][number], values: Record<string, string>, errors: FieldError[] = []) => {
    const { t } = pageLocale(req);
    render(req, res, 'invite.njk', { title: `${t('invite.title', { organisation: s.organisation })} — ${p.title}`, p, s, values, errors, e: byField(errors), languages: LANGUAGE_NAMES }, errors.length ? 400 : 200);
  };

  router.get('/partnerships/:id/stakeholders/:sid/invite', async (req, res) => {
    const p = await managed(req, res);
    if (!p) return;
    const s = stakeholderOf(p, req);
    renderInvite(req, res, p, s, { name: s.contact?.name ?? '', email: s.contact?.email ?? '', language: s.contact?.language ?? '' });
  });

  router.post('/partnerships/:id/stakeholders/:sid/invite', async (req, res) => {
    const p = await managed(req, res);
    if (!p) return;
    const { t } = pageLocale(req);
    const s = stakeholderOf(p, req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = { name: str(body.name), email: str(body.email), language: str(body.language) };
    const parsed = InvitePartnerSchema.safeParse({ contact: { name: values.name, email: values.email, ...(values.language ? { language: values.language } : {}) }, by: actor(me(req)) });
    if (!parsed.success) {
      const errors = fieldErrors(parsed.error, (f) => t(`invite.fieldNames.${f}`, { defaultValue: f }), {}, (path) => (path[0] === 'contact' ? path.slice(1) : path), fieldMessage(t));
      renderInvite(req, res, p, s, values, errors);
      return;
    }
    try {
      await services.partners.invitePartner(p.id, s.id, parsed.data);
      flash(req, { kind: 'success', title: t('invite.sent'), lines: [t('invite.sentText', { organisation: s.organisation, name: values.name, email: values.email })] });
      res.redirect(303, `/console/partnerships/${p.id}#stakeholder-${s.id}`);
    } catch (err) {
      refused(req, res, p.id, t('invite.refused', { organisation: s.organisation }), err, `stakeholder-${s.id}`);
    }
  });

  router.get('/partnerships/:id/stakeholders/:sid/withdraw', async (req, res) => {
    const p = await managed(req, res);
    if (!p) return;
    const s = stakeholderOf(p, req);
    const { t } = pageLocale(req);
    render(req, res, 'withdraw.njk', { title: `${t('withdraw.title', { organisation: s.organisation })} — ${p.title}`, p, s, values: {}, errors: [], e: {} });
  });

  router.post('/partnerships/:id/stakeholders/:sid/withdraw', async (req, res) => {
    const p = await managed(req, res);
    if (!p) return;
    const { t } = pageLocale(req);
    const s = stakeholderOf(p, req);
    const values = { reason: str((req.body as Record<string, unknown>)?.reason) };
    const parsed = WithdrawPartnerSchema.safeParse({ reason: values.reason, by: actor(me(req)) });
    if (!parsed.success) {
      const errors = fieldErrors(parsed.error, () => t('withdraw.reason'), { reason: t('withdraw.errors.reason') }, undefined, fieldMessage(t));
      render(req, res, 'withdraw.njk', { title: `${t('withdraw.title', { organisation: s.organisation })} — ${p.title}`, p, s, values, errors, e: byField(errors) }, 400);
      return;
    }
    try {
      await services.partners.withdrawPartner(p.id, s.id, parsed.data);
      flash(req, { kind: 'success', title: t('withdraw.done'), lines: [t('withdraw.doneText', { organisation: s.organisation })] });
      res.redirect(303, `/console/partnerships/${p.id}#stakeholder-${s.id}`);
    } catch (err) {
      refused(req, res, p.id, t('withdraw.refused', { organisation: s.organisation }), err, `stakeholder-${s.id}`);
    }
  });

  // ── The organisation's role ─────────────────────────────────────────────────
  const renderRole = (req: Request, res: Response, p: PartnershipReadModel, values: Record<string, string>, errors: FieldError[] = []) => {
    const { t } = pageLocale(req);
    render(req, res, 'role.njk', { title: `${t('role.title')} — ${p.title}`, p, values, errors, e: byField(errors), roles: options(t, 'role', ORGANISATION_ROLES) }, errors.length ? 400 : 200);
  };
  router.get('/partnerships/:id/role', async (req, res) => {
    const p = await managed(req, res);
    if (p) renderRole(req, res, p, { role: p.organisationRole, reason: '' });
  });

  router.post('/partnerships/:id/role', async (req, res) => {
    const p = await managed(req, res);
    if (!p) return;
    const { t } = pageLocale(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = { role: str(body.role), reason: str(body.reason) };
    const parsed = ChangeRoleSchema.safeParse({ role: values.role || undefined, reason: values.reason || undefined, by: actor(me(req)) });
    if (!parsed.success) {
      const errors = fieldErrors(parsed.error, (f) => t(`role.fieldNames.${f}`, { defaultValue: f }), { role: t('role.errors.role') }, undefined, fieldMessage(t));
      renderRole(req, res, p, values, errors);
      return;
    }
    try {
      await services.partners.changeRole(p.id, parsed.data);
      flash(req, { kind: 'success', title: t('role.changed'), lines: [t('role.changedText', { role: label(t, 'role', parsed.data.role) })] });
      res.redirect(303, `/console/partnerships/${p.id}#role`);
    } catch (err) {
      const problem = toProblem(err);
      if (problem.status >= 500 || problem.status === 403) throw err;
      renderRole(req, res, p, values, [{ field: 'role', text: problem.status === 409 ? t('role.errors.same') : kit.refusal(req, problem) }]);
    }
  });


  // ── One partner: its onboarding step by step, its documents, send it again ──
  const partnerHref = (p: PartnershipReadModel, sid: string) => `/console/partnerships/${p.id}/partners/${sid}`;

  router.get('/partnerships/:id/partners/:sid', async (req, res) => {
    const p = await managed(req, res);
    if (!p) return;
    const locale = pageLocale(req);
    const { t, fmt } = locale;
    const s = stakeholderOf(p, req);
    // The onboarding of its current (or last) invitation; one that cannot be read shows the map's record alone.
    const state: OnboardingState | undefined = s.onboardingId ? await services.partners.onboarding(s.onboardingId).catch(() => undefined) : undefined;
    const canAct = p.status !== 'closed' && !p.ended;
    // Approvals of earlier invitations (the current one's is its onboarding's own step).
    const approvals = (s.approvals ?? []).filter((a) => a.onboardingId !== s.onboardingId).map((a) => ({
      line: t(a.outcome === 'approved' ? 'partners.lines.approved' : 'partners.lines.rejected', { by: a.by ? a.by.replace(/ <([^<>]+)>$/, ' ($1)') : t('partners.lines.deadline'), at: fmt.dateTime(a.at) }),
      comment: a.comment,
    }));
    render(req, res, 'partner.njk', {
      title: `${s.organisation} — ${p.title}`,
      p,
      s,
      statusLabel: label(t, 'partnerStatus', s.status),
      groupLabel: label(t, 'group', s.group),
      onboarding: state ? onboardingSteps(state, locale) : undefined,
      ended: state && state.reason && ['declined', 'rejected', 'expired', 'withdrawn'].includes(state.step) ? { step: t(`onboardingStep.${state.step}`), reason: say(locale.language, state.reason) } : undefined,
      resend: canAct ? resendable(state, s, Date.now()) : undefined,
      resendStep: state ? t(`partners.resendStep.${state.step}`, { defaultValue: '' }) : '',
      resendKey: randomUUID(),
      resends: (state?.resends ?? []).map((r) => t('partners.resent', { step: t(`partners.resendStep.${r.step}`), by: actorDisplay(r.by), at: fmt.dateTime(r.at) })),
      approvals,
      history: [...s.history].reverse().map((h) => ({ status: label(t, 'partnerStatus', h.status), at: fmt.dateTime(h.at), reason: h.reason ? say(locale.language, h.reason) : undefined })),
      documents: agreementsOf(p.id, s.id, p.documents, locale),
      canAct,
      canInvite: canAct && ['mapped', 'declined', 'rejected', 'expired', 'withdrawn'].includes(s.status),
      canWithdraw: canAct && (s.status === 'invited' || s.status === 'active'),
    });
  });

  router.post('/partnerships/:id/partners/:sid/resend', async (req, res) => {
    const p = await managed(req, res);
    if (!p) return;
    const { t } = pageLocale(req);
    const s = stakeholderOf(p, req);
    // A form without a key (a hand-made request) is a request of its own.
    const key = ResendKeySchema.catch(() => randomUUID()).parse(str((req.body as Record<string, unknown>)?.key));
    if (!s.onboardingId || s.status !== 'invited') {
      flash(req, { kind: 'error', title: t('partners.resendRefused'), lines: [t('partners.nothingToResend', { organisation: s.organisation })], at: 'resend' });
      res.redirect(303, `${partnerHref(p, s.id)}#resend`);
      return;
    }
    try {
      const resend = await services.partners.resendInvitation(s.onboardingId, { key, by: actor(me(req)) });
      flash(req, { kind: 'success', title: t('partners.resentTitle'), lines: [t('partners.resentText', { step: t(`partners.resendStep.${resend.step}`), name: s.contact?.name ?? '', email: s.contact?.email ?? '' })], at: 'resend' });
    } catch (err) {
      const problem = toProblem(err);
      if (problem.status >= 500 || problem.status === 403) throw err;
      flash(req, { kind: 'error', title: t('partners.resendRefused'), lines: [kit.refusal(req, problem)], at: 'resend' });
    }
    res.redirect(303, `${partnerHref(p, s.id)}#resend`);
  });

  return router;
}
