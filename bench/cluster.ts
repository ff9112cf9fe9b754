import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { WorkflowCacheSize } from '../infra/workflow-cache';
import { startCluster, type Cluster } from '../scripts/cluster/cluster';
import { residentBytes, spawnEntry, waitForQuiet, type ManagedProcess } from '../scripts/local-processes';
import { waitForOutput } from '../scripts/local-service';
import { MANAGER, FIRST_MAPPED } from '../test/support/fixtures';
import { runBaseline, runRoundTrip, type RoundTripResult, type RoundTripService } from './round-trip';
import { listTimes, startIdlePartnerships, timeGets, waitUntilListed, type ApiCaller } from './scale';
import { mib, table, type LatencySummary } from './stats';

/**
 * `npm run bench -- --cluster`: on the cluster of `npm run cluster` (Temporal
 * split into its services on PostgreSQL, two API instances, two workers):
 * - round trip: the approval round trip with two workers and then with one,
 *   beside the baseline worker on the same cluster; gates are prepared and
 *   decided through API 1;
 * - scale: `idle` partnerships started and left waiting, with each worker's
 *   workflow cache bounded from WORKER_MEMORY_MB (`workerMemoryMb`): resident
 *   memory of each worker, the first read of an evicted partnership against a
 *   cached read, and list and filter times.
 */
export interface ClusterBenchOptions {
  n: number;
  concurrency: number;
  idle: number;
  /** WORKER_MEMORY_MB given to each worker (sizes its workflow cache). */
  workerMemoryMb: number;
  sections: Set<string>;
  out: string;
  log: (line: string) => void;
  verbose: boolean;
}

/** Partnerships read once evicted, then again from the cache. */
const READS = 200;
/** Samples per list and filter time. */
const LIST_TIMES = 30;
const LIST_WALKS = 3;
/** The dev server's 10,000 idle partnerships with the SDK's default cache (bench/reference, 2026-11-29). */
const DEV_REFERENCE = 'bench/reference/2-cores-2026-11-29.json';

interface WorkerFacts {
  name: string;
  workflowCache: WorkflowCacheSize;
  metricsPort: number;
}

/** The cache counters of the SDK's Prometheus exporter (`temporal_sticky_cache_*`), summed over labels. */
type CacheMetrics = Record<'size' | 'hit' | 'miss' | 'total_forced_eviction', number>;

interface WorkerMemory {
  name: string;
  maxCachedWorkflows: number;
  residentBeforeMiB: number;
  residentAfterStartsMiB: number;
  residentAfterReadsMiB: number;
  cache: CacheMetrics;
  /** (resident after the starts − before) ÷ (cached after − before). */
  perCachedWorkflowKiB: number;
}

export interface ClusterScaleResult {
  started: number;
  startsPerSecond: number;
  visibleTotal: number;
  settleSeconds: number;
  workerMemoryMb: number;
  workers: WorkerMemory[];
  devServerWorkerMiB: number;
  reads: { evicted: LatencySummary; cached: LatencySummary; cacheMissesDuringEvictedReads: number; cacheHitsDuringCachedReads: number };
  listMs: Record<string, LatencySummary>;
}

/** What the worker said when it started (worker/main.ts logs its cache size and metrics port). */
function workerFacts(proc: ManagedProcess): WorkerFacts {
  const line = proc.output
    .join('')
    .split('\n')
    .find((l) => l.includes('"msg":"worker started"'));
  if (!line) throw new Error(`${proc.name} has not logged "worker started"`);
  const logged = JSON.parse(line) as { metrics: number; workflowCache: WorkflowCacheSize };
  return { name: proc.name, workflowCache: logged.workflowCache, metricsPort: logged.metrics };
}

async function cacheMetrics(port: number): Promise<CacheMetrics> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const sums: CacheMetrics = { size: 0, hit: 0, miss: 0, total_forced_eviction: 0 };
  for (const m of text.matchAll(/^temporal_sticky_cache_([a-z_]+?)(?:_total)?(?:\{[^}]*\})? (\S+)$/gm)) {
    if (m[1] in sums) sums[m[1] as keyof CacheMetrics] += Number(m[2]);
  }
  return sums;
}

/** The counters of every worker, added up. */
async function cacheTotals(workers: WorkerFacts[]): Promise<CacheMetrics> {
  const all = await Promise.all(workers.map((w) => cacheMetrics(w.metricsPort)));
  const sum = (k: keyof CacheMetrics) => all.reduce((s, m) => s + m[k], 0);
  return { size: sum('size'), hit: sum('hit'), miss: sum('miss'), total_forced_eviction: sum('total_forced_eviction') };
}

const residentMiBOf = (cluster: Cluster, name: string) => mib(residentBytes(cluster.processes[name].proc.pid));

