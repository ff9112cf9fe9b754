import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { HttpError } from './errors';

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Bearer tokens for managers and tools (API_KEYS). Task pages use signed links instead. */
export function requireApiKey(keys: string[]): RequestHandler {
  return (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match) return next(new HttpError(401, 'send an API key as "Authorization: Bearer <key>"'));
    if (!keys.some((k) => safeEqual(k, match[1].trim()))) return next(new HttpError(401, 'this API key is not valid'));
    next();
  };
}
