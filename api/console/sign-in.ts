/**
 * The console's pages open to someone not signed in: sign-in through OpenID
 * Connect and its callback, the language and time zone, and sign-out. Each
 * may start a session record, so each is limited per client, as the link
 * pages are.
 */
import type { Router, RequestHandler } from 'express';
import { z } from 'zod';
import type { ConsoleSettings, OidcSettings } from '../../infra/config';
import type { Store } from '../../infra/store/store';
import { memoryLinkLimiter, rateLimitPerClient } from '../rate-limit';
import { byField, fieldErrors, str } from './forms';
import { signedInUserFrom } from './identity';
import type { ConsoleKit } from './kit';
import { LANGUAGE_NAMES, PreferencesSchema, TIME_ZONES, pageLocale } from './locale';
import { oidcClient } from './oidc';
import { beginSession, endSession, sessionOf, signedInUser, type ConsoleSession, type consoleSessions } from './session';

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

/** Where to go back to after signing in or choosing a language: a console page, else the list. */
const ReturnToSchema = z
  .string()
  .regex(/^\/console(\/[^\s]*)?$/)
  .refine((v) => !v.startsWith('//'))
  .catch('/console');

export interface SignInDeps {
  kit: ConsoleKit;
  sessions: ReturnType<typeof consoleSessions>;
  store: Store;
  publicBaseUrl: string;
  settings: ConsoleSettings;
  oidc?: OidcSettings;
}

/** Adds `/sign-in`, `/auth/callback`, `/preferences` and `/sign-out` to the console's `router`. */
export function signInRoutes(router: Router, { kit, sessions, store, publicBaseUrl, settings, oidc }: SignInDeps): void {
  const { render, flash, message } = kit;
  const signIn = oidc ? oidcClient(oidc) : undefined;
  const redirectUri = `${publicBaseUrl}/console/auth/callback`;
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
}
