/**
 * The console's shell: the router under /console that serves its assets,
 * keeps sessions, signs people in (./sign-in.ts), lists their partnerships
 * (./list.ts), mounts each capability's own pages (./capabilities.ts), serves
 * a partnership's documents, and answers every error with the console's page.
 */
import express, { Router, urlencoded, type ErrorRequestHandler, type RequestHandler } from 'express';
import { z } from 'zod';
import type { Store } from '../../infra/store/store';
import type { ConsoleSettings, OidcSettings } from '../../infra/config';
import type { PdfPrinter } from '../../activities/documents/pdf-printer';
import type { Logger } from '../../infra/logger';
import { sendDocument } from '../documents/documents';
import { HttpError, toProblem } from '../errors';
import type { Services } from '../services';
import { CAPABILITY_CONSOLES } from './capabilities';
import { createConsoleKit } from './kit';
import { partnershipList } from './list';
import { pageLocale } from './locale';
import { consoleSessions, signedInUser } from './session';
import { signInRoutes } from './sign-in';
import { ASSETS_DIR, consoleViews } from './views';
import { said } from '../../domain/said';

export interface ConsoleDeps {
  /** Where the session store's background failures are logged. */
  logger?: Pick<Logger, 'warn'>;
  services: Services;
  store: Store;
  publicBaseUrl: string;
  settings: ConsoleSettings;
  oidc?: OidcSettings;
  /** Typesets a document's PDF on its first read, and in another language than it was stored in (`?lang=`). */
  printer: PdfPrinter;
}

/**
 * The manager's console: server-rendered pages under /console, signed in
 * through OpenID Connect, every form protected against CSRF, every string in
 * the person's language (`console` namespace of infra/i18n/locales). It drives
 * partnerships through the same capability services as the JSON API.
 */
export function consoleRouter({ services, store, publicBaseUrl, settings, oidc, printer, logger }: ConsoleDeps): { router: Router; sessions: ReturnType<typeof consoleSessions> } {
  const router = Router();
  const views = consoleViews();
  const sessions = consoleSessions(settings, publicBaseUrl, store.sessions, logger);
  const admins = settings.adminEmails;

  const kit = createConsoleKit({ services, views, csrf: sessions.csrf, admins });
  const { render, message, managed } = kit;

  router.use('/assets', express.static(ASSETS_DIR, { fallthrough: false, maxAge: '1h' }));
  // Sessions inside the console's router, so that a store that cannot be reached answers the console's error page.
  router.use(sessions.cookies, sessions.sessions);
  router.use(urlencoded({ extended: true, limit: '50kb', parameterLimit: 200 }));

  // ── Sign-in, callback, preferences, sign-out ────────────────────────────────
  signInRoutes(router, { kit, sessions, store, publicBaseUrl, settings, oidc });

  // ── Everything below needs a signed-in person ───────────────────────────────
  const requireUser: RequestHandler = (req, res, next) => {
    if (signedInUser(req)) return next();
    const returnTo = req.method === 'GET' ? req.originalUrl : '/console';
    res.redirect(303, `/console/sign-in?returnTo=${encodeURIComponent(returnTo)}`);
  };
  router.use(requireUser);
  router.use(sessions.csrf.doubleCsrfProtection);
  // ── My partnerships ─────────────────────────────────────────────────────────
  router.use(partnershipList(kit));

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
    // A refusal's own reason is worth reading (in the person's language when it has a code); a 404's or a 500's internals are not.
    const reason = kit.refusal(req, problem);
    const text = key === 'refused' || key === 'forbidden' ? reason : t(`messages.${key}.text`);
    render(req, res, 'message.njk', { title: heading, heading, paragraphs: [text], link: { href: '/console', text: t('messages.toList') } }, problem.status);
  };
  router.use((req, _res, next) => next(new HttpError(404, said('refusals:notFound.consolePage', { path: req.path }))));
  router.use(errorPage);
  return { router, sessions };
}
