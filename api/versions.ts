import type { Request } from 'express';
import { z } from 'zod';
import { HttpError } from './errors';
import { said } from '../domain/said';

/** The ETag of a replace-style record: its version, quoted (`"3"`). */
export const etagOf = (version: number) => `"${version}"`;

const VersionSchema = z.coerce.number().int().min(0);

/**
 * The version a replace-style write was made from: the `If-Match` header
 * (`"3"` or `W/"3"`, as our ETags give it), else a `version` field in the
 * body (what the console's forms send). Absent answers undefined; the
 * workflow's validator then refuses a write that needs one (428).
 */
export function expectedVersion(req: Request): number | undefined {
  const header = req.get('if-match');
  const fromBody = (req.body as { version?: unknown } | undefined)?.version;
  const [where, raw] = header !== undefined ? ['If-Match', header.trim().replace(/^W\//, '').replace(/^"|"$/g, '')] : ['version', fromBody === '' ? undefined : fromBody];
  if (raw === undefined) return undefined;
  const parsed = VersionSchema.safeParse(raw);
  if (!parsed.success) throw new HttpError(400, said('refusals:version.malformed', { where }));
  return parsed.data;
}
