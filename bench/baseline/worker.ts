import { NativeConnection, Runtime, DefaultLogger, Worker } from '@temporalio/worker';
import { loadConfig } from '../../infra/config';
import { WORKER_SETTINGS } from '../../worker/create-worker';

/** The baseline's worker process: same server, same worker settings as ours, its own task queue. */
export const BASELINE_TASK_QUEUE = 'bench-baseline';

async function main(): Promise<void> {
  const config = loadConfig();
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  const worker = await Worker.create({
    ...WORKER_SETTINGS,
    connection,
    namespace: config.temporal.namespace,
    taskQueue: BASELINE_TASK_QUEUE,
    workflowsPath: require.resolve('./workflows'),
  });
  process.stdout.write('worker started\n');
  try {
    await worker.run();
  } finally {
    await connection.close();
  }
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`baseline worker failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
