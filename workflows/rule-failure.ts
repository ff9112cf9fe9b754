import { ApplicationFailure } from '@temporalio/workflow';
import { RuleError } from '../domain/rule-error';

/**
 * Runs a domain check inside an Update validator. A RuleError becomes an
 * ApplicationFailure whose type is the rule's kind and whose first detail holds
 * the rule's details and its refusal as a code (`{ ...details, said }`), so the
 * API answers 404/409/403 and words the refusal without parsing messages
 * (`saidOfFailureDetails`).
 */
export function enforce(check: () => void): void {
  try {
    check();
  } catch (err) {
    if (err instanceof RuleError) {
      throw ApplicationFailure.create({ type: err.kind, message: err.message, details: [{ ...(err.details ?? {}), said: err.said }], nonRetryable: true });
    }
    throw err;
  }
}
