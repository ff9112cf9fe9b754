import { DefaultLogger, NativeConnection, Runtime, makeTelemetryFilterString, type Worker } from '@temporalio/worker';
import { createRegistryClient } from '../activities/registry-client';
import { loadWorkerConfig } from '../infra/config';
import { createLogger } from '../infra/logger';
import { createSmtpMailer } from '../infra/mailer';
import { BoundedShutdown, stopWithParent } from '../infra/shutdown';
import { workflowCacheSize } from '../infra/workflow-cache';
import { createWorker, WORKER_SETTINGS } from './create-worker';
import { prebuiltWorkflowBundle } from './workflow-code';
import { watchTemporal } from './temporal-watch';
import { msToNumber } from '@temporalio/common/lib/time';

/** After the SDK's grace time for in-flight activities, this long for it to wind down and for us to close (docs/operations.md, "Stopping"). */
const AFTER_GRACE_MS = 15_000;

/** How long one reachability probe of the Temporal server may take. */
const PROBE_TIMEOUT_MS = 5000;

/**
 * Worker process: reads config, wires dependencies, polls until SIGINT/SIGTERM.
 * The SDK then drains (in-flight activities get WORKER_SETTINGS.shutdownGraceTime);
 * we close the connection, and the mailer, and exit within the bound.
 * A Temporal server gone for longer than TEMPORAL_UNREACHABLE_EXIT_AFTER, or
 * (under a launcher) the launcher gone, stops it the same way, with exit 1.
 * It opens no database: what it reads and writes of the API's goes through the
 * API (`createRegistryClient`), which owns it.
 */
async function main(): Promise<void> {
  const config = loadWorkerConfig();
  const logger = createLogger('worker', config.logLevel);
  Runtime.install({
    // SDK and workflow logs go through pino like the rest of the process.
    logger: new DefaultLogger('INFO', (entry) => {
      const level = entry.level === 'TRACE' ? 'trace' : entry.level === 'WARN' ? 'warn' : (entry.level.toLowerCase() as 'info');
      logger[level](entry.meta ?? {}, entry.message);
    }),
    telemetryOptions: {
      logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} },
      metrics: { prometheus: { bindAddress: `127.0.0.1:${config.workerMetricsPort}` } },
    },
  });
  // On a signal the SDK's own handlers start the worker's shutdown too; a stop for another reason (the server or
  // the launcher gone) must start it here, or the drain would wait for a shutdown nobody asked for.
  const polling: { worker?: Worker } = {};
  let running: Promise<void> = Promise.resolve();
  const shutdown = new BoundedShutdown(logger, msToNumber(WORKER_SETTINGS.shutdownGraceTime) + AFTER_GRACE_MS, {
    name: 'worker draining in-flight tasks',
    run: () => {
      if (polling.worker?.getState() === 'RUNNING') polling.worker.shutdown();
      return running;
    },
  });
  stopWithParent(shutdown);

  const mailer = createSmtpMailer(config.smtpUrl, config.mailFrom);
  shutdown.add('mailer', () => mailer.close());
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  shutdown.add('Temporal connection', () => connection.close());
  const unwatch = watchTemporal({
    probe: () => connection.withDeadline(Date.now() + PROBE_TIMEOUT_MS, () => connection.workflowService.getSystemInfo({})),
    exitAfterMs: config.temporal.unreachableExitAfterMs!,
    onGone: (reason) => void shutdown.stop(reason, true),
    logger,
  });
  shutdown.add('Temporal reachability watch', unwatch);
  const workflowCache = workflowCacheSize(config.workflowCache);
  const workflowBundle = prebuiltWorkflowBundle(config.production);
  const worker = await createWorker({
    connection,
    workflowBundle,
    maxCachedWorkflows: workflowCache.maxCachedWorkflows,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    deps: {
      mailer,
      registry: createRegistryClient(config.apiBaseUrl, config.apiToken),
      publicBaseUrl: config.publicBaseUrl,
      taskLinkSecret: config.taskLinkSecret,
      digest: config.digest,
    },
  });
  logger.info(
    {
      taskQueue: config.temporal.taskQueue,
      temporal: config.temporal.address,
      metrics: config.workerMetricsPort,
      workflowCache,
      workflows: workflowBundle && 'codePath' in workflowBundle ? workflowBundle.codePath : 'bundled at start',
    },
    'worker started',
  );
  polling.worker = worker;
  running = worker.run(); // resolves after a shutdown signal once in-flight work has finished
  try {
    await running;
    logger.info('worker drained');
  } catch (err) {
    logger.error({ err }, 'worker failed');
    if (!shutdown.started) await shutdown.stop('worker failed', true);
  }
  if (!shutdown.started) await shutdown.stop('worker stopped on its own');
}

main().catch((err) => {
  process.stderr.write(`worker failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
