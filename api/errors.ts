import type { ErrorRequestHandler } from 'express';
import { ApplicationFailure } from '@temporalio/common';
import {
  isGrpcServiceError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { ZodError } from 'zod';
import { RuleError, saidOfFailureDetails, type RuleErrorKind } from '../domain/rule-error';
import { isSaid, said, type Said } from '../domain/said';
import { say } from '../infra/i18n/said';
import { errorPageLanguage, renderPage } from './pages/views';
import { refusalText } from './pages/refusal';
import { translator } from '../infra/i18n';
import { InputError, isMissing } from './input';

/**
 * An error that already knows its HTTP answer. `message` is a code with
 * parameters (domain/said.ts) the refusal page words in the reader's
 * language; a plain string is English for tools only (the page then explains
 * the status).
 */
export class HttpError extends Error {
  readonly said?: Said;
  constructor(
    readonly status: number,
    message: Said | string,
    readonly details?: Record<string, unknown>,
  ) {
    super(isSaid(message) ? say('en', message) : message);
    if (isSaid(message)) this.said = message;
  }
}

const STATUS_BY_RULE: Record<RuleErrorKind, number> = {
  NotFound: 404,
  Conflict: 409,
  Invalid: 400,
  Forbidden: 403,
  Expired: 410,
  Closed: 410,
  PreconditionRequired: 428,
};

/** Error codes that say more than the status does (both answer 410). */
const CODE_BY_RULE: Partial<Record<RuleErrorKind, string>> = { Closed: 'closed' };

/**
 * The answer to a refused request (RFC 9457's spirit, our field names):
 * `error` names the status, `code` the refusal (stable: tools and pages
 * branch on it), `params` its parameters, `message` the refusal in English.
 */
export interface Problem {
  status: number;
  error: string;
  /** The refusal's stable code, e.g. `refusals:task.alreadyDecided`; absent for refusals the status says all of. */
  code?: string;
  params?: Said['params'];
  message: string;
  issues?: Array<{ field: string; problem: string }>;
  details?: Record<string, unknown>;
}

/**
 * A message to a workflow that has closed, or closed while the message was in
 * flight (the loser of a race to decide one task): Temporal says "not found"
 * ("workflow execution already completed", "workflow update was aborted by
 * closing workflow"); we mean "closed", and the caller says who decided.
 */
export function isClosedWorkflow(err: unknown): boolean {
  const text = `${(err as Error)?.message ?? ''} ${String((err as { cause?: unknown })?.cause ?? '')}`;
  const closedText = /already completed|aborted by closing workflow/i;
  return (err instanceof WorkflowNotFoundError || grpcCode(err) === GRPC_NOT_FOUND) && closedText.test(text);
}

const GRPC_NOT_FOUND = 5;
const GRPC_FAILED_PRECONDITION = 9;
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_UNAVAILABLE = 14;

/** Maps anything thrown in a route to one problem shape; the only place statuses are chosen for errors. */
export function toProblem(err: unknown): Problem {
  if (err instanceof InputError) return inputProblem(err);
  if (err instanceof ZodError) return inputProblem(new InputError('body', err));
  if (err instanceof HttpError) return { status: err.status, error: codeFor(err.status), ...saidFields(err.said, err.message), details: err.details };
  if (err instanceof RuleError) {
    const status = STATUS_BY_RULE[err.kind];
    return { status, error: CODE_BY_RULE[err.kind] ?? codeFor(status), ...saidFields(err.said, err.message), details: err.details };
  }
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const status = STATUS_BY_RULE[err.cause.type as RuleErrorKind] ?? 422;
    const { said: _said, ...details } = (err.cause.details?.[0] ?? {}) as Record<string, unknown>;
    const said = saidOfFailureDetails(err.cause.details ?? undefined);
    return { status, error: CODE_BY_RULE[err.cause.type as RuleErrorKind] ?? codeFor(status), ...saidFields(said, err.cause.message), ...(Object.keys(details).length ? { details } : {}) };
  }
  if (err instanceof WorkflowNotFoundError) {
    const what = describeWorkflow(err.workflowId);
    return isClosedWorkflow(err)
      ? { status: 409, error: 'conflict', message: `${what} is already closed` }
      : { status: 404, error: 'not_found', message: `no ${what}`, details: { id: err.workflowId } };
  }
  if (err instanceof WorkflowExecutionAlreadyStartedError) {
    return { status: 409, error: 'conflict', ...saidFields(said('refusals:partnership.idTaken', { id: err.workflowId })) };
  }
  const grpc = grpcCode(err);
  if (grpc === GRPC_NOT_FOUND) {
    const closed = /already completed|completed/i.test(String((err as Error).message));
    const id = workflowIdOf(err);
    const what = id ? describeWorkflow(id) : 'this partnership or task';
    return closed
      ? { status: 409, error: 'conflict', message: `${what} is closed` }
      : { status: 404, error: 'not_found', message: id ? `no ${what}` : 'no such partnership or task', ...(id ? { details: { id } } : {}) };
  }
  if (grpc === GRPC_FAILED_PRECONDITION) return { status: 409, error: 'conflict', message: (err as Error).message };
  if (grpc === GRPC_UNAVAILABLE || grpc === GRPC_DEADLINE_EXCEEDED) {
    return { status: 503, error: 'unavailable', message: 'the workflow service is not reachable right now; please try again shortly' };
  }
  if ((err as { type?: unknown })?.type === 'entity.parse.failed') {
    // body-parser passes on JSON.parse's words ("Expected double-quoted property name in JSON at position 14"), which never say that it was the body.
    return { status: 400, error: 'invalid_request', message: `the request body is not valid JSON: ${(err as Error).message}` };
  }
  const status = typeof (err as { status?: unknown })?.status === 'number' ? (err as { status: number }).status : 500;
  if (status >= 400 && status < 500) {
    // body-parser's errors: malformed JSON (400), too large (413), wrong charset (415)
    return { status, error: codeFor(status), message: (err as Error).message };
  }
  return { status: 500, error: 'internal', message: 'something went wrong on our side; it has been logged' };
}

