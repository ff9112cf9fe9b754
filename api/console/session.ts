import { randomBytes } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import cookieParser from 'cookie-parser';
import cookieSession from 'cookie-session';
import { doubleCsrf } from 'csrf-csrf';
import { z } from 'zod';
import type { ConsoleSettings } from '../../infra/config';

/** The person signed in to the console, as their OpenID provider asserted them. */
export const SignedInUserSchema = z.object({
  sub: z.string().min(1).max(255),
  name: z.string().trim().min(1).max(200),
  email: z.email().max(254).toLowerCase(),
  /** The provider's `locale` claim (BCP 47), when it sends one: the console's language until the person picks another. */
  locale: z.string().max(35).optional().catch(undefined),
});
export type SignedInUser = z.infer<typeof SignedInUserSchema>;

/** What the signed session cookie holds: who is signed in and until when, or a sign-in in progress. Never a token. */
export interface ConsoleSession {
  /** Random per sign-in: what CSRF tokens are bound to. */
  sid?: string;
  user?: SignedInUser;
  expiresAt?: number;
  /** Between the redirect to the provider and its callback: PKCE verifier, state, and where to go after. */
  login?: { verifier: string; state: string; returnTo: string };
  /** The language the person picked on the preferences page (one of the six). */
  language?: string;
  /** The IANA time zone the person picked; UTC until then. */
  timeZone?: string;
  /** Set by signing out: the next sign-in asks the provider to let the person choose again (`prompt=login`). */
  signedOut?: boolean;
  /**
   * One message for the next page (after a redirect), already in the person's
   * language. `at` names where it belongs (a checklist item's id, `advance`, a
   * stakeholder): the page shows it there, where the person is looking,
   * instead of at the top. Kept short: it travels in the session cookie.
   */
  flash?: { kind: 'success' | 'error'; title: string; lines: string[]; at?: string };
}

export const SESSION_COOKIE = 'msp_console';
const CSRF_COOKIE = 'msp_console_csrf';

/** The session of this request (cookie-session's object), typed. */
export function sessionOf(req: Request): ConsoleSession {
  return (req.session ?? {}) as ConsoleSession;
}

/** The signed-in person, or undefined when nobody is signed in or the session has expired. */
export function signedInUser(req: Request): SignedInUser | undefined {
  const s = sessionOf(req);
  if (!s.user || !s.expiresAt || s.expiresAt < Date.now()) return undefined;
  return s.user;
}

/** Starts a fresh session for `user` (a new `sid`, so CSRF tokens of anyone before do not carry over). */
export function beginSession(req: Request, user: SignedInUser, maxAgeMs: number, returnTo: string): string {
  const { language, timeZone } = sessionOf(req);
  req.session = {
    sid: randomBytes(18).toString('base64url'),
    user,
    expiresAt: Date.now() + maxAgeMs,
    // Chosen before signing in (the preferences page needs no sign-in): kept.
    ...(language ? { language } : {}),
    ...(timeZone ? { timeZone } : {}),
  } satisfies ConsoleSession;
  return returnTo;
}

/**
 * Sessions: a cookie signed with SESSION_SECRET (cookie-session), HttpOnly,
 * SameSite=Lax (the provider's redirect back is a top-level GET, which Lax
 * lets through) and Secure behind https. The expiry is kept inside the signed
 * value too, so a replayed old cookie does not outlive it. CSRF: csrf-csrf's
 * double-submit token, bound to the session's `sid`, in a hidden `_csrf` field
 * of every form (or an `x-csrf-token` header for JSON calls made with the session).
 */
export function consoleSessions(settings: ConsoleSettings, publicBaseUrl: string) {
  const secure = publicBaseUrl.startsWith('https:');
  const cookies: RequestHandler = cookieParser();
  const sessions: RequestHandler = cookieSession({
    name: SESSION_COOKIE,
    keys: settings.sessionSecrets,
    maxAge: settings.sessionMaxAgeMs,
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
  });
  const csrf = doubleCsrf({
    getSecret: () => settings.sessionSecrets,
    getSessionIdentifier: (req) => sessionOf(req).sid ?? '',
    cookieName: CSRF_COOKIE,
    cookieOptions: { sameSite: 'lax', secure, httpOnly: true, path: '/' },
    getCsrfTokenFromRequest: (req) => (req.body as { _csrf?: string } | undefined)?._csrf ?? req.get('x-csrf-token'),
    errorConfig: { statusCode: 403, message: 'this form has expired or did not come from the console; go back, reload the page and try again' },
  });
  return { cookies, sessions, csrf };
}
