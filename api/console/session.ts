import { createHmac } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import cookieParser from 'cookie-parser';
import session from 'express-session';
import { doubleCsrf } from 'csrf-csrf';
import { z } from 'zod';
import type { ConsoleSettings } from '../../infra/config';
import type { SessionTable } from '../../infra/store/console-identity';
import type { Logger } from '../../infra/logger';

/**
 * The person signed in to the console. Who they are is the provider's issuer
 * and subject; what they may see comes from `emails`, the addresses their
 * provider verified and that no one else held first (infra/store/console-identity.ts).
 */
export const SignedInUserSchema = z.object({
  issuer: z.string().min(1).max(500),
  sub: z.string().min(1).max(255),
  name: z.string().trim().normalize('NFC').min(1).max(200),
  /** The verified address they hold and signed in with this time; absent when the provider verified none. */
  email: z.email().max(254).toLowerCase().optional(),
  /** Every address they hold (lowercased, NFC): partnerships naming any of them are theirs. */
  emails: z.array(z.email().max(254)).max(100),
  /** Why an address the provider sent grants nothing: not verified by the provider, held by another person, or not a plain (ASCII) address. */
  emailRefused: z.object({ email: z.string().max(254), why: z.enum(['unverified', 'held-by-another', 'invalid']) }).optional(),
  /** The provider's `locale` claim (BCP 47), when it sends one: the console's language until the person picks another. */
  locale: z.string().max(35).optional().catch(undefined),
});
export type SignedInUser = z.infer<typeof SignedInUserSchema>;

/** What a console session holds on the server (never a token): who is signed in and until when, or a sign-in in progress. */
export interface ConsoleSession {
  user?: SignedInUser;
  /** Epoch ms: the session's absolute end (sign-in + SESSION_HOURS), whatever its activity. */
  expiresAt?: number;
  /**
   * Sign-ins under way, by their `state`: the PKCE verifier, where to go after,
   * and when it began (epoch ms). Several, so two tabs signing in at once both
   * finish; each is used once.
   */
  logins?: Record<string, { verifier: string; returnTo: string; at: number }>;
  /** The language the person picked on the preferences page (one of the six). */
  language?: string;
  /** The IANA time zone the person picked; UTC until then. */
  timeZone?: string;
  /** Set by signing out: the next sign-in asks the provider to let the person choose again (`prompt=login`). */
  signedOut?: boolean;
  /** Set when a page gave a visitor who is not signed in a form (the preferences): its CSRF token is bound to this session, which must therefore be kept. */
  forms?: boolean;
  /**
   * One message for the next page (after a redirect), already in the person's
   * language. `at` names where it belongs (a checklist item's id, `advance`, a
   * stakeholder): the page shows it there, where the person is looking,
   * instead of at the top.
   */
  /** `link`: where to do what the message asks, shown after its last line ("… first — Add an activity"). */
  flash?: { kind: 'success' | 'error'; title: string; lines: string[]; at?: string; link?: { href: string; text: string } };
}

declare module 'express-session' {
  // express-session's record of a session is ours.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface SessionData extends ConsoleSession {}
}

export const SESSION_COOKIE = 'msp_console';
/** The CSRF cookie's name; behind https with the `__Host-` prefix, so no other host or path can set it. */
export const csrfCookieName = (secure: boolean) => (secure ? '__Host-msp_console_csrf' : 'msp_console_csrf');

/** The session of this request, typed (empty when the session middleware did not run). */
export function sessionOf(req: Request): ConsoleSession {
  return (req.session ?? {}) as ConsoleSession;
}

/** The signed-in person, or undefined when nobody is signed in or the session has reached its absolute end. */
export function signedInUser(req: Request): SignedInUser | undefined {
  const s = sessionOf(req);
  if (!s.user || !s.expiresAt || s.expiresAt < Date.now()) return undefined;
  return s.user;
}

const promised = (req: Request, step: 'regenerate' | 'save') =>
  new Promise<void>((resolve, reject) => req.session[step]((err: unknown) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve())));

/**
 * Starts a fresh session for `user`: the old one is deleted on the server and
 * a new id is issued (OWASP's session-fixation rule), so an id known before
 * sign-in, and CSRF tokens bound to it, open nothing afterwards. Keeps the
 * language and time zone chosen before signing in. Answers where to go next.
 */
export async function beginSession(req: Request, user: SignedInUser, maxAgeMs: number, returnTo: string): Promise<string> {
  const { language, timeZone } = sessionOf(req);
  await promised(req, 'regenerate');
  Object.assign(req.session, { user, expiresAt: Date.now() + maxAgeMs, ...(language ? { language } : {}), ...(timeZone ? { timeZone } : {}) } satisfies ConsoleSession);
  await promised(req, 'save');
  return returnTo;
}