/** A refusal's code, parameters and English words; a refusal without a code (a tool's HttpError, body-parser's) keeps its English message. */
function saidFields(said: Said | undefined, message = ''): Pick<Problem, 'code' | 'params' | 'message'> {
  if (!said) return { message };
  return { code: said.code, ...(said.params ? { params: said.params } : {}), message: say('en', said) };
}

/**
 * A 400 that names each field as the caller wrote it: a path parameter as a
 * path parameter, a query parameter as one, a body field by its path; a field
 * that was not sent as "is required"; a request with no body as such.
 */
function inputProblem(err: InputError): Problem {
  const issues = err.zod.issues.map((i) => {
    const where = i.path.map(String).join('.');
    const field = err.source === 'path' ? (err.param ?? where) : where || (err.source === 'query' ? '(query)' : '(body)');
    // Without the input (a ZodError thrown outside bodyOf/queryOf/pathParam), zod's own wording is all there is to go by.
    const missing = err.input !== undefined ? isMissing(err.input, i) : i.code === 'invalid_type' && /received undefined$/.test(i.message);
    return { field, problem: missing ? 'is required' : i.message };
  });
  const label = { path: 'path parameter ', query: 'query parameter ', body: '' }[err.source];
  const listed = issues.map((i) => `${label}${i.field}: ${i.problem}`).join('; ');
  const message = err.emptyBody ? `the request has no body; send it as JSON with Content-Type: application/json (${listed})` : listed;
  return { status: 400, error: 'invalid_request', message, issues };
}

/**
 * What a workflow id names, by its shape (the ids every capability derives
 * from the partnership's): `partnership "msp-x"`, `task "msp-x.c1.initiating.task-1"`,
 * `partner onboarding "msp-x.partner.y"`, `review "msp-x.review-2"`,
 * `funding channel "msp-x.funding.a.v1"`. A 404 names the id it looked for.
 */
export function describeWorkflow(id: string): string {
  const kind = !id.includes('.')
    ? 'partnership'
    : /\.partner\./.test(id)
      ? 'partner onboarding'
      : /\.review-\d+$/.test(id)
        ? 'review'
        : /\.funding\./.test(id)
          ? 'funding channel'
          : 'task';
  return `${kind} "${id}"`;
}

/** The workflow id a gRPC "not found" was about, when the SDK attached it. */
function workflowIdOf(err: unknown): string | undefined {
  const e = err as { workflowId?: unknown; cause?: { workflowId?: unknown } };
  const id = e?.workflowId ?? e?.cause?.workflowId;
  return typeof id === 'string' ? id : undefined;
}

function grpcCode(err: unknown): number | undefined {
  if (isGrpcServiceError(err)) return err.code;
  const cause = (err as { cause?: unknown })?.cause;
  return isGrpcServiceError(cause) ? cause.code : undefined;
}

function codeFor(status: number): string {
  return (
    { 400: 'invalid_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 409: 'conflict', 410: 'expired', 413: 'too_large', 428: 'precondition_required', 415: 'unsupported_media_type', 429: 'too_many_requests', 503: 'unavailable' }[
      status
    ] ?? (status >= 500 ? 'internal' : 'error')
  );
}

export const errorMiddleware: ErrorRequestHandler = (err, req, res, _next) => {
  const problem = toProblem(err);
  if (problem.status >= 500) req.log?.error({ err }, 'request failed');
  if (problem.status === 503) res.set('retry-after', '5');
  // A write refused as stale answers the record's current version as its ETag too, as the GET would.
  const current = problem.details?.currentVersion;
  if (problem.status === 409 && typeof current === 'number') res.set('etag', `"${current}"`);
  const wantsHtml = ['/tasks/', '/invitations/', '/reviews/', '/approvals/'].some((p) => req.path.startsWith(p)) && !req.is('application/json') && req.accepts(['html', 'json']) === 'html';
  if (wantsHtml) {
    // The refusal in the reader's language: the page's own when the route got that far, else ?lang= or the browser's.
    const language = errorPageLanguage(req, res);
    const title = translator(language)('pages:refusal.title');
    res.status(problem.status).type('html').send(renderPage('message', language, { title, hasError: true, message: refusalText(language, problem) }));
    return;
  }
  res.status(problem.status).json(problem);
};
