import { ALL_SEARCH_ATTRIBUTES } from '../../workflows/partnership/search-attributes';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { PdfPrinter } from '../../activities/documents/pdf-printer';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Runtime, DefaultLogger, type Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createRegistryClient, type RegistryClient } from '../../activities/registry-client';
import type { DigestSettings } from '../../domain/human-tasks/digest';
import { createApp } from '../../api/create-app';
import { workflowPollers } from '../../api/worker-presence';
import { createServices, type Services } from '../../api/services';
import { createLogger } from '../../infra/logger';
import { createSmtpMailer } from '../../infra/mailer';
import { startMailSink, type MailSink } from '../../infra/mail-sink';
import { Store } from '../../infra/store/store';
import { createWorker } from '../../worker/create-worker';
import { workflowsPath } from '../../worker/workflow-code';

export const TEST_API_KEY = 'test-api-key';
export const TEST_SECRET = 'test-task-link-secret-0123456789';

let runtimeInstalled = false;
/** SDK logs at WARN and above only, so test output stays readable. */
export function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({ logger: new DefaultLogger('WARN') });
}

/**
 * Starts a real Temporal dev server from the CLI found by globalSetup.
 * `extraArgs` go to `temporal server start-dev`, e.g. dynamic config values
 * that lower a limit so a test reaches it at a size that runs in minutes.
 */
export async function startTemporal(dbFilename?: string, extraArgs: string[] = []): Promise<TestWorkflowEnvironment> {
  const path = process.env.TEMPORAL_CLI;
  if (!path) throw new Error('TEMPORAL_CLI is not set; run the tests through jest (globalSetup finds the CLI)');
  quietRuntime();
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path },
      searchAttributes: ALL_SEARCH_ATTRIBUTES,
      ...(dbFilename ? { dbFilename } : {}),
      ...(extraArgs.length ? { extraArgs } : {}),
    },
  });
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** Bundling takes seconds: once per test file. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: new DefaultLogger('WARN') });
  return bundle;
}

export interface Stack {
  env: TestWorkflowEnvironment;
  mail: MailSink;
  /** The API's database, for a test to arrange or inspect what the API holds; the worker never touches it. */
  store: Store;
  apiUrl: string;
  /** The worker's client of the API (the registry, the sent-log, out-of-office lookups). */
  registry: RegistryClient;
  app: ReturnType<typeof createApp>;
  taskQueue: string;
  worker: Worker;
  /** Stops the worker (letting in-flight work finish) and starts a fresh one, as a deployment restart would. */
  /** Optionally with other workflow code (`bundle`), as a deployment of a new version would. */
  restartWorker(bundle?: WorkflowBundleWithSourceMap): Promise<void>;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Approver digests for the worker; absent, every task email goes out on its own (as most tests expect). */
  digest?: DigestSettings;
  /** Workflow code for the first worker (e.g. an earlier version, to test an upgrade); today's code by default. */
  firstBundle?: WorkflowBundleWithSourceMap;
}

/**
 * Everything real, in one process: dev server, SMTP sink, SQLite store, the
 * Express API on a free port, and a worker whose activities use the dev
 * server, the SMTP sink and the API (which alone opens the store).
 */
export async function startStack(name: string, devServerArgs: string[] = [], options: StackOptions = {}): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), `msp-${name}-`));
  const env = await startTemporal(undefined, devServerArgs);
  try {
    return await startAround(env, dir, name, options);
  } catch (err) {
    await env.teardown();
    throw err;
  }
}

async function startAround(env: TestWorkflowEnvironment, dir: string, name: string, options: StackOptions): Promise<Stack> {
  const mail = await startMailSink();
  const store = await Store.open(`sqlite:${join(dir, 'msp.db')}`);
  const taskQueue = `test-${name}`;
  const logger = createLogger('test-api', 'silent');
  // Listen first so the app can be built knowing its own public URL (task links point at it).
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const printer = new PdfPrinter();
  const app = createApp({
    client: env.client,
    store,
    logger,
    config: {
      apiKeys: [TEST_API_KEY],
      taskLinkSecret: TEST_SECRET,
      publicBaseUrl: apiUrl,
      temporal: { address: '', namespace: 'default', taskQueue },
    },
    printer,
  });
  server.on('request', app);

  const mailer = createSmtpMailer(`smtp://127.0.0.1:${mail.port}`, 'MSP Test <test@msp.local>');
  const registry = createRegistryClient(apiUrl, TEST_API_KEY);
  const bundle = await workflowBundle();
  const makeWorker = (code: WorkflowBundleWithSourceMap = bundle) =>
    createWorker({
      connection: env.nativeConnection,
      namespace: 'default',
      taskQueue,
      workflowBundle: code,
      shutdownGraceTime: '2s',
      deps: {
        mailer,
        registry,
        publicBaseUrl: apiUrl,
        taskLinkSecret: TEST_SECRET,
        ...(options.digest ? { digest: options.digest } : {}),
      },
    });
  const worker = await makeWorker(options.firstBundle);
  let running = worker.run();
  // The API refuses at once while no worker has polled (api/worker-presence.ts): on a loaded machine the
  // first poll can trail run() by seconds, so the stack is ready only once the server has seen it.
  await untilPolled(env, taskQueue, running);

  const stack: Stack = {
    env,
    mail,
    store,
    apiUrl,
    registry,
    app,
    taskQueue,
    worker,
    async restartWorker(code?: WorkflowBundleWithSourceMap) {
      stack.worker.shutdown();
      await running;
      stack.worker = await makeWorker(code);
      running = stack.worker.run();
    },
    async stop() {
      if (process.env.DEBUG_TASK_FAILURES) {
        for await (const wf of env.client.workflow.list()) {
          const history = await env.client.workflow.getHandle(wf.workflowId, wf.runId).fetchHistory();
          for (const e of history.events ?? []) {
            if (e.workflowTaskFailedEventAttributes) {
              console.error(wf.workflowId, JSON.stringify(e.workflowTaskFailedEventAttributes).slice(0, 3000));
            }
          }
        }
      }
      stack.worker.shutdown();
      await running;
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      mailer.close();
      await printer.close();
      await mail.close();
      await store.close();
      await env.teardown();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return stack;
}

/**
 * Waits until the dev server lists a workflow poller on `taskQueue` (30 s at
 * most); throws the worker's own error if it stopped meanwhile.
 */
async function untilPolled(env: TestWorkflowEnvironment, taskQueue: string, running: Promise<void>): Promise<void> {
  let stopped: unknown;
  running.catch((err: unknown) => (stopped = err ?? new Error('the worker stopped')));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (stopped) throw stopped;
    if ((await workflowPollers(env.client, taskQueue)).length) return;
    if (Date.now() > deadline) throw new Error(`no worker polled the task queue "${taskQueue}" within 30 s of starting`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Registers beforeAll/afterAll that start and stop a stack for the calling
 * test file; the returned object is filled in once beforeAll has run.
 */
export function useStack(name: string, devServerArgs: string[] = [], options: StackOptions = {}): { stack: Stack; service: Services } {
  const ctx = {} as { stack: Stack; service: Services };
  beforeAll(async () => {
    ctx.stack = await startStack(name, devServerArgs, options);
    ctx.service = createServices(ctx.stack.env.client, ctx.stack.taskQueue, { registry: ctx.stack.store });
  });
  afterAll(async () => {
    await ctx.stack?.stop();
  });
  return ctx;
}
