import express, { Router, urlencoded, type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import type { Store } from '../../infra/store/store';
import type { ConsoleSettings, OidcSettings } from '../../infra/config';
import { PHASES, nextPhase, type PhaseId } from '../../domain/phases';
import { DIMENSIONS } from '../../domain/phases';
import { STAKEHOLDER_GROUPS } from '../../domain/stakeholders';
import { CreatePartnershipSchema, DRIVERS, ORGANISATION_ROLES, PartnershipIdSchema, StakeholderInputSchema, ListPartnershipsQuerySchema } from '../../domain/schemas';
import type { PdfPrinter } from '../../activities/documents/pdf-printer';
import { sendDocument } from '../documents';
import { HttpError, toProblem } from '../errors';
import type { PartnershipReadModel, PartnershipService } from '../partnership-service';
import { accessTo, actor, isAdmin } from './access';
import { byField, fieldErrors, list, str, type FieldError } from './forms';
import { DRIVER_LABELS, GROUP_LABELS, ROLE_LABELS, STATUS_LABELS, label, utcDateTime } from './labels';
import { oidcClient } from './oidc';
import { beginSession, consoleSessions, sessionOf, signedInUser, SignedInUserSchema, type ConsoleSession, type SignedInUser } from './session';
import { ASSETS_DIR, consoleViews } from './views';

export interface ConsoleDeps {
  service: PartnershipService;
  store: Store;
  publicBaseUrl: string;
  settings: ConsoleSettings;
  oidc?: OidcSettings;
  /** Prints a document in another language than it was stored in (`?lang=`). */
  printer: PdfPrinter;
}

const PAGE_SIZE = 20;
const ReturnToSchema = z
  .string()
  .regex(/^\/console(\/[^\s]*)?$/)
  .refine((v) => !v.startsWith('//'))
  .catch('/console');

const statusKind = (status: string) =>
  ({ active: 'green', 'awaiting-approval': 'yellow', closed: 'grey' } as Record<string, string>)[status] ?? 'red';

/**
 * The manager's console: server-rendered pages under /console, signed in
 * through OpenID Connect, every form protected against CSRF. It drives
 * partnerships through the same PartnershipService as the JSON API.
 */
export function consoleRouter({ service, store, publicBaseUrl, settings, oidc, printer }: ConsoleDeps): { router: Router; sessions: ReturnType<typeof consoleSessions> } {
  const router = Router();
  const views = consoleViews();
  const sessions = consoleSessions(settings, publicBaseUrl);
  const signIn = oidc ? oidcClient(oidc) : undefined;
  const redirectUri = `${publicBaseUrl}/console/auth/callback`;
  const admins = settings.adminEmails;

  /** Renders a template with what every page needs: the person, a CSRF token, a message left by the last action. */
  const render = (req: Request, res: Response, template: string, data: Record<string, unknown>, status = 200) => {
    const s = sessionOf(req);
    const flash = s.flash;
    if (flash) delete s.flash;
    const user = signedInUser(req);
    const csrf = user ? sessions.csrf.generateCsrfToken(req, res) : undefined;
    res.status(status).set('cache-control', 'no-store').type('html').send(views.render(template, { user, csrf, flash, ...data }));
  };
  const flash = (req: Request, message: NonNullable<ConsoleSession['flash']>) => {
    sessionOf(req).flash = message;
  };

  router.use('/assets', express.static(ASSETS_DIR, { fallthrough: false, maxAge: '1h' }));
  router.use(urlencoded({ extended: true, limit: '50kb', parameterLimit: 200 }));

  // ── Sign-in, callback, sign-out ─────────────────────────────────────────────
  router.get('/sign-in', async (req, res) => {
    const returnTo = ReturnToSchema.parse(req.query.returnTo);
    if (!signIn) {
      render(req, res, 'message.njk', {
        title: 'Sign-in is not configured',
        heading: 'Sign-in is not configured',
        paragraphs: ['Set OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET for the API (see the README), or run “npm run dev”, which starts a development sign-in.'],
      }, 503);
      return;
    }
    const { url, verifier, state } = await signIn.start(redirectUri);
    req.session = { login: { verifier, state, returnTo } } satisfies ConsoleSession;
    res.redirect(303, url);
  });

  router.get('/auth/callback', async (req, res) => {
    const login = sessionOf(req).login;
    if (!signIn || !login) {
      res.redirect(303, '/console/sign-in');
      return;
    }
    const claims = await signIn.finish(new URL(req.originalUrl, publicBaseUrl), login.verifier, login.state);
    const user = SignedInUserSchema.safeParse({ sub: claims.sub, email: claims.email, name: claims.name ?? claims.email });
    if (!user.success) {
      req.session = null;
      render(req, res, 'message.njk', {
        title: 'Sign-in failed',
        heading: 'Your sign-in did not say who you are',
        paragraphs: ['The sign-in service did not send an email address and a name for you. Ask your administrator to release the “email” and “profile” claims to the MSP console.'],
      }, 403);
      return;
    }
    res.redirect(303, beginSession(req, user.data, settings.sessionMaxAgeMs, login.returnTo));
  });

  router.post('/sign-out', sessions.csrf.doubleCsrfProtection, (req, res) => {
    req.session = null;
    res.clearCookie('msp_console_csrf', { path: '/' });
    render(req, res, 'message.njk', {
      title: 'Signed out',
      heading: 'You have signed out',
      paragraphs: ['You have signed out of the MSP console on this browser.'],
      link: { href: '/console', text: 'Sign in again' },
    });
  });

  // ── Everything below needs a signed-in person ───────────────────────────────
  const requireUser: RequestHandler = (req, res, next) => {
    if (signedInUser(req)) return next();
    const returnTo = req.method === 'GET' ? req.originalUrl : '/console';
    res.redirect(303, `/console/sign-in?returnTo=${encodeURIComponent(returnTo)}`);
  };
  router.use(requireUser);
  router.use(sessions.csrf.doubleCsrfProtection);
  const me = (req: Request): SignedInUser => signedInUser(req)!;

  /** The partnership, if the signed-in person may see it; otherwise the 403 page saying why. */
  async function managed(req: Request, res: Response): Promise<PartnershipReadModel | undefined> {
    const id = PartnershipIdSchema.parse(req.params.id);
    const view = await service.get(id);
    const access = accessTo(me(req), view, admins);
    if (!access.allowed) {
      render(req, res, 'forbidden.njk', { title: 'You cannot open this partnership', reason: access.reason }, 403);
      return undefined;
    }
    return view;
  }

  // ── My partnerships ─────────────────────────────────────────────────────────
  const ListFilter = ListPartnershipsQuerySchema.pick({ phase: true, status: true, pageToken: true });
  router.get('/', async (req, res) => {
    const raw = Object.fromEntries(Object.entries(req.query).filter(([, v]) => v !== ''));
    const filter = ListFilter.catch({}).parse(raw);
    const admin = isAdmin(me(req), admins);
    const page = await service.list({ ...filter, limit: PAGE_SIZE, ...(admin ? {} : { manager: me(req).email }) });
    // The list comes from visibility; progress and open tasks need each one's state (one query per row, PAGE_SIZE at most).
    const rows = await Promise.all(
      page.partnerships.map(async (p) => {
        const state = await service.get(p.id).catch(() => undefined);
        const overdue = Boolean(p.nextReviewAt && p.phase === 'collaborative-action' && Date.parse(p.nextReviewAt) < Date.now());
        return {
          id: p.id,
          title: p.title,
          cycle: p.cycle,
          phaseLabel: label('phase', p.phase),
          statusLabel: label('status', p.status),
          statusKind: statusKind(p.status ?? ''),
          progress: state?.progress,
          openTasks: (state?.pendingTasks ?? []).map((t) => `${t.toPhase ? `move to ${label('phase', t.toPhase)}` : 'review decision'}, with ${state!.approvers[0]?.name ?? 'the approvers'}`),
          nextReviewAt: p.nextReviewAt ? utcDateTime(p.nextReviewAt) : '',
          reviewOverdue: overdue,
        };
      }),
    );
    const next = page.nextPageToken
      ? `/console?${new URLSearchParams({ ...(filter.phase ? { phase: filter.phase } : {}), ...(filter.status ? { status: filter.status } : {}), pageToken: page.nextPageToken })}`
      : undefined;
    render(req, res, 'list.njk', {
      title: admin ? 'All partnerships' : 'My partnerships',
      nav: 'list',
      admin,
      rows,
      total: page.total,
      nextPage: next,
      filter,
      phases: PHASES,
      statuses: Object.entries(STATUS_LABELS).map(([id, text]) => ({ id, label: text })),
    });
  });

  // ── New partnership ─────────────────────────────────────────────────────────
  const drivers = DRIVERS.map((id) => ({ id, label: DRIVER_LABELS[id] }));
  const roles = ORGANISATION_ROLES.map((id) => ({ id, label: ROLE_LABELS[id] }));
  const renderNew = (req: Request, res: Response, values: Record<string, unknown>, errors: FieldError[] = []) =>
    render(req, res, 'new.njk', {
      title: 'Start a new partnership',
      nav: 'new',
      values,
      errors,
      e: byField(errors),
      timingErrors: errors.some((x) => x.field.startsWith('timings') || x.field === 'slug'),
      drivers,
      roles,
    }, errors.length ? 400 : 200);

  router.get('/partnerships/new', (req, res) => renderNew(req, res, { drivers: [], approvers: [], coManagers: [], timings: {} }));

  router.post('/partnerships', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const people = (v: unknown) => (Array.isArray(v) ? v : []).map((p) => ({ name: str((p as Record<string, unknown>)?.name), email: str((p as Record<string, unknown>)?.email) }));
    const values = {
      title: str(body.title),
      goal: str(body.goal),
      drivers: list(body.drivers),
      organisationRole: str(body.organisationRole),
      monitoredBy: str(body.monitoredBy) || 'internal',
      slug: str(body.slug),
      approvers: people(body.approvers),
      coManagers: people(body.coManagers),
      timings: Object.fromEntries(['reminderAfter', 'escalateAfter', 'deadline', 'reviewEvery'].map((k) => [k, str((body.timings as Record<string, unknown> | undefined)?.[k])])),
    };
    // Blank rows are left out; the rows kept remember where they were typed, so an error lands beside its own field.
    const filled = (rows: Array<{ name: string; email: string }>) => rows.map((p, row) => ({ p, row })).filter(({ p }) => p.name || p.email);
    const approvers = filled(values.approvers);
    const coManagers = filled(values.coManagers);
    const input = {
      title: values.title,
      goal: values.goal,
      drivers: values.drivers,
      organisationRole: values.organisationRole || undefined,
      monitoredBy: values.monitoredBy,
      ...(values.slug ? { slug: values.slug } : {}),
      manager: { name: me(req).name, email: me(req).email },
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
      const names: Record<string, string> = {
        title: 'Title',
        goal: 'Goal',
        slug: 'The short name',
        'timings-reminderAfter': 'The reminder time',
        'timings-escalateAfter': 'The time before passing to the next approver',
        'timings-deadline': 'The deadline',
        'timings-reviewEvery': 'The review interval',
      };
      const labelOf = (field: string) => {
        const m = /^(approvers|coManagers)-(\d+)-(name|email)$/.exec(field);
        if (m) return `${m[1] === 'approvers' ? 'Approver' : 'Co-manager'} ${Number(m[2]) + 1}’s ${m[3]}`;
        return names[field] ?? field;
      };
      const errors = fieldErrors(parsed.error, labelOf, {
        title: 'Enter a title',
        goal: 'Enter the partnership’s goal',
        drivers: 'Select at least one driver',
        organisationRole: 'Select the organisation’s role',
      }, remap).map((e) => (e.field === 'approvers' && approvers.length === 0 ? { field: 'approvers-0-name', text: 'Enter at least one approver, with a name and an email address' } : e));
      // An error on the whole list (none given, an email twice) is shown beside its first row.
      for (const e of errors) if (e.field === 'approvers' || e.field === 'coManagers') e.field = `${e.field}-0-name`;
      renderNew(req, res, values, errors);
      return;
    }
    try {
      const view = await service.start(parsed.data);
      flash(req, { kind: 'success', title: 'Partnership started', lines: [`“${view.title}” is in initiating, cycle 1. Map its stakeholders and work through the checklist.`] });
      res.redirect(303, `/console/partnerships/${view.id}`);
    } catch (err) {
      const problem = toProblem(err);
      if (problem.status >= 500) throw err;
      renderNew(req, res, values, [{ field: problem.message.includes('already exists') ? 'slug' : 'title', text: problem.message.includes('already exists') ? 'A partnership with this short name already exists; choose another short name' : problem.message }]);
    }
  });

  // ── One partnership ─────────────────────────────────────────────────────────
  router.get('/partnerships/:id', async (req, res) => {
    const p = await managed(req, res);
    if (!p) return;
    const access = accessTo(me(req), p, admins);
    const phaseIndex = PHASES.findIndex((x) => x.id === p.phase);
    const current = p.checklist.filter((c) => c.phase === p.phase);
    const dimensions = DIMENSIONS.map((d) => {
      const items = current.filter((c) => c.dimension === d.id);
      return {
        id: d.id,
        label: d.label,
        done: items.filter((i) => i.done).length,
        items: items.map((i) => ({ ...i, shows: i.shows?.summary, doneAt: utcDateTime(i.doneAt) })),
      };
    }).filter((d) => d.items.length > 0);
    const target = nextPhase(p.phase as PhaseId);
    const byGroup = STAKEHOLDER_GROUPS.map((g) => ({
      label: GROUP_LABELS[g],
      stakeholders: p.stakeholders.filter((s) => s.group === g).map((s) => ({ ...s, statusLabel: label('partnerStatus', s.status) })),
    })).filter((g) => g.stakeholders.length > 0);
    render(req, res, 'partnership.njk', {
      title: p.title,
      p,
      access: access.allowed ? `you are its ${access.as}` : '',
      canAct: p.status !== 'closed' && !p.ended,
      statusLabel: label('status', p.status),
      statusKind: statusKind(p.status),
      roleLabel: label('role', p.organisationRole),
      driverLabels: p.drivers.map((d) => label('driver', d)),
      phaseLabel: label('phase', p.phase),
      nextPhaseLabel: target ? label('phase', target) : p.phase === 'reflective-monitoring' ? undefined : undefined,
      stepper: PHASES.map((ph, i) => {
        const state = p.status === 'closed' ? 'done' : i < phaseIndex ? 'done' : i === phaseIndex ? 'current' : 'upcoming';
        return { label: ph.label, guideRef: ph.guideRef, state, stateText: { done: 'done', current: 'current phase', upcoming: 'not started' }[state] };
      }),
      dimensions,
      missing: current.filter((c) => !c.done),
      tasks: p.pendingTasks.map((t) => ({
        what: t.toPhase ? `Move to ${label('phase', t.toPhase)}` : 'Review decision',
        requestedBy: t.requestedBy,
        requestedAt: utcDateTime(t.requestedAt),
        approvers: p.approvers.map((a) => a.name).join(', '),
      })),
      decisions: [...p.decisions].reverse().map((d) => ({
        what: d.toPhase ? `${label('phase', d.fromPhase)} → ${label('phase', d.toPhase)}` : `${label('phase', d.fromPhase)}: close`,
        outcome: d.outcome === 'approved' ? 'approved' : 'rejected',
        by: d.by,
        at: utcDateTime(d.at),
        comment: d.comment,
      })),
      documents: p.documents.map((d) => ({
        ...d,
        phaseLabel: label('phase', d.phase),
        html: `/console/partnerships/${p.id}/documents/${encodeURIComponent(d.id)}?format=html`,
        pdf: `/console/partnerships/${p.id}/documents/${encodeURIComponent(d.id)}`,
      })),
      stakeholderGroups: byGroup,
      countedGroupLabels: p.multiStakeholder.countedGroups.map((g) => GROUP_LABELS[g]),
    });
  });

  /** The answer to a refused action: back to the page with the reason at the top. */
  const refused = (req: Request, res: Response, id: string, title: string, err: unknown, anchor = '') => {
    const problem = toProblem(err);
    if (problem.status >= 500 || problem.status === 403) throw err;
    const missing = (problem.details?.missingItems as Array<{ title?: string } | string> | undefined)?.map((m) => (typeof m === 'string' ? m : m.title ?? ''));
    flash(req, { kind: 'error', title, lines: missing?.length ? missing : [problem.message] });
    res.redirect(303, `/console/partnerships/${id}${anchor}`);
  };

  router.post('/partnerships/:id/checklist/:itemId', async (req, res) => {
    const p = await managed(req, res);
    if (!p) return;
    const itemId = z.string().min(1).max(200).parse(req.params.itemId);
    const note = z.string().trim().max(2000).parse(str((req.body as Record<string, unknown>)?.note));
    try {
      await service.completeItem(p.id, itemId, { by: actor(me(req)), ...(note ? { note } : {}) });
      res.redirect(303, `/console/partnerships/${p.id}#item-${itemId}`);
    } catch (err) {
      refused(req, res, p.id, 'This item could not be marked as done', err, `#item-${itemId}`);
    }
  });

  router.post('/partnerships/:id/advance', async (req, res) => {
    const p = await managed(req, res);
    if (!p) return;
    const note = z.string().trim().max(2000).parse(str((req.body as Record<string, unknown>)?.note));
    try {
      const task = await service.requestAdvance(p.id, { by: actor(me(req)), ...(note ? { note } : {}) });
      flash(req, { kind: 'success', title: 'Approval requested', lines: [`${p.approvers[0]?.name ?? 'The first approver'} has been emailed a link to approve the move to ${label('phase', task.toPhase)}.`] });
      res.redirect(303, `/console/partnerships/${p.id}`);
    } catch (err) {
      refused(req, res, p.id, 'You cannot ask to advance yet', err);
    }
  });

  const stakeholderValues = (body: Record<string, unknown>) => ({
    organisation: str(body.organisation),
    group: str(body.group),
    whyEngage: str(body.whyEngage),
    potentialRoles: str(body.potentialRoles),
    engagementStrategy: str(body.engagementStrategy),
    coreGroup: body.coreGroup === 'yes',
  });
  const groups = STAKEHOLDER_GROUPS.map((id) => ({ id, label: GROUP_LABELS[id] }));
  router.get('/partnerships/:id/stakeholders/new', async (req, res) => {
    const p = await managed(req, res);
    if (!p) return;
    render(req, res, 'stakeholder-new.njk', { title: `Map a stakeholder — ${p.title}`, p, values: {}, errors: [], e: {}, groups });
  });

  router.post('/partnerships/:id/stakeholders', async (req, res) => {
    const p = await managed(req, res);
    if (!p) return;
    const values = stakeholderValues((req.body ?? {}) as Record<string, unknown>);
    const parsed = StakeholderInputSchema.safeParse({
      ...values,
      group: values.group || undefined,
      potentialRoles: values.potentialRoles.split(',').map((r) => r.trim()).filter(Boolean),
    });
    if (!parsed.success) {
      const errors = fieldErrors(parsed.error, (f) => ({ organisation: 'The organisation', whyEngage: 'Why engage them', engagementStrategy: 'How you will engage them', potentialRoles: 'Potential roles' })[f] ?? f, {
        organisation: 'Enter the organisation’s name',
        group: 'Select the stakeholder group',
        whyEngage: 'Say why the partnership should engage them',
        engagementStrategy: 'Say how you will engage them',
      }, (path) => (path[0] === 'potentialRoles' ? ['potentialRoles'] : path));
      render(req, res, 'stakeholder-new.njk', { title: `Map a stakeholder — ${p.title}`, p, values, errors, e: byField(errors), groups }, 400);
      return;
    }
    try {
      const s = await service.upsertStakeholder(p.id, parsed.data);
      flash(req, { kind: 'success', title: s.created ? 'Stakeholder mapped' : 'Stakeholder updated', lines: [`${s.organisation} (${GROUP_LABELS[s.group]}) is on the stakeholder map.`] });
      res.redirect(303, `/console/partnerships/${p.id}#stakeholders`);
    } catch (err) {
      refused(req, res, p.id, 'The stakeholder could not be mapped', err, '#stakeholders');
    }
  });

  // Documents open in the browser for whoever may see the partnership; /api/documents stays for tools with a key.
  router.get('/partnerships/:id/documents/:documentId', async (req, res) => {
    const p = await managed(req, res);
    if (!p) return;
    const documentId = z.string().min(1).max(300).parse(req.params.documentId);
    const doc = await store.getDocument(documentId);
    if (!doc || doc.partnershipId !== p.id) {
      render(req, res, 'message.njk', { title: 'Document not found', heading: 'Document not found', paragraphs: [`${p.title} has no document “${documentId}”.`], link: { href: `/console/partnerships/${p.id}#documents`, text: 'Back to its documents' } }, 404);
      return;
    }
    res.set('cache-control', 'private, no-store');
    await sendDocument(req, res, doc, printer);
  });

  const errorPage: ErrorRequestHandler = (err, req, res, _next) => {
    const problem = toProblem(err);
    if (problem.status >= 500) req.log?.error({ err }, 'console request failed');
    const heading =
      problem.status === 404 ? 'Page not found' : problem.status === 403 ? 'You cannot do this' : problem.status >= 500 ? 'Sorry, there is a problem with the service' : 'This could not be done';
    const text = problem.status === 404 ? 'Check the address, or go back to your partnerships.' : problem.message;
    render(req, res, 'message.njk', { title: heading, heading, paragraphs: [text], link: { href: '/console', text: 'Go to your partnerships' } }, problem.status);
  };
  router.use((req, _res, next) => next(new HttpError(404, `no console page ${req.path}`)));
  router.use(errorPage);
  return { router, sessions };
}
