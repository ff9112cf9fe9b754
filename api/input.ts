import type { Request } from 'express';
import type { z, ZodError } from 'zod';

/** Where a piece of input came from, so an error can name it the way the caller wrote it. */
export type InputSource = 'path' | 'query' | 'body';

/**
 * A zod failure together with where the input came from: a path parameter is
 * named as one ("path parameter id"), never as the body; a request that had no
 * body says so instead of listing every field as missing.
 */
export class InputError extends Error {
  constructor(
    readonly source: InputSource,
    readonly zod: ZodError,
    /** For a path parameter, its name; the issues' own paths are empty. */
    readonly param?: string,
    /** The body was absent: no field was sent at all. */
    readonly emptyBody = false,
    /** What was parsed, so a field that was not sent can be told from one sent wrong (see `isMissing`). */
    readonly input?: unknown,
  ) {
    super(zod.message);
  }
}

/** Zod's issue codes for "the value is not of the expected type or set": on a field that was not sent, each means "is required". */
const TYPE_CODES = new Set(['invalid_type', 'invalid_value', 'invalid_union']);

/** Zod's own wording ("Invalid input: expected string, received undefined", "Invalid option: expected one of …"), as opposed to a message a schema gives. */
const ZOD_DEFAULT = /^Invalid (input|option)\b/;

/**
 * True when the issue is about a field that was not sent at all, in zod's own
 * words. Zod words a missing field by the field's type ("expected string,
 * received undefined", but an enum's "Invalid option: expected one of …", a
 * union's "Invalid input"), so the value at the issue's path is what decides,
 * for every kind of field alike. A message the schema gives the field, and a
 * refinement (`custom`), keep their own words: they say what to send.
 */
export function isMissing(input: unknown, issue: { code: string; path: PropertyKey[]; message: string }): boolean {
  if (!TYPE_CODES.has(issue.code) || !ZOD_DEFAULT.test(issue.message)) return false;
  let value = input;
  for (const key of issue.path) {
    if (value === null || typeof value !== 'object') return true;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value === undefined;
}

/** 415: a body arrived that no parser understood. Carries `status` like body-parser's own errors. */
export class UnsupportedBodyError extends Error {
  readonly status = 415;
}

/** A path parameter, e.g. `pathParam(req, 'id', PartnershipIdSchema)`. */
export function pathParam<S extends z.ZodType>(req: Request, name: string, schema: S): z.output<S> {
  const result = schema.safeParse(req.params[name]);
  if (!result.success) throw new InputError('path', result.error, name, false, req.params[name]);
  return result.data;
}

export function queryOf<S extends z.ZodType>(req: Request, schema: S): z.output<S> {
  const result = schema.safeParse(req.query);
  if (!result.success) throw new InputError('query', result.error, undefined, false, req.query);
  return result.data;
}

/** True when the request carries bytes (a zero Content-Length is no body). */
function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * The request body. A body that no parser took (no or another Content-Type),
 * or a form sent to a JSON-only route, is 415 naming the type to send, rather than a list of "missing" fields; a
 * request without a body is parsed as `{}` so optional-only bodies work, and
 * if that fails the error says the body was empty.
 */
export function bodyOf<S extends z.ZodType>(req: Request, schema: S, { forms = false } = {}): z.output<S> {
  if (req.body === undefined && hasBody(req)) {
    const sent = req.headers['content-type'];
    const wanted = forms ? 'send the form as application/x-www-form-urlencoded, or JSON with Content-Type: application/json' : 'send the body as JSON with Content-Type: application/json';
    throw new UnsupportedBodyError(sent ? `a body of type ${sent} is not accepted here; ${wanted}` : `the request has a body but no Content-Type; ${wanted}`);
  }
  if (!forms && req.is('application/x-www-form-urlencoded')) {
    // What `curl -d '{…}'` sends when no Content-Type is given: JSON read as one form field.
    throw new UnsupportedBodyError('the body arrived form-encoded (application/x-www-form-urlencoded, what curl -d sends by default); send it as JSON with Content-Type: application/json');
  }
  const result = schema.safeParse(req.body ?? {});
  if (!result.success) throw new InputError('body', result.error, undefined, req.body === undefined, req.body ?? {});
  return result.data;
}
