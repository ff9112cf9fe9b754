import type { Request } from 'express';
import { HttpError, toProblem } from '../errors';
import { RefSchema } from '../../domain/schemas';
import { slugify } from '../../domain/partners/stakeholders';
import type { Partnership } from './planning-view';
import { said } from '../../domain/said';
import type { Refusal } from '../pages/refusal';

/** The form body as an object (nothing when the form sent none). */
export const bodyOf = (req: Request) => (req.body ?? {}) as Record<string, unknown>;

/** Rows of a repeated group of fields (`targets[0][indicator]`, …) as the urlencoded parser gives them. */
export function rows(v: unknown): Array<Record<string, unknown>> {
  if (Array.isArray(v)) return v.map((r) => (r && typeof r === 'object' ? (r as Record<string, unknown>) : {}));
  if (v && typeof v === 'object') return Object.values(v as Record<string, unknown>).map((r) => (r && typeof r === 'object' ? (r as Record<string, unknown>) : {}));
  return [];
}

/** The version a form was rendered from (hidden field), or undefined for a new record. */
export const versionOf = (v: string) => (/^\d+$/.test(v) ? Number(v) : undefined);

/** A new record's id from its words, unique among `taken` (the API's ids are slugs: "train-1000-young-people"). */
export function newId(words: string, taken: readonly string[], fallback: string): string {
  const stem = slugify(words, 60) || fallback;
  let id = stem;
  for (let n = 2; taken.includes(id); n++) id = `${stem}-${n}`;
  return RefSchema.safeParse(id).success ? id : `${fallback}-${taken.length + 1}`;
}

/** The path's `:param` as an id of `list`, or a 404. */
export function oneOf<T extends { id: string }>(list: readonly T[], req: Request, param: string, what: 'activity' | 'objective', p: Partnership): T {
  const id = RefSchema.safeParse(req.params[param]);
  const found = id.success ? list.find((x) => x.id === id.data) : undefined;
  if (!found) throw new HttpError(404, said(`refusals:notFound.${what}`, { id: String(req.params[param]), partnership: p.id }));
  return found;
}

/**
 * A refused save, sorted for the form: `stale` with the current version when
 * someone changed the record since the form was opened, otherwise the
 * refusal (its code and params, for ConsoleKit `refusal` to say in the
 * reader's language) and details. Server faults and 403 are thrown on.
 */
export function saveProblem(err: unknown): Refusal & { stale?: number; details?: Record<string, unknown> } {
  const problem = toProblem(err);
  if (problem.status >= 500 || problem.status === 403) throw err;
  const current = problem.details?.currentVersion;
  if (problem.status === 409 && typeof current === 'number') return { stale: current, status: 409, message: problem.message };
  return { status: problem.status, ...(problem.code ? { code: problem.code } : {}), ...(problem.params ? { params: problem.params } : {}), message: problem.message, ...(problem.details ? { details: problem.details } : {}) };
}
