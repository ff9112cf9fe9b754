import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { startCluster } from '../scripts/cluster/cluster';
import { spawnEntry, type ManagedProcess } from '../scripts/local-processes';
import { waitForOutput } from '../scripts/local-service';
import { runBaseline, runRoundTrip, type RoundTripResult, type RoundTripService } from './round-trip';
import { table } from './stats';

/**
 * `npm run bench -- --cluster`: the approval round trip on the cluster of
 * `npm run cluster` (Temporal split into its services on PostgreSQL, two API
 * instances), with two workers and then with one, beside the baseline worker
 * on the same cluster. Gates are prepared and decided through API 1.
 */
export async function runClusterBench(options: { n: number; concurrency: number; out: string; log: (line: string) => void; verbose: boolean }): Promise<void> {
  const started = Date.now();
  const { log } = options;
  log('starting the cluster (split services, 2 APIs, 2 workers) and the baseline worker');
  const cluster = await startCluster({
    apis: 2,
    workers: 2,
    services: 'split',
    env: { LINK_RATE_LIMIT: '1000000', DIGEST_AFTER: '0' },
    onOutput: options.verbose ? (name, text) => process.stderr.write(`[${name}] ${text}`) : undefined,
    log,
  });
  let baselineWorker: ManagedProcess | undefined;
  const connection = await Connection.connect({ address: cluster.layout.frontends[0] });
  try {
    const api = cluster.apis[0].base;
    const svc: RoundTripService = {
      mail: cluster.mail,
      async call(method, path, body) {
        const res = await fetch(`${api}${path}`, {
          method,
          headers: { authorization: `Bearer ${cluster.apiKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
          body: body ? JSON.stringify(body) : undefined,
        });
        const text = await res.text();
        return { status: res.status, body: text.startsWith('{') ? JSON.parse(text) : text };
      },
      async form(url, fields) {
        const params = new URLSearchParams();
        for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) params.append(k, one);
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: params.toString() });
        return { status: res.status, text: await res.text() };
      },
    };
    baselineWorker = spawnEntry('baseline-worker', 'bench/baseline/worker.ts', { ...process.env, TEMPORAL_ADDRESS: cluster.layout.frontends[0], LOG_LEVEL: 'warn' });
    await waitForOutput(baselineWorker, 'worker started');

    log(`ours with two workers: ${options.n} gates, ${options.concurrency} at a time`);
    const twoWorkers = await runRoundTrip(svc, options.n, options.concurrency);
    log(`baseline: ${options.n} minimal Update workflows, ${options.concurrency} at a time`);
    const baseline = await runBaseline(new Client({ connection }), options.n, options.concurrency);
    log('stopping worker-2 (SIGTERM)');
    await cluster.processes['worker-2'].stop('SIGTERM');
    log(`ours with one worker: ${options.n} gates, ${options.concurrency} at a time`);
    const oneWorker = await runRoundTrip(svc, options.n, options.concurrency);

    const report = {
      at: new Date().toISOString(),
      machine: { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30) },
      temporalServer: cluster.binaries.version,
      options: { n: options.n, concurrency: options.concurrency, services: 'split', apis: 2 },
      totalSeconds: Math.round((Date.now() - started) / 1000),
      roundTrip: { twoWorkers, oneWorker, baseline },
    };
    const out = resolve(__dirname, '..', options.out);
    mkdirSync(resolve(out, '..'), { recursive: true });
    writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
    const row = (label: string, x: RoundTripResult) => [label, x.n, x.concurrency, x.decisionRecordedMs.p50, x.latencyMs.p50, x.latencyMs.p95, x.latencyMs.p99, x.gatesPerSecond];
    process.stdout.write(
      `${table(`Approval round trip on the cluster (Temporal ${cluster.binaries.version} on PostgreSQL, split; ${report.machine.cores} cores), ms`, ['', 'n', 'conc.', 'recorded p50', 'p50', 'p95', 'p99', 'gates/s'], [
        row('ours, two workers', twoWorkers),
        row('ours, one worker', oneWorker),
        row('baseline (bare client Update → result)', baseline),
      ])}\n\nJSON written to ${out}\n`,
    );
  } finally {
    await baselineWorker?.stop();
    await connection.close();
    await cluster.stop();
  }
}