async function runScale(cluster: Cluster, svc: ApiCaller, options: ClusterBenchOptions): Promise<ClusterScaleResult> {
  const { log } = options;
  const facts = cluster.workerNames.map((name) => workerFacts(cluster.processes[name]));
  for (const f of facts) log(`  ${f.name}: maxCachedWorkflows ${f.workflowCache.maxCachedWorkflows} (from ${f.workflowCache.from}, ${f.workflowCache.memoryMiB} MiB)`);
  const cachedBefore = await Promise.all(facts.map((f) => cacheMetrics(f.metricsPort)));
  const residentBefore = cluster.workerNames.map((name) => residentMiBOf(cluster, name));
  const listedBefore = (await svc.call('GET', '/api/partnerships?limit=1')).body.total as number;

  log(`scale: starting ${options.idle} partnerships through API 1, ${2 * options.concurrency} at a time`);
  const startedAt = Date.now();
  const starts = await startIdlePartnerships(svc, options.idle, 2 * options.concurrency, (done) =>
    log(`  ${done} started (${(done / ((Date.now() - startedAt) / 1000)).toFixed(1)}/s); worker resident MiB ${cluster.workerNames.map((name) => residentMiBOf(cluster, name)).join(' / ')}`),
  );
  const ids = starts.value;
  log('scale: waiting until every start is listed and the cluster is idle again');
  const visibleTotal = await waitUntilListed(svc, listedBefore + options.idle);
  const pids = Object.values(cluster.processes).map((p) => p.proc.pid);
  const settleMs = await waitForQuiet(pids, 0.15);
  const cachedAfter = await Promise.all(facts.map((f) => cacheMetrics(f.metricsPort)));
  const residentAfterStarts = cluster.workerNames.map((name) => residentMiBOf(cluster, name));

  const sample = ids.slice(0, Math.min(READS, ...facts.map((f) => f.workflowCache.maxCachedWorkflows)));
  const bound = facts.reduce((s, f) => s + f.workflowCache.maxCachedWorkflows, 0);
  if (options.idle - sample.length < bound) log(`  note: ${options.idle} started is not well past the caches' ${bound} together; the oldest may still be cached`);
  log(`scale: reading the ${sample.length} oldest (evicted), one at a time, then the same again (cached)`);
  const beforeReads = await cacheTotals(facts);
  const reads = sample.map((id) => `/api/partnerships/${id}`);
  const evicted = (await timeGets(svc, reads)).ms;
  const afterEvicted = await cacheTotals(facts);
  const cached = (await timeGets(svc, reads)).ms;
  const afterCached = await cacheTotals(facts);

  log(`scale: list and filter times (${LIST_TIMES} of each; every page ${LIST_WALKS} times)`);
  const listMs = await listTimes(
    svc,
    {
      'phase=adaptive-planning': 'phase=adaptive-planning',
      'status=awaiting-approval': 'status=awaiting-approval',
      [`manager=${MANAGER.email}`]: `manager=${encodeURIComponent(MANAGER.email)}`,
      [`partner=${FIRST_MAPPED.organisation} (mapped, not an active partner)`]: `partner=${encodeURIComponent(FIRST_MAPPED.organisation)}`,
    },
    { times: LIST_TIMES, walks: LIST_WALKS },
  );
  const devReference = JSON.parse(readFileSync(resolve(__dirname, '..', DEV_REFERENCE), 'utf8')) as { scale: { residentMiB: { worker: number } } };
  const finalMetrics = await Promise.all(facts.map((f) => cacheMetrics(f.metricsPort)));
  return {
    started: options.idle,
    startsPerSecond: options.idle / (starts.ms / 1000),
    visibleTotal,
    settleSeconds: settleMs / 1000,
    workerMemoryMb: options.workerMemoryMb,
    workers: facts.map((f, i) => ({
      name: f.name,
      maxCachedWorkflows: f.workflowCache.maxCachedWorkflows,
      residentBeforeMiB: residentBefore[i],
      residentAfterStartsMiB: residentAfterStarts[i],
      residentAfterReadsMiB: residentMiBOf(cluster, f.name),
      cache: finalMetrics[i],
      perCachedWorkflowKiB: Math.round(((residentAfterStarts[i] - residentBefore[i]) * 1024) / Math.max(1, cachedAfter[i].size - cachedBefore[i].size)),
    })),
    devServerWorkerMiB: devReference.scale.residentMiB.worker,
    reads: {
      evicted,
      cached,
      cacheMissesDuringEvictedReads: afterEvicted.miss - beforeReads.miss,
      cacheHitsDuringCachedReads: afterCached.hit - afterEvicted.hit,
    },
    listMs,
  };
}

