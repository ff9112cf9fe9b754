import { ApplicationFailure } from '@temporalio/workflow';
import { RuleError } from '../domain/rule-error';

/**
 * Runs a domain check inside an Update validator. A RuleError becomes an
 * ApplicationFailure whose type is the rule's kind, so the API can answer
 * 404/409/403 without parsing messages.
 */
export function enforce(check: () => void): void {
  try {
    check();
  } catch (err) {
    if (err instanceof RuleError) {
      throw ApplicationFailure.create({ type: err.kind, message: err.message, details: [err.details ?? {}], nonRetryable: true });
    }
    throw err;
  }
}
