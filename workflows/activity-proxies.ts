import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/create-activities';

/**
 * One proxy per timeout/retry profile. Email rides out an SMTP outage for a
 * day with capped backoff; registry and document calls give up sooner and the
 * workflow records the failure instead of failing the partnership.
 */
export const mail = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '1 day',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '5 minutes', nonRetryableErrorTypes: ['RegistryRejected'] },
});

export const registry = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: {
    initialInterval: '1s',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 30,
    nonRetryableErrorTypes: ['RegistryRejected'],
  },
});
