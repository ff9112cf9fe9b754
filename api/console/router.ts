import express, { Router, urlencoded, type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import type { Store } from '../../infra/store/store';
import type { ConsoleSettings, OidcSettings } from '../../infra/config';
import { PHASE_IDS } from '../../domain/partnership/phases';
import { LANGUAGES } from '../../domain/language';
import type { OnboardingStep } from '../../domain/partners/onboarding-state';
import {
  CreatePartnershipSchema,
  DRIVERS,
  ListPartnershipsQuerySchema,
  ORGANISATION_ROLES,
  REVIEW_DECISIONS,
} from '../../domain/schemas';
import { CATALOGUES } from '../../infra/i18n';
import type { PdfPrinter } from '../../activities/documents/pdf-printer';
import { sendDocument } from '../documents/documents';
import { HttpError, toProblem } from '../errors';
import type { PartnershipService } from '../partnership-service';
import { accessTo, actor, isAdmin } from './access';
import { byField, fieldErrors, list, str, type FieldError } from './forms';
import { label, options } from './labels';
import { PreferencesSchema, TIME_ZONES, pageLocale } from './locale';
import { oidcClient } from './oidc';
import { partnershipPage, statusKind } from './partnership-view';
import { beginSession, consoleSessions, endSession, sessionOf, signedInUser, type ConsoleSession } from './session';
import { signedInUserFrom } from './identity';
import { ASSETS_DIR, consoleViews } from './views';
import { createConsoleKit, fieldMessage } from './kit';
import { refusedAction } from './refused';
import { CAPABILITY_CONSOLES } from './capabilities';
import { nextReview } from '../reviews/console-view';
import { memoryLinkLimiter, rateLimitPerClient } from '../rate-limit';
import type { Logger } from '../../infra/logger';

export interface ConsoleDeps {
  /** Where the session store's background failures are logged. */
  logger?: Pick<Logger, 'warn'>;
  service: PartnershipService;
  store: Store;
  publicBaseUrl: string;
  settings: ConsoleSettings;
  oidc?: OidcSettings;
  /** Typesets a document's PDF on its first read, and in another language than it was stored in (`?lang=`). */
  printer: PdfPrinter;
}

const PAGE_SIZE = 20;
/** Sign-in, its callback and the preferences, per client and minute: each may start a session record. */
const ANONYMOUS_PAGES_PER_MINUTE = 60;
/** A sign-in not finished within this time is forgotten (the provider's own code lifetime is shorter). */
const LOGIN_TTL_MS = 10 * 60_000;
/** At most this many sign-ins pending in one browser (tabs). */
const MAX_PENDING_LOGINS = 5;
/** openid-client's errors for an answer that does not check out (wrong state, an error from the provider such as access_denied): the person's sign-in, not the service, failed. */
const SIGN_IN_REFUSALS = new Set(['ClientError', 'AuthorizationResponseError', 'ResponseBodyError']);

/** The sign-ins still pending: those younger than LOGIN_TTL_MS, the newest MAX_PENDING_LOGINS - 1 (room for one more). */
function pendingLogins(logins: ConsoleSession['logins']): NonNullable<ConsoleSession['logins']> {
  const now = Date.now();
  const live = Object.entries(logins ?? {})
    .filter(([, l]) => now - l.at < LOGIN_TTL_MS)
    .sort(([, a], [, b]) => b.at - a.at)
    .slice(0, MAX_PENDING_LOGINS - 1);
  return Object.fromEntries(live);
}
const ReturnToSchema = z
  .string()
  .regex(/^\/console(\/[^\s]*)?$/)
  .refine((v) => !v.startsWith('//'))
  .catch('/console');
const STATUSES = ListPartnershipsQuerySchema.shape.status.unwrap().options;
/** The list's filters, as the form sends them; a value that does not parse is ignored rather than refused. */
const ListFilterSchema = z.object({
  phase: z.enum(PHASE_IDS).optional().catch(undefined),
  status: z.enum(STATUSES).optional().catch(undefined),
  partner: z.string().trim().min(1).max(300).optional().catch(undefined),
  title: z.string().trim().min(1).max(200).optional().catch(undefined),
  overdue: z.literal('yes').optional().catch(undefined),
  pageToken: ListPartnershipsQuerySchema.shape.pageToken.catch(undefined),
});
/** Each language named in itself, for the language select. */
const LANGUAGE_NAMES = LANGUAGES.map((id) => ({ id, name: String(CATALOGUES[id].common?.languageName ?? id) }));

/**
 * The manager's console: server-rendered pages under /console, signed in
 * through OpenID Connect, every form protected against CSRF, every string in
 * the person's language (`console` namespace of infra/i18n/locales). It drives
 * partnerships through the same PartnershipService as the JSON API.
 */
export function consoleRouter({ service, store, publicBaseUrl, settings, oidc, printer, logger }: ConsoleDeps): { router: Router; sessions: ReturnType<typeof consoleSessions> } {
  const router = Router();
  const views = consoleViews();
  const sessions = consoleSessions(settings, publicBaseUrl, store.sessions, logger);
  const signIn = oidc ? oidcClient(oidc) : undefined;
  const redirectUri = `${publicBaseUrl}/console/auth/callback`;
  const admins = settings.adminEmails;

  const kit = createConsoleKit({ service, views, csrf: sessions.csrf, admins });
  const { render, flash, message, managed, me } = kit;

  router.use('/assets', express.static(ASSETS_DIR, { fallthrough: false, maxAge: '1h' }));
  // Sessions inside the console's router, so that a store that cannot be reached answers the console's error page.
  router.use(sessions.cookies, sessions.sessions);
  router.use(urlencoded({ extended: true, limit: '50kb', parameterLimit: 200 }));

  // ── Sign-in, callback, sign-out ─────────────────────────────────────────────
  // The pages that start a session for someone not signed in are limited per client, as the link pages are.
  const anonymousLimit = rateLimitPerClient(memoryLinkLimiter(ANONYMOUS_PAGES_PER_MINUTE));
  router.get('/sign-in', anonymousLimit, async (req, res) => {
    const returnTo = ReturnToSchema.parse(req.query.returnTo);
    if (!signIn) {
      message(req, res, 'signInNotConfigured', 503);
      return;
    }
    const session = sessionOf(req);
    const { url, verifier, state } = await signIn.start(redirectUri, { chooseAgain: Boolean(session.signedOut) });
    session.logins = { ...pendingLogins(session.logins), [state]: { verifier, returnTo, at: Date.now() } };
    delete session.signedOut;
    res.redirect(303, url);
  });

  router.get('/auth/callback', anonymousLimit, async (req, res) => {
    const session = sessionOf(req);
    const state = typeof req.query.state === 'string' ? req.query.state : '';
    const login = pendingLogins(session.logins)[state];
    if (!signIn || !login) {
      // A callback replayed, or one whose sign-in began in another browser or too long ago: start again.
      res.redirect(303, '/console/sign-in');
      return;
    }
    // Each sign-in finishes once; a second tab's own sign-in stays pending.
    const { [state]: _used, ...others } = pendingLogins(session.logins);
    session.logins = others;
    let claims: Awaited<ReturnType<typeof signIn.finish>>;
    try {
      claims = await signIn.finish(new URL(req.originalUrl, publicBaseUrl), login.verifier, state);
    } catch (err) {
      // The person cancelled at the provider, or the answer did not check out: say so, never a 500.
      if (!SIGN_IN_REFUSALS.has((err as Error).name)) throw err;
      req.log?.warn({ err: { name: (err as Error).name, message: (err as Error).message } }, 'sign-in did not complete');
      message(req, res, 'signInIncomplete', 400, {}, { href: `/console/sign-in?returnTo=${encodeURIComponent(login.returnTo)}`, text: pageLocale(req).t('messages.signInIncomplete.again') });
      return;
    }
    const user = await signedInUserFrom(claims, store.identities, { assumeEmailVerified: oidc?.assumeEmailVerified });
    if (!user) {
      message(req, res, 'signInFailed', 403);
      return;
    }
    res.redirect(303, await beginSession(req, user, settings.sessionMaxAgeMs, login.returnTo));
  });

  // The language and time zone: open before signing in too, so the sign-in pages can be read.
  router.get('/preferences', anonymousLimit, (req, res) => {
    // Its form's CSRF token is bound to this session: keep it, even for someone not signed in.
    sessionOf(req).forms = true;
    const locale = pageLocale(req);
    const returnTo = ReturnToSchema.parse(req.query.returnTo);
    render(req, res, 'preferences.njk', {
      title: locale.t('preferences.title'),
      nav: 'preferences',
      values: { language: locale.language, timeZone: locale.timeZone },
      languages: LANGUAGE_NAMES,
      zones: TIME_ZONES,
      returnTo,
      errors: [],
      e: {},
    });
  });

  router.post('/preferences', sessions.csrf.doubleCsrfProtection, (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const returnTo = ReturnToSchema.parse(body.returnTo);
    const parsed = PreferencesSchema.safeParse({ language: str(body.language), timeZone: str(body.timeZone) });
    if (!parsed.success) {
      const { t } = pageLocale(req);
      const errors = fieldErrors(parsed.error, (f) => t(`preferences.${f}`), { language: t('preferences.chooseLanguage'), timeZone: t('preferences.chooseZone') });
      render(req, res, 'preferences.njk', { title: t('preferences.title'), nav: 'preferences', values: { language: str(body.language), timeZone: str(body.timeZone) }, languages: LANGUAGE_NAMES, zones: TIME_ZONES, returnTo, errors, e: byField(errors) }, 400);
      return;
    }
    Object.assign(sessionOf(req), parsed.data);
    flash(req, { kind: 'success', title: pageLocale(req).t('preferences.saved'), lines: [] });
    res.redirect(303, returnTo);
  });

  // Signing out of a session that has already ended (a double click, an old tab) needs no token: there is nothing to protect.
  const csrfIfSignedIn: RequestHandler = (req, res, next) => (signedInUser(req) ? sessions.csrf.doubleCsrfProtection(req, res, next) : next());
  router.post('/sign-out', csrfIfSignedIn, async (req, res) => {
    if (signedInUser(req)) await endSession(req);
    message(req, res, 'signedOut', 200, {}, { href: '/console', text: pageLocale(req).t('messages.signedOut.again') });
  });

  // ── Everything below needs a signed-in person ───────────────────────────────
  const requireUser: RequestHandler = (req, res, next) => {
    if (signedInUser(req)) return next();
    const returnTo = req.method === 'GET' ? req.originalUrl : '/console';
    res.redirect(303, `/console/sign-in?returnTo=${encodeURIComponent(returnTo)}`);
  };
  router.use(requireUser);
  router.use(sessions.csrf.doubleCsrfProtection);
  // ── My partnerships ─────────────────────────────────────────────────────────
  router.get('/', async (req, res) => {
    const locale = pageLocale(req);
    const { t, fmt } = locale;
    const raw = Object.fromEntries(Object.entries(req.query).filter(([, v]) => v !== ''));
    const filter = ListFilterSchema.parse(raw);
    const admin = isAdmin(me(req), admins);
    const query = {
      ...(filter.phase ? { phase: filter.phase } : {}),
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.partner ? { partner: filter.partner } : {}),
      ...(filter.title ? { title: filter.title } : {}),
      ...(filter.overdue ? { reviewOverdue: true } : {}),
    };
    let page: Awaited<ReturnType<PartnershipService['list']>>;
    let problem: string | undefined;
    try {
      page = await service.list({ ...query, ...(filter.pageToken ? { pageToken: filter.pageToken } : {}), limit: PAGE_SIZE, ...(admin ? {} : { managedByAny: me(req).emails }) });
    } catch (err) {
      const p = toProblem(err);
      if (p.status !== 400) throw err;
      // A filter the service refuses (a partner in too many partnerships, a stale page token): say so, show nothing.
      problem = p.message.startsWith('pageToken') ? t('list.stalePage') : t('list.tooBroad');
      page = { partnerships: [], total: 0 };
    }
    // The list comes from visibility; progress and open tasks need each one's state (one query per row, PAGE_SIZE at most).
    const rows = await Promise.all(
      page.partnerships.map(async (p) => {
        const state = await service.get(p.id).catch(() => undefined);
        const overdue = Boolean(p.nextReviewAt && p.phase === 'collaborative-action' && Date.parse(p.nextReviewAt) < Date.now());
        return {
          id: p.id,
          title: p.title,
          cycle: p.cycle,
          phaseLabel: label(t, 'phase', p.phase),
          statusLabel: label(t, 'status', p.status),
          statusKind: statusKind(p.status),
          partners: p.partners,
          progress: state?.progress,
          openTasks: (state?.pendingTasks ?? []).map((task) => ({
            what: task.toPhase && task.kind === 'advance' ? t('tasks.moveTo', { phase: label(t, 'phase', task.toPhase) }) : t('tasks.reviewDecision'),
            who: (task.approval?.assignees ?? state!.approvers.slice(0, 1)).map((a) => a.name).join(', '),
          })),
          nextReviewAt: fmt.dateTime(p.nextReviewAt),
          reviewOverdue: overdue,
        };
      }),
    );
    const params = (extra: Record<string, string>) =>
      `/console?${new URLSearchParams({ ...Object.fromEntries(Object.entries(filter).filter(([k, v]) => k !== 'pageToken' && v)), ...extra } as Record<string, string>)}`;
    render(req, res, 'list.njk', {
      title: admin ? t('list.titleAll') : t('list.title'),
      nav: 'list',
      admin,
      rows,
      total: page.total,
      problem,
      nextPage: page.nextPageToken ? params({ pageToken: page.nextPageToken }) : undefined,
      firstPage: filter.pageToken ? params({}) : undefined,
      filter,
      filtered: Object.keys(query).length > 0,
      phases: options(t, 'phase', PHASE_IDS),
      statuses: options(t, 'status', STATUSES),
    });
  });

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
      const taken = problem.message.includes('already exists');
      renderNew(req, res, values, [{ field: taken ? 'slug' : 'title', text: taken ? t('new.errors.slugTaken') : problem.message }]);
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
          const state = await service.onboarding(s.onboardingId!).catch(() => undefined);
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

  // The governance decision after a review (POST /partnerships/:id/decision) is with the review pages: api/reviews/console.ts.

  // Stakeholders (map, edit, invite, withdraw, onboarding) and the organisation's role: api/partners/console.ts.

  // Documents open in the browser for whoever may see the partnership; /api/documents stays for tools with a key.
  router.get('/partnerships/:id/documents/:documentId', async (req, res) => {
    const p = await managed(req, res);
    if (!p) return;
    const documentId = z.string().min(1).max(300).parse(req.params.documentId);
    const doc = await store.getDocument(documentId);
    if (!doc || doc.partnershipId !== p.id) {
      message(req, res, 'documentNotFound', 404, { title: p.title, id: documentId }, { href: `/console/partnerships/${p.id}#documents`, text: pageLocale(req).t('messages.documentNotFound.back') });
      return;
    }
    res.set('cache-control', 'private, no-store');
    await sendDocument(req, res, doc, printer);
  });

  // Each capability's own console pages (api/<capability>/console.ts), listed once in ./capabilities.ts.
  for (const pages of CAPABILITY_CONSOLES) router.use(pages(kit));

  const errorPage: ErrorRequestHandler = (err, req, res, _next) => {
    const problem = toProblem(err);
    if (problem.status >= 500) req.log?.error({ err }, 'console request failed');
    const { t } = pageLocale(req);
    const key = problem.status === 404 ? 'notFound' : problem.status === 403 ? 'forbidden' : problem.status >= 500 ? 'unavailable' : 'refused';
    const heading = t(`messages.${key}.heading`);
    // A refusal's own reason is worth reading; a 404's or a 500's internals are not.
    const text = key === 'refused' || key === 'forbidden' ? problem.message : t(`messages.${key}.text`);
    render(req, res, 'message.njk', { title: heading, heading, paragraphs: [text], link: { href: '/console', text: t('messages.toList') } }, problem.status);
  };
  router.use((req, _res, next) => next(new HttpError(404, `no console page ${req.path}`)));
  router.use(errorPage);
  return { router, sessions };
}
