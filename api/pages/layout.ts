import type { Request } from 'express';

/** Link pages answer tools (JSON) as well as browsers (HTML). */
export function wantsJson(req: Request): boolean {
  return Boolean(req.is('application/json')) || req.accepts(['html', 'json']) === 'json';
}
