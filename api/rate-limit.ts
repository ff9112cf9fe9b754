import type { RequestHandler } from 'express';
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { HttpError } from './errors';

/**
 * The limiter behind the public link pages: `limitPerMinute` requests per
 * key in each 60-second window, counted in this process's memory (so per API
 * instance). A shared store (e.g. rate-limiter-flexible's PostgreSQL one)
 * can be handed to `rateLimitPerClient` instead.
 */
export function memoryLinkLimiter(limitPerMinute: number): RateLimiterAbstract {
  return new RateLimiterMemory({ keyPrefix: 'link-pages', points: limitPerMinute, duration: 60 });
}

/**
 * A limit per client address for the public link pages (task, invitation and
 * review links), which carry no API key: it slows token guessing and form
 * flooding. The key is `req.ip`, which follows Express's `trust proxy`
 * setting (TRUST_PROXY), so behind a trusted reverse proxy each client has
 * its own count. Over the limit: 429 with `Retry-After` in seconds. An error
 * of the limiter's store goes to the error middleware (500).
 */
export function rateLimitPerClient(limiter: RateLimiterAbstract): RequestHandler {
  return async (req, res, next) => {
    const refusal = await limiter.consume(req.ip ?? req.socket.remoteAddress ?? 'unknown').then(
      () => undefined,
      (reason: unknown) => {
        // consume() rejects with a RateLimiterRes when over the limit, with an Error when its store fails.
        if (reason instanceof RateLimiterRes) return reason;
        throw reason;
      },
    );
    if (!refusal) return next();
    res.set('retry-after', String(Math.max(1, Math.ceil(refusal.msBeforeNext / 1000))));
    next(new HttpError(429, 'too many requests from your address; please wait a minute and try again'));
  };
}