function scaleTables(sc: ClusterScaleResult): string[] {
  const per = (f: (w: WorkerMemory) => number | string) => sc.workers.map(f).join(' / ');
  const latency = (label: string, x: LatencySummary) => [label, x.n, x.p50, x.p95, x.p99, x.max];
  return [
    table(`Scale on the cluster: ${sc.started} idle partnerships (${sc.visibleTotal} listed), each worker given WORKER_MEMORY_MB=${sc.workerMemoryMb}`, ['', sc.workers.map((w) => w.name).join(' / ')], [
      ['starts through the API, per second', sc.startsPerSecond.toFixed(1)],
      ['seconds until the cluster was idle again', sc.settleSeconds.toFixed(0)],
      ['maxCachedWorkflows', per((w) => w.maxCachedWorkflows)],
      ['workflows cached now (temporal_sticky_cache_size)', per((w) => w.cache.size)],
      ['forced evictions so far', per((w) => w.cache.total_forced_eviction)],
      ['resident MiB before the starts', per((w) => w.residentBeforeMiB)],
      ['resident MiB once idle again', per((w) => w.residentAfterStartsMiB)],
      ['resident MiB after the reads and lists', per((w) => w.residentAfterReadsMiB)],
      ['KiB per cached workflow (resident growth / cache growth)', per((w) => w.perCachedWorkflowKiB)],
      ['dev server: its one worker, 10,000 idle, SDK default cache, MiB', sc.devServerWorkerMiB],
    ]),
    table('Reading a partnership (GET /api/partnerships/:id, one at a time), ms', ['', 'n', 'p50', 'p95', 'p99', 'max'], [
      latency(`first read after eviction (${sc.reads.cacheMissesDuringEvictedReads} cache misses)`, sc.reads.evicted),
      latency(`the same read again, cached (${sc.reads.cacheHitsDuringCachedReads} cache hits)`, sc.reads.cached),
    ]),
    table('Lists and filters (GET /api/partnerships), ms', ['', 'n', 'p50', 'p95', 'p99', 'max'], Object.entries(sc.listMs).map(([label, x]) => latency(label, x))),
  ];
}

export async function runClusterBench(options: ClusterBenchOptions): Promise<void> {
  const started = Date.now();
  const { log } = options;
  log(`starting the cluster (split services, 2 APIs, 2 workers with WORKER_MEMORY_MB=${options.workerMemoryMb}) and the baseline worker`);
  const cluster = await startCluster({
    apis: 2,
    workers: 2,
    services: 'split',
    env: { LINK_RATE_LIMIT: '1000000', DIGEST_AFTER: '0', WORKER_MEMORY_MB: String(options.workerMemoryMb) },
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

    let roundTrip: { twoWorkers: RoundTripResult; oneWorker: RoundTripResult; baseline: RoundTripResult } | undefined;
    if (options.sections.has('round-trip')) {
      baselineWorker = spawnEntry('baseline-worker', 'bench/baseline/worker.ts', { ...process.env, TEMPORAL_ADDRESS: cluster.layout.frontends[0], LOG_LEVEL: 'warn' });
      await waitForOutput(baselineWorker, 'worker started');
      log(`ours with two workers: ${options.n} gates, ${options.concurrency} at a time`);
      const twoWorkers = await runRoundTrip(svc, options.n, options.concurrency);
      log(`baseline: ${options.n} minimal Update workflows, ${options.concurrency} at a time`);
      const baseline = await runBaseline(new Client({ connection }), options.n, options.concurrency);
      await baselineWorker.stop();
      log('stopping worker-2 (SIGTERM)');
      await cluster.processes['worker-2'].stop('SIGTERM');
      log(`ours with one worker: ${options.n} gates, ${options.concurrency} at a time`);
      const oneWorker = await runRoundTrip(svc, options.n, options.concurrency);
      roundTrip = { twoWorkers, oneWorker, baseline };
      log('starting worker-2 again');
      await cluster.start('worker-2');
    }
    const scale = options.sections.has('scale') ? await runScale(cluster, svc, options) : undefined;

    const report = {
      at: new Date().toISOString(),
      machine: { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30) },
      temporalServer: cluster.binaries.version,
      options: { n: options.n, concurrency: options.concurrency, idle: options.idle, workerMemoryMb: options.workerMemoryMb, sections: [...options.sections], services: 'split', apis: 2, workers: 2 },
      totalSeconds: Math.round((Date.now() - started) / 1000),
      ...(roundTrip ? { roundTrip } : {}),
      ...(scale ? { scale } : {}),
    };
    const out = resolve(__dirname, '..', options.out);
    mkdirSync(resolve(out, '..'), { recursive: true });
    writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
    const row = (label: string, x: RoundTripResult) => [label, x.n, x.concurrency, x.decisionRecordedMs.p50, x.latencyMs.p50, x.latencyMs.p95, x.latencyMs.p99, x.gatesPerSecond];
    const parts = [`MSP Orchestrator on a cluster — Temporal ${cluster.binaries.version} on PostgreSQL, split; ${report.machine.cores} cores; ${report.totalSeconds} s in all`];
    if (roundTrip) {
      parts.push(
        table('Approval round trip on the cluster, ms', ['', 'n', 'conc.', 'recorded p50', 'p50', 'p95', 'p99', 'gates/s'], [
          row('ours, two workers', roundTrip.twoWorkers),
          row('ours, one worker', roundTrip.oneWorker),
          row('baseline (bare client Update → result)', roundTrip.baseline),
        ]),
      );
    }
    if (scale) parts.push(...scaleTables(scale));
    process.stdout.write(`${parts.join('\n')}\n\nJSON written to ${out}\n`);
  } finally {
    await baselineWorker?.stop();
    await connection.close();
    await cluster.stop();
  }
}
