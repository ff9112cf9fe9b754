/**
 * A refusal by a domain rule. `kind` maps to an HTTP status in the API and to
 * an ApplicationFailure type when raised inside an Update validator.
 */
export type RuleErrorKind = 'NotFound' | 'Conflict' | 'Invalid' | 'Forbidden' | 'Expired';

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
