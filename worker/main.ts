import { DefaultLogger, NativeConnection, Runtime, makeTelemetryFilterString } from '@temporalio/worker';
import { createRegistryClient } from '../activities/registry-client';
import { loadConfig } from '../infra/config';
import { createLogger } from '../infra/logger';
import { createSmtpMailer } from '../infra/mailer';
import { Store } from '../infra/store/store';
import { createWorker } from './create-worker';

/** Worker process: reads config, wires dependencies, polls until SIGINT/SIGTERM, then closes cleanly. */
async function main(): Promise<void> {
  const config = loadConfig();
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

  const store = await Store.open(config.databaseUrl);
  const mailer = createSmtpMailer(config.smtpUrl, config.mailFrom);
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  const worker = await createWorker({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    deps: {
      mailer,
      store,
      registry: createRegistryClient(config.apiBaseUrl, config.apiToken),
      publicBaseUrl: config.publicBaseUrl,
      taskLinkSecret: config.taskLinkSecret,
      digest: config.digest,
    },
  });
  logger.info(
    { taskQueue: config.temporal.taskQueue, temporal: config.temporal.address, metrics: config.workerMetricsPort },
    'worker started',
  );
  try {
    await worker.run(); // resolves after a shutdown signal once in-flight work has finished
  } finally {
    await connection.close();
    mailer.close();
    await store.close();
    logger.info('worker stopped');
  }
}

main().catch((err) => {
  process.stderr.write(`worker failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
