/**
 * The partnership's own console pages: start a partnership (`/partnerships/new`),
 * its page (`/partnerships/:id`), ticking a checklist item and asking to move
 * to the next phase. Its written sections are in ./sections-console.ts, its
 * history in ./history-console.ts, closing it in ./close-console.ts; the
 * governance decision after a review is with the review pages
 * (api/reviews/console.ts), stakeholders and the organisation's role with the
 * partners' (api/partners/console.ts).
 */
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { OnboardingStep } from '../../domain/partners/onboarding-state';
import { CreatePartnershipSchema, DRIVERS, ORGANISATION_ROLES } from '../../domain/partnership/schemas';
import { REVIEW_DECISIONS } from '../../domain/reviews/schemas';
import { toProblem } from '../errors';
import { accessTo, actor } from '../console/access';
import { byField, fieldErrors, list, str, type FieldError } from '../console/forms';
import { fieldMessage, type ConsoleKit } from '../console/kit';
import { label, options } from '../console/labels';
import { LANGUAGE_NAMES, pageLocale } from '../console/locale';
import { refusedAction } from '../console/refused';
import { nextReview } from '../reviews/console-view';
import { partnershipPage } from './console-view';

/** The pages above, mounted under /console by api/console/capabilities.ts. */
export function partnershipConsole(kit: ConsoleKit): Router {
  const router = Router();
  const { render, flash, managed, me, admins } = kit;
  const service = kit.services.partnership;

  // ── New partnership ─────────────────────────────────────────────────────────
  const renderNew = (req: Request, res: Response, values: Record<string, unknown>, errors: FieldError[] = []) => {
    const { t } = pageLocale(req);
    render(req, res, 'new.njk', {
      title: t('new.title'),
      nav: 'new',
      values,
      errors,
      e: byField(errors),
      timingErrors: errors.some((x) => x.field.startsWith('timings') || x.field === 'slug'),
      drivers: options(t, 'driver', DRIVERS),
      roles: options(t, 'role', ORGANISATION_ROLES),
      languages: LANGUAGE_NAMES,
    }, errors.length ? 400 : 200);
  };

  /** A partnership names its manager by a verified address: a person without one is told why, not shown a form that cannot succeed. */
  const refuseWithoutAddress = (req: Request, res: Response): boolean => {
    const user = me(req);
    if (user.email) return false;
    const { t } = pageLocale(req);
    const heading = t('messages.noAddress.heading');
    const text = user.emailRefused ? t(`messages.noAddress.${user.emailRefused.why}`, { email: user.emailRefused.email }) : t('messages.noAddress.none');
    render(req, res, 'message.njk', { title: heading, heading, paragraphs: [text] }, 403);
    return true;
  };

  router.get('/partnerships/new', (req, res) => {
    if (refuseWithoutAddress(req, res)) return;
    renderNew(req, res, { drivers: [], approvers: [], coManagers: [], timings: {} });
  });

  router.post('/partnerships', async (req, res) => {
    if (refuseWithoutAddress(req, res)) return;
    const { t } = pageLocale(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const people = (v: unknown) =>
      (Array.isArray(v) ? v : []).map((p) => {
        const row = p as Record<string, unknown> | undefined;
        return { name: str(row?.name), email: str(row?.email), language: str(row?.language) };
      });
    const values = {
      title: str(body.title),
      goal: str(body.goal),
      language: str(body.language),
      drivers: list(body.drivers),
      organisationRole: str(body.organisationRole),
      monitoredBy: str(body.monitoredBy) || 'internal',
      slug: str(body.slug),
      approvers: people(body.approvers),
      coManagers: people(body.coManagers),
      timings: Object.fromEntries(['reminderAfter', 'escalateAfter', 'deadline', 'reviewEvery'].map((k) => [k, str((body.timings as Record<string, unknown> | undefined)?.[k])])),
    };
    // Blank rows are left out; the rows kept remember where they were typed, so an error lands beside its own field.
    const filled = (rows: Array<{ name: string; email: string; language: string }>) =>
      rows
        .map(({ language, ...p }, row) => ({ p: language ? { ...p, language } : p, row }))
        .filter(({ p }) => p.name || p.email);
    const approvers = filled(values.approvers);
    const coManagers = filled(values.coManagers);
    const input = {
      title: values.title,
      goal: values.goal,
      // The partnership's language (its documents, and the default for people who name none): as chosen, else the console's.
      language: values.language || pageLocale(req).language,
      drivers: values.drivers,
      organisationRole: values.organisationRole || undefined,
      monitoredBy: values.monitoredBy,
      ...(values.slug ? { slug: values.slug } : {}),
      // The manager's emails follow the language they use the console in.
      manager: { name: me(req).name, email: me(req).email!, language: pageLocale(req).language },
      approvers: approvers.map((a) => a.p),
      ...(coManagers.length ? { coManagers: coManagers.map((c) => c.p) } : {}),
      timings: Object.fromEntries(Object.entries(values.timings).filter(([, v]) => v)),
    };
    const parsed = CreatePartnershipSchema.safeParse(input);
    if (!parsed.success) {
      const remap = (path: PropertyKey[]) => {
        const [head, index, ...rest] = path;
        if ((head === 'approvers' || head === 'coManagers') && typeof index === 'number') {
          return [head, (head === 'approvers' ? approvers : coManagers)[index]?.row ?? index, ...rest];
        }
        return path;
      };
      const labelOf = (field: string) => {
        const m = /^(approvers|coManagers)-(\d+)-(name|email|language)$/.exec(field);
        if (m) return t(`new.${m[1]}Field.${m[3]}`, { n: Number(m[2]) + 1 });
        return t(`new.fieldNames.${field}`, { defaultValue: field });
      };
      const errors = fieldErrors(parsed.error, labelOf, {
        title: t('new.errors.title'),
        goal: t('new.errors.goal'),
        drivers: t('new.errors.drivers'),
        organisationRole: t('new.errors.organisationRole'),
      }, remap, fieldMessage(t)).map((e) => (e.field === 'approvers' && approvers.length === 0 ? { field: 'approvers-0-name', text: t('new.errors.approvers') } : e));
      // An error on the whole list (none given, an email twice) is shown beside its first row.
      for (const e of errors) if (e.field === 'approvers' || e.field === 'coManagers') e.field = `${e.field}-0-name`;
      renderNew(req, res, values, errors);
      return;
    }
    try {
      const view = await service.start(parsed.data);
      flash(req, { kind: 'success', title: t('new.started'), lines: [t('new.startedText', { title: view.title })] });
      res.redirect(303, `/console/partnerships/${view.id}`);
    } catch (err) {
      const problem = toProblem(err);
      if (problem.status >= 500) throw err;
      const taken = problem.code === 'refusals:partnership.idTaken' || problem.code === 'refusals:partnership.idUsedBefore';
      renderNew(req, res, values, [{ field: taken ? 'slug' : 'title', text: taken ? t('new.errors.slugTaken') : kit.refusal(req, problem) }]);
    }
  });

  // ── One partnership ─────────────────────────────────────────────────────────
  router.get('/partnerships/:id', async (req, res) => {
    const p = await managed(req, res);
    if (!p) return;
    const locale = pageLocale(req);
    const access = accessTo(me(req), p, admins);
    // Where each invitation stands (one query per invited stakeholder; a failed read just shows no step).
    const steps = new Map<string, OnboardingStep>();
    await Promise.all(
      p.stakeholders
        .filter((s) => s.status === 'invited' && s.onboardingId)
        .map(async (s) => {
          const state = await kit.services.partners.onboarding(s.onboardingId!).catch(() => undefined);
          if (state) steps.set(s.id, state.step);
        }),
    );
    render(req, res, 'partnership.njk', {
      title: p.title,
      p,
      access: access.allowed ? locale.t(`access.${access.as}`) : '',
      decisionOptions: REVIEW_DECISIONS.map((id) => ({ id, label: locale.t(`decision.${id}`), hint: locale.t(`decisionHint.${id}`) })),
      ...partnershipPage(p, locale, steps),
      nextReview: nextReview(p, locale),
    });
  });

  const refused = refusedAction(kit);

  router.post('/partnerships/:id/checklist/:itemId', async (req, res) => {
    const p = await managed(req, res);
    if (!p) return;
    const itemId = z.string().min(1).max(200).parse(req.params.itemId);
    const note = z.string().trim().max(2000).catch('').parse(str((req.body as Record<string, unknown>)?.note));
    try {
      await service.completeItem(p.id, itemId, { by: actor(me(req)), ...(note ? { note } : {}) });
      res.redirect(303, `/console/partnerships/${p.id}#item-${itemId}`);
    } catch (err) {
      refused(req, res, p.id, pageLocale(req).t('checklist.refused'), err, `item-${itemId}`, itemId);
    }
  });

  router.post('/partnerships/:id/advance', async (req, res) => {
    const p = await managed(req, res);
    if (!p) return;
    const { t } = pageLocale(req);
    const note = z.string().trim().max(2000).catch('').parse(str((req.body as Record<string, unknown>)?.note));
    try {
      const task = await service.requestAdvance(p.id, { by: actor(me(req)), ...(note ? { note } : {}) });
      flash(req, { kind: 'success', title: t('advance.requested'), lines: [t('advance.requestedText', { approver: p.approvers[0]?.name ?? '', phase: label(t, 'phase', task.toPhase) })] });
      res.redirect(303, `/console/partnerships/${p.id}`);
    } catch (err) {
      refused(req, res, p.id, t('advance.refused'), err, 'advance');
    }
  });

  return router;
}
