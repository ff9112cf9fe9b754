import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Client } from '@temporalio/client';
import { optionalTsToMs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { HttpError, toProblem } from './errors';

/**
 * Temporal up but no worker polling our task queue looks, from the API, like a
 * query or Update that never returns. This tells the two apart: requests that
 * need a workflow to answer get a deadline, are refused at once when no worker
 * has polled lately, and a 503 from a timeout says which of the two it was.
 */
export interface WorkerPresenceOptions {
  /** How long a request may wait for workflows to answer. */
  deadlineMs?: number;
  /** A poller seen within this long counts as a worker (a live one polls at least every minute). */
  freshMs?: number;
}

/**
 * The pollers Temporal has seen lately on `taskQueue`'s workflow tasks, asked
 * with a two-second deadline. Throws what the client throws when Temporal
 * does not answer.
 */
export async function workflowPollers(client: Client, taskQueue: string): Promise<temporal.api.taskqueue.v1.IPollerInfo[]> {
  const { pollers } = await client.connection.withDeadline(Date.now() + 2000, () =>
    client.workflowService.describeTaskQueue({
      namespace: client.options.namespace,
      taskQueue: { name: taskQueue },
      taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    }),
  );
  return pollers ?? [];
}

/**
 * True when Temporal has seen a poller of `taskQueue`'s workflow tasks within
 * `freshMs` (a live worker polls at least every minute). Throws as
 * `workflowPollers` does when Temporal does not answer.
 */
export async function workerPolledWithin(client: Client, taskQueue: string, freshMs: number): Promise<boolean> {
  const pollers = await workflowPollers(client, taskQueue);
  const now = Date.now();
  return pollers.some((p) => now - (optionalTsToMs(p.lastAccessTime) ?? 0) < freshMs);
}

export function workerPresence(client: Client, taskQueue: string, { deadlineMs = 20_000, freshMs = 90_000 }: WorkerPresenceOptions = {}) {
  // The last answer, kept briefly so a burst of requests costs one probe (and an unreachable server one wait).
  let last: { seen: boolean | undefined; until: number } = { seen: undefined, until: 0 };
  const noWorker = () =>
    new HttpError(
      503,
      `no worker is serving the task queue "${taskQueue}" (Temporal is up, but no worker has polled it in the last ${freshMs / 1000} s); start the worker (npm run worker) or see why it stopped, then try again`,
      { taskQueue },
    );

  /** True: a worker polled lately; false: none; undefined: Temporal itself did not answer. */
  async function workerSeen(): Promise<boolean | undefined> {
    if (Date.now() < last.until) return last.seen;
    let seen: boolean | undefined;
    try {
      seen = await workerPolledWithin(client, taskQueue, freshMs);
    } catch {
      seen = undefined;
    }
    last = { seen, until: Date.now() + (seen === false ? 1000 : 5000) };
    return seen;
  }

  /** Before a route that needs a workflow: refuse at once without a worker; otherwise bound the wait. */
  const guard: RequestHandler = async (_req, _res, next) => {
    if ((await workerSeen()) === false) throw noWorker();
    void client.connection.withDeadline(Date.now() + deadlineMs, async () => next());
  };

  /** After: a 503 (timeout or unavailable) says whether Temporal or the worker was missing. */
  const classify: ErrorRequestHandler = async (err, _req, _res, next) => {
    if (err instanceof HttpError || toProblem(err).status !== 503) return next(err);
    last.until = 0;
    const seen = await workerSeen();
    if (seen === false) return next(noWorker());
    if (seen) {
      return next(
        new HttpError(
          503,
          `the workflows did not answer within ${deadlineMs / 1000} s; a worker polled the task queue "${taskQueue}" lately, so it may be overloaded or have just stopped; try again shortly`,
          { taskQueue },
        ),
      );
    }
    next(err);
  };

  return { guard, classify };
}
