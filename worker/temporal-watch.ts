import type { Logger } from '../infra/logger';

export interface TemporalWatchOptions {
  /** One cheap call to the server (GetSystemInfo); rejects when it cannot be reached. */
  probe: () => Promise<unknown>;
  /** Unreachable this long without a break, the worker gives up (TEMPORAL_UNREACHABLE_EXIT_AFTER). */
  exitAfterMs: number;
  /** Called once, when `exitAfterMs` has passed; stops the process (exit 1). */
  onGone: (reason: string) => void;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  everyMs?: number;
  /** A probe still unanswered after this long counts as a failure (the SDK retries inside it). */
  probeTimeoutMs?: number;
}

/**
 * Watches whether the Temporal server answers. The SDK's pollers retry a
 * server that has gone for ever (every 10 s at most), which rides out a
 * restart but also keeps a worker whose server is never coming back — an
 * orphan of a test run, a launcher that lost its signal — running for hours,
 * logging retries. So: one line when the server stops answering, one when it
 * is back, and past `exitAfterMs` a line saying why, then `onGone` (the
 * process exits 1 and its supervisor restarts it; docs/operations.md, "Stopping").
 * Returns a function that stops watching.
 */
export function watchTemporal({ probe, exitAfterMs, onGone, logger, everyMs = 5000, probeTimeoutMs = 15_000 }: TemporalWatchOptions): () => void {
  let unreachableSince: number | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const check = async () => {
    try {
      let expire: NodeJS.Timeout | undefined;
      await Promise.race([
        probe(),
        new Promise((_, reject) => (expire = setTimeout(() => reject(new Error(`no answer within ${probeTimeoutMs} ms`)), probeTimeoutMs).unref())),
      ]).finally(() => clearTimeout(expire));
      if (unreachableSince !== undefined) logger.info({ unreachableMs: Date.now() - unreachableSince }, 'Temporal server reachable again');
      unreachableSince = undefined;
    } catch (err) {
      const now = Date.now();
      if (unreachableSince === undefined) {
        unreachableSince = now;
        logger.warn({ err, exitAfterMs }, `Temporal server not reachable; polls retry, and the worker exits if it stays away ${exitAfterMs / 1000} s`);
      } else if (now - unreachableSince >= exitAfterMs) {
        stopped = true;
        const reason = `Temporal server unreachable for ${Math.round((now - unreachableSince) / 1000)} s`;
        logger.error({ unreachableMs: now - unreachableSince, exitAfterMs }, `${reason}; exiting so that a supervisor restarts the worker`);
        onGone(reason);
        return;
      }
    }
    if (!stopped) timer = setTimeout(() => void check(), everyMs).unref();
  };
  timer = setTimeout(() => void check(), everyMs).unref();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
