import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/create-activities';

/**
 * One proxy per timeout/retry profile. Email rides out an SMTP outage for a
 * day with capped backoff; registry and document calls give up sooner and the
 * workflow records the failure instead of failing the partnership.
 *
 * Start-to-close is also how long the server waits before retrying an attempt
 * whose worker died: 30 s is well above a real send or render (under a second
 * here; the mailer and registry client time out at 20 s and 15 s themselves).
 */
export const mail = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '1 day',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '5 minutes', nonRetryableErrorTypes: ['RegistryRejected'] },
});

export const registry = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1s',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 30,
    nonRetryableErrorTypes: ['RegistryRejected'],
  },
});
