import type { RequestHandler } from 'express';
import { HttpError } from './errors';

/**
 * A fixed-window limit per client address for the public link pages (task,
 * invitation and review links), which carry no API key: it slows token
 * guessing and form flooding. In memory, so per API instance.
 */
export function rateLimitPerClient(limitPerMinute: number, now: () => number = Date.now): RequestHandler {
  const windows = new Map<string, { start: number; count: number }>();
  return (req, res, next) => {
    const key = req.ip ?? 'unknown';
    const t = now();
    let w = windows.get(key);
    if (!w || t - w.start >= 60_000) {
      w = { start: t, count: 0 };
      windows.set(key, w);
      if (windows.size > 10_000) for (const [k, v] of windows) if (t - v.start >= 60_000) windows.delete(k);
    }
    w.count += 1;
    if (w.count > limitPerMinute) {
      res.set('retry-after', String(Math.ceil((w.start + 60_000 - t) / 1000)));
      next(new HttpError(429, 'too many requests from your address; please wait a minute and try again'));
      return;
    }
    next();
  };
}
