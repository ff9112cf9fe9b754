import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import helmet from 'helmet';
import type { DoubleCsrfUtilities } from 'csrf-csrf';
import { HttpError } from './errors';
import { PartnershipIdSchema } from '../domain/schemas';
import type { PartnershipService } from './partnership/service';
import { accessTo, actor, holds, isAdmin } from './console/access';
import { signedInUser, type SignedInUser } from './console/session';

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Who is calling the JSON API: a tool with an API key, or a person signed in to the console. */
export type ApiCaller = { kind: 'tool' } | { kind: 'person'; user: SignedInUser };

export function callerOf(res: { locals: Record<string, unknown> }): ApiCaller | undefined {
  return res.locals.caller as ApiCaller | undefined;
}

/** Bearer tokens for managers and tools (API_KEYS). Task pages use signed links instead. */
export function requireApiKey(keys: string[]): RequestHandler {
  return (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match) return next(new HttpError(401, 'send an API key as "Authorization: Bearer <key>"'));
    if (!keys.some((k) => safeEqual(k, match[1].trim()))) return next(new HttpError(401, 'this API key is not valid'));
    res.locals.caller = { kind: 'tool' } satisfies ApiCaller;
    next();
  };
}

/**
 * What a signed-in person may call: partnerships (under the console's rules),
 * people's settings (the router lets them set only their own, admins anyone's)
 * and the catalogue; the registry and uploads stay for tools.
 */
const PERSON_PATHS = /^\/(partnerships(\/|$)|people\/|catalogue$)/;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * /api: an `Authorization: Bearer` header is checked as an API key, as before.
 * Without one, the console's session is accepted; a write made with it must
 * carry the console's CSRF token in `x-csrf-token`, since a browser sends the
 * cookie whoever asks it to.
 */
export function apiCaller(keys: string[], csrf: Pick<DoubleCsrfUtilities, 'validateRequest'>): RequestHandler {
  const withKey = requireApiKey(keys);
  return (req, res, next) => {
    if (req.get('authorization') !== undefined) return withKey(req, res, next);
    const user = signedInUser(req);
    if (!user) return next(new HttpError(401, 'send an API key as "Authorization: Bearer <key>", or sign in to the console at /console'));
    if (!PERSON_PATHS.test(req.path)) return next(new HttpError(403, `${req.path} is for tools with an API key; signed-in people use /api/partnerships, /api/people/<their email> and /api/catalogue`));
    if (!SAFE_METHODS.has(req.method) && !csrf.validateRequest(req)) {
      return next(new HttpError(403, 'a write with the console session needs the CSRF token of a console page in the x-csrf-token header'));
    }
    res.locals.caller = { kind: 'person', user } satisfies ApiCaller;
    next();
  };
}

/**
 * The console's rules for a signed-in person on /api/partnerships: lists show
 * what they manage (everything for ADMIN_EMAILS), a partnership answers 403
 * with the reason when they do not manage it, a new one must name them as its
 * manager, and every write records them as `by` whatever the body says.
 */
export function personRules(service: PartnershipService, adminEmails: readonly string[]): RequestHandler {
  return async (req, res, next) => {
    const caller = callerOf(res);
    if (caller?.kind !== 'person') return next();
    const { user } = caller;
    const admin = isAdmin(user, adminEmails);
    const [, first] = req.path.split('/');
    if (!first) {
      if (req.method === 'GET' && !admin) {
        // What they hold, not what the query asks: a person's list shows only their own partnerships.
        res.locals.managedByAny = user.emails;
      }
      const manager = (req.body as { manager?: { email?: unknown } } | undefined)?.manager?.email;
      if (req.method === 'POST' && !admin && (typeof manager !== 'string' || !holds(user, manager))) {
        return next(
          new HttpError(
            403,
            user.email
              ? `you are signed in as ${user.email}: a partnership you start names you as its manager (manager.email "${user.email}")`
              : 'your sign-in provider has not verified an email address for you, so a partnership cannot name you as its manager; ask your administrator to send a verified "email" claim',
          ),
        );
      }
      return next();
    }
    const id = PartnershipIdSchema.safeParse(first);
    if (!id.success) return next();
    const access = accessTo(user, await service.get(id.data), adminEmails);
    if (!access.allowed) return next(new HttpError(403, access.reason));
    if (!SAFE_METHODS.has(req.method) && req.body && typeof req.body === 'object') (req.body as Record<string, unknown>).by = actor(user);
    next();
  };
}

/**
 * Security headers (helmet) on every answer. The console's pages load only
 * their own stylesheet and no script; the link pages keep their inline
 * styles, which helmet's default policy allows (`style-src 'unsafe-inline'`).
 * Over plain http (development) the policy does not ask browsers to upgrade requests.
 */
export function securityHeaders(publicBaseUrl: string): RequestHandler {
  const https = publicBaseUrl.startsWith('https:');
  return helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        upgradeInsecureRequests: https ? [] : null,
      },
    },
    strictTransportSecurity: https,
  });
}
