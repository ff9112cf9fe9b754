import type { RequestHandler } from 'express';
import { Pool } from 'pg';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { LINK_RATE_LIMIT_TABLE } from '../infra/store/migrations';
import { HttpError } from './errors';
import { said } from '../domain/said';

/**
 * The limiter behind the public link pages: `limitPerMinute` requests per
 * key in each 60-second window, counted in this process's memory (so per API
 * instance). With PostgreSQL, `linkLimiterFor` shares one count instead.
 */
export function memoryLinkLimiter(limitPerMinute: number): RateLimiterAbstract {
  return new RateLimiterMemory({ keyPrefix: 'link-pages', points: limitPerMinute, duration: 60 });
}

/** A link-page limiter and how to let go of what it holds (its database pool). */
export interface LinkLimiter {
  limiter: RateLimiterAbstract;
  close(): Promise<void>;
}

/**
 * The link-page limiter for this deployment. On PostgreSQL (`DATABASE_URL`
 * postgres://…) every API instance counts in one table
 * (`link_rate_limit`, created by the store's migrations, hence
 * `tableCreated: true`), so N instances still allow `limitPerMinute` per
 * client in all, not N times it. When the database cannot answer, an
 * in-memory limiter with the same limit takes over in each instance (the
 * library's insurance limiter): the pages stay up and still limited, per
 * instance, until the database is back. On SQLite, in memory as before.
 */
export function linkLimiterFor(databaseUrl: string, limitPerMinute: number): LinkLimiter {
  const memory = memoryLinkLimiter(limitPerMinute);
  if (!/^postgres(ql)?:\/\//.test(databaseUrl)) return { limiter: memory, close: async () => undefined };
  // Its own small pool: a limiter query must not queue behind the store's document writes.
  const pool = new Pool({ connectionString: databaseUrl, max: 4, connectionTimeoutMillis: 2000 });
  // An idle client's error (the server restarting) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  const limiter = new RateLimiterPostgres({
    storeClient: pool,
    storeType: 'pool',
    tableName: LINK_RATE_LIMIT_TABLE,
    tableCreated: true,
    keyPrefix: 'link-pages',
    points: limitPerMinute,
    duration: 60,
    insuranceLimiter: memory,
  });
  return { limiter, close: () => pool.end() };
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
    next(new HttpError(429, said('refusals:link.rateLimited')));
  };
}
