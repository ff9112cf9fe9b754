import ms, { type StringValue } from 'ms';

/**
 * Parses a duration string ("2s", "3 days", "1 hour") into milliseconds;
 * undefined when it is not one. The `ms` package is what Temporal's SDK parses
 * duration strings with, so a timing means the same here as in a timer —
 * without importing the SDK's internals into the domain.
 */
export function durationMs(value: string): number | undefined {
  try {
    const parsed = ms(value as StringValue);
    return Number.isFinite(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
