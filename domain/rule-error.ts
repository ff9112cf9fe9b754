/**
 * A refusal by a domain rule. `kind` maps to an HTTP status in the API and to
 * an ApplicationFailure type when raised inside an Update validator.
 * `Expired`: its own deadline passed; `Closed`: what it belongs to ended
 * (its partnership closed or was ended) before it was answered.
 * `PreconditionRequired`: a replace-style write that names no version (HTTP 428).
 */
export type RuleErrorKind = 'NotFound' | 'Conflict' | 'Invalid' | 'Forbidden' | 'Expired' | 'Closed' | 'PreconditionRequired';

export class RuleError extends Error {
  constructor(
    readonly kind: RuleErrorKind,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'RuleError';
  }
}
