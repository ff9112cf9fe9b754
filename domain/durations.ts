import { msToNumber } from '@temporalio/common/lib/time';

/** Parses a Temporal duration string ("2s", "3 days"); undefined when it is not one. */
export function durationMs(value: string): number | undefined {
  try {
    const ms = msToNumber(value as Parameters<typeof msToNumber>[0]);
    return Number.isFinite(ms) ? ms : undefined;
  } catch {
    return undefined;
  }
}
