import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../activities/create-activities';
import type { ActivityDeps } from '../activities/activity-context';
import { workflowsPath } from './workflow-code';

export interface CreateWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  /** A pre-built bundle (the build's, in production: see workflow-code.ts; tests bundle once per file); otherwise the workflows are bundled at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  shutdownGraceTime?: WorkerOptions['shutdownGraceTime'];
  /** The workflow cache's bound (worker/main.ts sizes it from the worker's memory); the SDK's default when absent. */
  maxCachedWorkflows?: number;
}

/** Tuning shared with the benchmark's baseline worker, so the comparison is like for like. */
export const WORKER_SETTINGS = {
  // In-flight activities (an email being sent, a document being stored) get time to finish on SIGTERM.
  shutdownGraceTime: '30s',
  // Then 5 s more for them to give up, after which the SDK stops waiting (run() rejects) and the process can still
  // close its connection and mailer within its bound (worker/main.ts) rather than be cut off there with all of it open.
  shutdownForceTime: '35s',
} satisfies Partial<WorkerOptions>;

export async function createWorker(opts: CreateWorkerOptions): Promise<Worker> {
  return Worker.create({
    ...WORKER_SETTINGS,
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    activities: createActivities(opts.deps),
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath: workflowsPath() }),
    ...(opts.shutdownGraceTime ? { shutdownGraceTime: opts.shutdownGraceTime } : {}),
    ...(opts.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: opts.maxCachedWorkflows } : {}),
  });
}
