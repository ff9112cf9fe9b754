import type { Logger } from './logger';

/**
 * A process's shutdown with a bound: on the first SIGTERM or SIGINT it closes
 * what was registered, newest first, each step named; whatever clients or the
 * Temporal server do, it exits within `boundMs` — 0 when everything closed,
 * else 1 with a log line naming what was still open. Later signals are logged
 * and change nothing (they do not kill the process half-way, as the default
 * action would once the Temporal SDK has dropped its own handlers).
 *
 * Handlers are installed when this is created, before anything connects, so a
 * signal during start-up is bounded too.
 */
export class BoundedShutdown {
  private readonly open: Array<{ name: string; close: () => Promise<unknown> | unknown }> = [];
  private stopping: Promise<never> | undefined;
  private current = '';

  constructor(
    private readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>,
    readonly boundMs: number,
    /** Runs first on a signal (e.g. the Temporal SDK's own worker shutdown); awaited like a step. */
    private readonly first?: { name: string; run: () => Promise<unknown> },
  ) {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void this.stop(signal));
  }

  /** Something to close on shutdown; closed in the reverse order of registration. */
  add(name: string, close: () => Promise<unknown> | unknown): void {
    this.open.push({ name, close });
  }

  get started(): boolean {
    return this.stopping !== undefined;
  }

  /** `failed`: the process is stopping because something went wrong; it exits 1 even if everything closes. */
  stop(reason: string, failed = false): Promise<never> {
    if (this.stopping) {
      this.logger.warn({ reason, step: this.current, stillOpen: this.open.map((o) => o.name) }, `already stopping; exits within ${this.boundMs / 1000} s of the first signal`);
      return this.stopping;
    }
    // Names what is open now, so a line at the bound (or a supervisor's kill) can be read against it.
    this.logger.info({ reason, boundMs: this.boundMs, open: [...(this.first ? [this.first.name] : []), ...this.open.map((o) => o.name).reverse()] }, 'stopping');
    // A referenced timer: it fires even if a half-closed socket keeps the event loop alive forever.
    setTimeout(() => {
      this.logger.error(
        { step: this.current, stillOpen: this.open.map((o) => o.name), handles: activeHandles() },
        `shutdown did not finish within ${this.boundMs / 1000} s; exiting with what is still open`,
      );
      process.exit(1);
    }, this.boundMs);
    this.stopping = this.closeAll(failed);
    return this.stopping;
  }

  private async closeAll(failedBefore: boolean): Promise<never> {
    let failed = failedBefore;
    if (this.first) {
      this.current = this.first.name;
      await this.first.run().catch((err: unknown) => {
        failed = true;
        this.logger.error({ err, step: this.first!.name }, 'shutdown step failed');
      });
    }
    while (this.open.length > 0) {
      const last = this.open[this.open.length - 1];
      this.current = last.name;
      try {
        await last.close();
      } catch (err) {
        failed = true;
        this.logger.error({ err, step: last.name }, 'shutdown step failed');
      }
      this.open.pop();
    }
    this.logger.info('stopped');
    process.exit(failed ? 1 : 0);
  }
}

/**
 * Stops the process when the process that started it has gone: with
 * `EXIT_WITH_PARENT=1` (set by the launchers in scripts/local-processes.ts,
 * i.e. `npm run dev` and the test harness). A launcher killed outright cannot
 * pass on a signal; without this its worker would poll a Temporal server that
 * went with it, for ever. Off by default: under systemd or Kubernetes the
 * parent is the supervisor, and a shell that started a worker with `&` may end.
 */
export function stopWithParent(shutdown: BoundedShutdown, env: NodeJS.ProcessEnv = process.env, everyMs = 1000): void {
  if (env.EXIT_WITH_PARENT !== '1') return;
  const parent = process.ppid;
  const timer = setInterval(() => {
    // Re-parented (to init or a subreaper): the launcher has gone.
    if (process.ppid === parent) return;
    clearInterval(timer);
    void shutdown.stop(`parent process ${parent} gone`, true);
  }, everyMs);
  timer.unref();
}

/** What keeps the event loop alive, by kind, e.g. `{Socket: 1, Timeout: 1}`: the log line names it. */
function activeHandles(): Record<string, number> {
  const counts: Record<string, number> = {};
  const getter = (process as unknown as { getActiveResourcesInfo?: () => string[] }).getActiveResourcesInfo;
  for (const kind of getter ? getter.call(process) : []) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}
