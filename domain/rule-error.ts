import { isSaid, saidForLog, type Said } from './said';

/**
 * A refusal by a domain rule. `kind` maps to an HTTP status in the API and to
 * an ApplicationFailure type when raised inside an Update validator.
 * `Expired`: its own deadline passed; `Closed`: what it belongs to ended
 * (its partnership closed or was ended) before it was answered.
 * `PreconditionRequired`: a replace-style write that names no version (HTTP 428).
 */
export type RuleErrorKind = 'NotFound' | 'Conflict' | 'Invalid' | 'Forbidden' | 'Expired' | 'Closed' | 'PreconditionRequired';

/**
 * The refusal itself is a code with parameters (`refusals:task.alreadyDecided`
 * with who and when; domain/said.ts): pages, emails and retries branch on
 * `said.code`, and only the edge turns it into words. The Error's `message`
 * is that code and its parameters as one line, for logs.
 */
export class RuleError extends Error {
  readonly said: Said;
  constructor(
    readonly kind: RuleErrorKind,
    said: Said,
    readonly details?: Record<string, unknown>,
  ) {
    super(saidForLog(said));
    this.said = said;
    this.name = 'RuleError';
  }

  /** The stable code of the refusal, e.g. `refusals:task.handedOver`. */
  get code(): string {
    return this.said.code;
  }
}

/**
 * The refusal a failure carries across Temporal: `enforce` (workflows/rule-failure.ts)
 * puts the Said in the ApplicationFailure's first detail as `{ said }`.
 * Undefined for anything else.
 */
export function saidOfFailureDetails(details: readonly unknown[] | undefined): Said | undefined {
  const first = details?.[0] as { said?: unknown } | undefined;
  return isSaid(first?.said) ? first.said : undefined;
}