/**
 * Ends the session on the server: its record is deleted, so a copy of the
 * cookie taken before opens nothing. The browser gets a new session holding
 * only its language, time zone and the "signed out" mark.
 */
export async function endSession(req: Request): Promise<void> {
  const { language, timeZone } = sessionOf(req);
  await promised(req, 'regenerate');
  Object.assign(req.session, { signedOut: true, ...(language ? { language } : {}), ...(timeZone ? { timeZone } : {}) } satisfies ConsoleSession);
  await promised(req, 'save');
}

/**
 * express-session's store over our database (console_sessions). A record
 * expires at the earlier of its idle end (the cookie's, renewed by every
 * request: `rolling`) and its absolute end (`expiresAt`).
 */
export class ConsoleSessionStore extends session.Store {
  private lastPurge = 0;

  /**
   * `idleMs` and `maxAgeMs` are the idle and absolute lifetimes; `onError`
   * hears a failed purge of expired rows (logged, retried on the next write:
   * never thrown, since no request is waiting for it).
   */
  constructor(
    private readonly table: SessionTable,
    private readonly idleMs: number,
    private readonly maxAgeMs: number,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {
    super();
  }

  private expiryOf(data: session.SessionData): number {
    const idleEnd = data.cookie?.expires ? new Date(data.cookie.expires).getTime() : Date.now() + this.idleMs;
    return data.expiresAt ? Math.min(idleEnd, data.expiresAt) : idleEnd;
  }

  /** Deletes expired records at most every 10 minutes, on a write: no timer to stop at shutdown. */
  private purgeNow(): void {
    if (Date.now() - this.lastPurge < 600_000) return;
    this.lastPurge = Date.now();
    this.table.purgeExpired().catch((err: unknown) => {
      this.lastPurge = 0;
      this.onError(err);
    });
  }

  override get(sid: string, done: (err: unknown, data?: session.SessionData | null) => void): void {
    this.table.get(sid).then((data) => done(null, (data as session.SessionData | undefined) ?? null), done);
  }

  override set(sid: string, data: session.SessionData, done?: (err?: unknown) => void): void {
    this.purgeNow();
    this.table.set(sid, data, this.expiryOf(data)).then(() => done?.(), (err: unknown) => done?.(err));
  }

  override touch(sid: string, data: session.SessionData, done?: (err?: unknown) => void): void {
    this.table.touch(sid, this.expiryOf(data)).then(() => done?.(), (err: unknown) => done?.(err));
  }

  override destroy(sid: string, done?: (err?: unknown) => void): void {
    // No session lives longer than the absolute lifetime: the tombstone need not either.
    this.table.destroy(sid, Date.now() + this.maxAgeMs).then(() => done?.(), (err: unknown) => done?.(err));
  }
}

/**
 * Sessions live on the server (express-session over our database): the
 * cookie holds only a signed random id (HttpOnly, SameSite=Lax so the
 * provider's redirect back carries it, Secure behind https). Each request
 * renews the idle lifetime; the absolute one is kept in the record. CSRF:
 * csrf-csrf's double-submit token, bound to the session id, in a hidden
 * `_csrf` field of every form (or an `x-csrf-token` header for JSON calls
 * made with the session).
 */
export function consoleSessions(settings: ConsoleSettings, publicBaseUrl: string, table: SessionTable, logger?: Pick<Logger, 'warn'>) {
  const secure = publicBaseUrl.startsWith('https:');
  const cookies: RequestHandler = cookieParser();
  const onError = (err: unknown) => logger?.warn({ err }, 'could not delete expired console sessions; trying again on the next session write');
  const sessions: RequestHandler = session({
    name: SESSION_COOKIE,
    secret: settings.sessionSecrets,
    store: new ConsoleSessionStore(table, settings.sessionIdleMs, settings.sessionMaxAgeMs, onError),
    resave: false,
    // A visitor who has only been redirected to sign in leaves no record.
    saveUninitialized: false,
    rolling: true,
    unset: 'destroy',
    cookie: { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: settings.sessionIdleMs },
  });
  // CSRF tokens are signed with keys of their own, derived from SESSION_SECRET: a token is never a session signature.
  const csrfKeys = settings.sessionSecrets.map((secret) => createHmac('sha256', secret).update('msp-console-csrf').digest('base64url'));
  const csrf = doubleCsrf({
    getSecret: () => csrfKeys,
    getSessionIdentifier: (req) => req.sessionID ?? '',
    cookieName: csrfCookieName(secure),
    cookieOptions: { sameSite: 'lax', secure, httpOnly: true, path: '/' },
    getCsrfTokenFromRequest: (req) => (req.body as { _csrf?: string } | undefined)?._csrf ?? req.get('x-csrf-token'),
    errorConfig: { statusCode: 403, message: 'this form has expired or did not come from the console; go back, reload the page and try again' },
  });
  return { cookies, sessions, csrf };
}
