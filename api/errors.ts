import type { ErrorRequestHandler } from 'express';
import { ApplicationFailure } from '@temporalio/common';
import {
  isGrpcServiceError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { ZodError } from 'zod';
import { RuleError, type RuleErrorKind } from '../domain/rule-error';
import { errorPageLanguage, renderPage } from './pages/views';
import { refusalText } from './pages/refusal';
import { translator } from '../infra/i18n';
import { InputError } from './input';

/** An error that already knows its HTTP answer. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

const STATUS_BY_RULE: Record<RuleErrorKind, number> = {
  NotFound: 404,
  Conflict: 409,
  Invalid: 400,
  Forbidden: 403,
  Expired: 410,
};

interface Problem {
  status: number;
  error: string;
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
  if (err instanceof HttpError) return { status: err.status, error: codeFor(err.status), message: err.message, details: err.details };
  if (err instanceof RuleError) {
    const status = STATUS_BY_RULE[err.kind];
    return { status, error: codeFor(status), message: err.message, details: err.details };
  }
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const status = STATUS_BY_RULE[err.cause.type as RuleErrorKind] ?? 422;
    const details = err.cause.details?.[0] as Record<string, unknown> | undefined;
    return { status, error: codeFor(status), message: err.cause.message, ...(details && Object.keys(details).length ? { details } : {}) };
  }
  if (err instanceof WorkflowNotFoundError) {
    return isClosedWorkflow(err)
      ? { status: 409, error: 'conflict', message: 'this partnership or task is already closed' }
      : { status: 404, error: 'not_found', message: 'no such partnership or task' };
  }
  if (err instanceof WorkflowExecutionAlreadyStartedError) {
    return { status: 409, error: 'conflict', message: `a partnership with this id already exists (${err.workflowId})` };
  }
  const grpc = grpcCode(err);
  if (grpc === GRPC_NOT_FOUND) {
    const closed = /already completed|completed/i.test(String((err as Error).message));
    return closed
      ? { status: 409, error: 'conflict', message: 'this partnership or task is closed' }
      : { status: 404, error: 'not_found', message: 'no such partnership or task' };
  }
  if (grpc === GRPC_FAILED_PRECONDITION) return { status: 409, error: 'conflict', message: (err as Error).message };
  if (grpc === GRPC_UNAVAILABLE || grpc === GRPC_DEADLINE_EXCEEDED) {
    return { status: 503, error: 'unavailable', message: 'the workflow service is not reachable right now; please try again shortly' };
  }
  const status = typeof (err as { status?: unknown })?.status === 'number' ? (err as { status: number }).status : 500;
  if (status >= 400 && status < 500) {
    // body-parser's errors: malformed JSON (400), too large (413), wrong charset (415)
    return { status, error: codeFor(status), message: (err as Error).message };
  }
  return { status: 500, error: 'internal', message: 'something went wrong on our side; it has been logged' };
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
    const missing = i.code === 'invalid_type' && /received undefined$/.test(i.message);
    return { field, problem: missing ? 'is required' : i.message };
  });
  const label = { path: 'path parameter ', query: 'query parameter ', body: '' }[err.source];
  const listed = issues.map((i) => `${label}${i.field}: ${i.problem}`).join('; ');
  const message = err.emptyBody ? `the request has no body; send it as JSON with Content-Type: application/json (${listed})` : listed;
  return { status: 400, error: 'invalid_request', message, issues };
}

function grpcCode(err: unknown): number | undefined {
  if (isGrpcServiceError(err)) return err.code;
  const cause = (err as { cause?: unknown })?.cause;
  return isGrpcServiceError(cause) ? cause.code : undefined;
}

function codeFor(status: number): string {
  return (
    { 400: 'invalid_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 409: 'conflict', 410: 'expired', 413: 'too_large', 415: 'unsupported_media_type', 429: 'too_many_requests', 503: 'unavailable' }[
      status
    ] ?? (status >= 500 ? 'internal' : 'error')
  );
}

export const errorMiddleware: ErrorRequestHandler = (err, req, res, _next) => {
  const problem = toProblem(err);
  if (problem.status >= 500) req.log?.error({ err }, 'request failed');
  if (problem.status === 503) res.set('retry-after', '5');
  const wantsHtml = ['/tasks/', '/invitations/', '/reviews/', '/approvals/'].some((p) => req.path.startsWith(p)) && !req.is('application/json') && req.accepts(['html', 'json']) === 'html';
  if (wantsHtml) {
    // The refusal in the reader's language: the page's own when the route got that far, else ?lang= or the browser's.
    const language = errorPageLanguage(req, res);
    const title = translator(language)('pages:refusal.title');
    res.status(problem.status).type('html').send(renderPage('message', language, { title, hasError: true, message: refusalText(language, problem.status, problem.message) }));
    return;
  }
  res.status(problem.status).json(problem);
};
