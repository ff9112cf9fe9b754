import { createServer } from 'node:net';
import { startLocalService } from '../../scripts/local-service';

/**
 * The test service picks free ports up front; by the time the worker binds its
 * metrics port, a parallel test's Temporal server (which takes random ports of
 * its own) may hold it. The worker then exits with "Address already in use",
 * and the service must start it again on another port rather than fail the test.
 */
test('a worker whose metrics port is taken by the time it starts is started again on another port', async () => {
  const squatter = createServer();
  await new Promise<void>((r) => squatter.listen(0, '127.0.0.1', r));
  const taken = (squatter.address() as { port: number }).port;
  try {
    const svc = await startLocalService(process.env.TEMPORAL_CLI!, { env: { WORKER_METRICS_PORT: String(taken) } });
    try {
      expect(svc.config.WORKER_METRICS_PORT).not.toBe(String(taken));
      expect(svc.processes.worker.proc.exitCode).toBeNull();
      expect((await svc.call('GET', '/api/partnerships?limit=1')).status).toBe(200);
    } finally {
      expect(await svc.stop()).toEqual({ api: 0, worker: 0 });
    }
  } finally {
    await new Promise((r) => squatter.close(r));
  }
}, 120_000);
