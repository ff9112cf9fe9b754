import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { startLocalService, type LocalService } from '../../scripts/local-service';
import { partnershipRequest } from '../support/fixtures';

/**
 * Shutdown finishes within its stated bound (docs/operations.md, "Stopping") whatever the
 * clients and the Temporal server do: here the dev server goes at the same
 * moment, one client never finishes its request and another waits on Temporal.
 */
jest.setTimeout(180_000);

let svc: LocalService | undefined;
afterEach(async () => {
  await svc?.stop();
  svc = undefined;
});

/** Milliseconds until the process exits, and its exit code. */
async function exitOf(stop: Promise<number | null>, started: number): Promise<{ code: number | null; ms: number }> {
  const code = await stop;
  return { code, ms: Date.now() - started };
}

test('SIGTERM to the API, the worker and the Temporal dev server at once: each exits within its bound, saying what it did', async () => {
  svc = await startLocalService(process.env.TEMPORAL_CLI!, { env: { LOG_LEVEL: 'info' } });
  const created = await svc.call('POST', '/api/partnerships', partnershipRequest());
  expect(created.status).toBe(201);
  const { port } = new URL(svc.base);
  // A client that never finishes its request headers: not idle, so closing the server alone would wait for it.
  const slow = connect(Number(port), '127.0.0.1');
  await new Promise((r) => slow.once('connect', r));
  slow.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
  slow.on('error', () => undefined);
  // A request waiting on Temporal when it goes.
  const waiting = fetch(`${svc.base}/api/partnerships/${created.body.id}`, { headers: { authorization: `Bearer ${svc.apiKey}` } }).catch(() => undefined);

  const started = Date.now();
  const [api, worker] = await Promise.all([
    exitOf(svc.processes.api.stop('SIGTERM'), started),
    exitOf(svc.processes.worker.stop('SIGTERM'), started),
    svc.processes.temporal.stop('SIGTERM'),
  ]);
  await waiting;
  slow.destroy();

  process.stderr.write(`shutdown: api ${JSON.stringify(api)}, worker ${JSON.stringify(worker)}\n`);
  // No wall-clock assertion (machines here are noisy): each process ended on its own — exit 0, or exit 1
  // at its bound with the line naming what was open (below) — rather than waiting on the gone server.
  expect([api.code, worker.code].every((c) => typeof c === 'number')).toBe(true);
  const apiLog = svc.processes.api.output.join('');
  const workerLog = svc.processes.worker.output.join('');
  // Exit 0 when everything closed in time; 1 only with the line naming what was still open.
  for (const [who, { code }, log] of [['api', api, apiLog], ['worker', worker, workerLog]] as const) {
    expect({ who, code, named: code === 0 || /shutdown did not finish within .*stillOpen/.test(log) }).toEqual({ who, code: expect.any(Number), named: true });
    expect(log).toMatch(/"msg":"stopping"/);
  }
  expect(workerLog).toMatch(/worker drained/);
});

test('a shutdown step that never ends: the process exits 1 at the bound, naming the step and what keeps it alive', async () => {
  // A tiny process built on the same BoundedShutdown: a socket that never closes, as a half-closed gRPC connection would.
  const script = `
    const net = require('node:net');
    const { BoundedShutdown } = require(${JSON.stringify(join(__dirname, '../../infra/shutdown.ts'))});
    const { createLogger } = require(${JSON.stringify(join(__dirname, '../../infra/logger.ts'))});
    const server = net.createServer(() => undefined).listen(0, '127.0.0.1', () => {
      const socket = net.connect(server.address().port, '127.0.0.1');
      const shutdown = new BoundedShutdown(createLogger('t', 'info'), 1500);
      shutdown.add('Temporal connection', () => new Promise(() => undefined));
      shutdown.add('quick thing', () => undefined);
      console.log('ready');
    });`;
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], { cwd: join(__dirname, '../..'), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  while (!out.includes('ready')) await new Promise((r) => setTimeout(r, 50));
  const started = Date.now();
  child.kill('SIGTERM');
  setTimeout(() => child.kill('SIGTERM'), 200); // a second signal changes nothing
  const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  expect(code).toBe(1);
  expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
  expect(Date.now() - started).toBeLessThan(4000);
  expect(out).toMatch(/already stopping/);
  const line = JSON.parse(out.split('\n').find((l) => l.includes('shutdown did not finish'))!);
  expect(line).toMatchObject({ step: 'Temporal connection', stillOpen: ['Temporal connection'], handles: expect.objectContaining({ TCPSocketWrap: expect.any(Number) }) });
});
