import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Runtime, DefaultLogger } from '@temporalio/worker';
import { ensureTemporalCli } from '../infra/temporal-cli';
import { cpuMillis, spawnEntry, residentBytes, treeCpuMillis, waitForQuiet, type ManagedProcess } from '../scripts/local-processes';
import { startLocalService, waitForOutput, type LocalService } from '../scripts/local-service';
import { runLarge, type LargeResult } from './large/scenario';
import { largeTables } from './large/tables';
import { runLongLife, type LongLifeResult } from './long-life';
import { prepareGates, runBaseline, runRoundTrip, type RoundTripResult, type RoundTripWatch } from './round-trip';
import { measureScale, residentMiB, startIdlePartnerships, type ScaleResult } from './scale';
import { mib, table } from './stats';

/**
 * `npm run bench`: starts the service as `npm run dev` would (real dev server
 * on SQLite, worker and API processes, SMTP server) plus a baseline worker,
 * runs the benchmarks in one go, prints a table and writes JSON.
 * Options: --n 200 --concurrency 10 --open-tasks 50 --cycles 100 --partners 300
 * --idle 10000 --only round-trip,long-life,large,scale --out bench/results/latest.json
 * --cluster [--worker-memory-mb 1024] (sections round-trip and scale; bench/cluster.ts)
 */
const ROOT = resolve(__dirname, '..');
const { values: args } = parseArgs({
  options: {
    n: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '10' },
    'open-tasks': { type: 'string', default: '50' },
    cycles: { type: 'string', default: '100' },
    partners: { type: 'string', default: '300' },
    idle: { type: 'string', default: '10000' },
    only: { type: 'string' },
    out: { type: 'string', default: 'bench/results/latest.json' },
    verbose: { type: 'boolean', default: false },
    // A folder for V8 CPU profiles of the worker, API and baseline worker (one per thread; open them in Chrome DevTools).
    profile: { type: 'string' },
    // The round trip and scale on the cluster of `npm run cluster` instead of the dev server (bench/cluster.ts).
    cluster: { type: 'boolean', default: false },
    // WORKER_MEMORY_MB of each cluster worker, which sizes its workflow cache.
    'worker-memory-mb': { type: 'string', default: '1024' },
  },
});
const positive = (name: string, v: string | undefined) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a whole number of at least 1 (got "${v}")`);
  return n;
};
const opts = {
  n: positive('n', args.n),
  concurrency: positive('concurrency', args.concurrency),
  openTasks: positive('open-tasks', args['open-tasks']),
  cycles: positive('cycles', args.cycles),
  partners: positive('partners', args.partners),
  idle: positive('idle', args.idle),
  only: new Set((args.only ?? (args.cluster ? 'round-trip,scale' : 'round-trip,long-life,large,scale')).split(',')),
};
// The alliance's first eight members are UN bodies; planning's multi-stakeholder rule needs a second group (the ninth is a ministry).
if (opts.partners < 9) throw new Error(`--partners must be at least 9, so the partnership has partners from two groups (got ${opts.partners})`);
const started = Date.now();
const log = (msg: string) => process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${msg}\n`);

interface BenchResults {
  roundTrip?: { ours: RoundTripResult; baseline: RoundTripResult; ratio: { recordedP50: number; p50: number; p99: number; throughput: number } };
  longLife?: LongLifeResult;
  large?: LargeResult;
  scale?: ScaleResult & { residentBeforeMiB: ReturnType<typeof memory>; openTasks: number };
}

function versions(cli: string) {
  const pkg = (name: string) => (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  return {
    node: process.version,
    temporalCli: execFileSync(cli, ['--version'], { encoding: 'utf8' }).trim(),
    temporalSdk: pkg('@temporalio/worker'),
    express: pkg('express'),
    app: (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version,
  };
}

function memory(svc: LocalService, baseline: ManagedProcess) {
  return { ...residentMiB(svc), baselineWorker: mib(residentBytes(baseline.proc.pid)) };
}

async function main(): Promise<void> {
  if (args.cluster) {
    const { runClusterBench } = await import('./cluster');
    await runClusterBench({
      n: opts.n,
      concurrency: opts.concurrency,
      idle: opts.idle,
      workerMemoryMb: positive('worker-memory-mb', args['worker-memory-mb']),
      sections: opts.only,
      out: args.out === 'bench/results/latest.json' ? 'bench/results/cluster.json' : args.out!,
      log,
      verbose: Boolean(args.verbose),
    });
    return;
  }
  Runtime.install({ logger: new DefaultLogger('WARN') });
  if (args.profile) process.env.MSP_CPU_PROFILE_DIR = resolve(args.profile);
  const cli = ensureTemporalCli();
  log('starting the service (dev server on SQLite, worker, API, SMTP) and the baseline worker');
  const svc = await startLocalService(cli, { env: { LINK_RATE_LIMIT: '1000000' }, verbose: args.verbose });
  const baselineWorker = spawnEntry('baseline-worker', 'bench/baseline/worker.ts', { ...process.env, ...svc.config });
  await waitForOutput(baselineWorker, 'worker started');

  const results: BenchResults = {};
  try {
    const residentBefore = memory(svc, baselineWorker);
    if (opts.only.has('round-trip')) {
      log('warming up both paths (10 gates each, not counted)');
      await runBaseline(svc.client, 10, opts.concurrency);
      await runRoundTrip(svc, 10, opts.concurrency);
      const pids = { 'dev server': svc.processes.temporal.proc.pid, worker: svc.processes.worker.proc.pid, API: svc.processes.api.proc.pid, 'baseline worker': baselineWorker.proc.pid };
      const watch: RoundTripWatch = {
        settle: async () => void (await waitForQuiet(Object.values(pids), 0.1, 120_000)),
        // The worker alone, and the Chromium it prints with, apart: they weigh very differently.
        cpu: () => ({
          ...Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, treeCpuMillis(pid)])),
          worker: cpuMillis(pids.worker),
          'worker\'s Chromium': treeCpuMillis(pids.worker) - cpuMillis(pids.worker),
        }),
      };
      log(`baseline: ${opts.n} minimal Update workflows, ${opts.concurrency} at a time`);
      const baseline = await runBaseline(svc.client, opts.n, opts.concurrency, watch);
      log(`round trip: ${opts.n} partnerships through their first gate over HTTP and email, ${opts.concurrency} at a time`);
      const ours = await runRoundTrip(svc, opts.n, opts.concurrency, watch);
      const r = (a: number, b: number) => Math.round((a / b) * 100) / 100;
      results.roundTrip = {
        ours,
        baseline,
        ratio: { recordedP50: r(ours.decisionRecordedMs.p50, baseline.decisionRecordedMs.p50), p50: r(ours.latencyMs.p50, baseline.latencyMs.p50), p99: r(ours.latencyMs.p99, baseline.latencyMs.p99), throughput: r(baseline.gatesPerSecond, ours.gatesPerSecond) },
      };
    }
    if (opts.only.has('long-life')) {
      log(`long life: one partnership through ${opts.cycles} review cycles`);
      results.longLife = await runLongLife(svc, opts.cycles, (c) => c % 5 === 0 && log(`  cycle ${c} of ${opts.cycles} decided`));
    }
    if (opts.only.has('large')) {
      log(`large: one partnership of ${opts.partners} partners through a cycle and into the next, ${opts.concurrency} contacts at a time`);
      results.large = await runLarge(svc, opts.partners, opts.concurrency, log);
    }
    if (opts.only.has('scale')) {
      log(`scale: leaving ${opts.openTasks} partnerships waiting on an approval task (reminder, escalation, deadline timers)`);
      await prepareGates(svc, opts.openTasks, opts.concurrency, 'open-task');
      log(`scale: starting ${opts.idle} partnerships through the API`);
      const starts = await startIdlePartnerships(svc, opts.idle, 2 * opts.concurrency, (done) => log(`  ${done} started`));
      log('scale: measuring memory and list/filter times');
      const measured = await measureScale(svc, opts.idle + opts.openTasks, {
        'phase=adaptive-planning': 'phase=adaptive-planning',
        'status=awaiting-approval': 'status=awaiting-approval',
        'partner=Youth Network': `partner=${encodeURIComponent('Youth Network')}`,
      });
      results.scale = { started: opts.idle, startsPerSecond: opts.idle / (starts.ms / 1000), openTasks: opts.openTasks, residentBeforeMiB: residentBefore, ...measured };
    }
  } finally {
    await baselineWorker.stop();
    const codes = await svc.stop();
    log(`stopped (api exit ${codes.api}, worker exit ${codes.worker})`);
  }

  const report = {
    at: new Date().toISOString(),
    machine: { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), platform: `${process.platform} ${process.arch}` },
    versions: versions(cli),
    options: { ...opts, only: [...opts.only] },
    totalSeconds: Math.round((Date.now() - started) / 1000),
    ...results,
  };
  const out = resolve(ROOT, args.out!);
  mkdirSync(resolve(out, '..'), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`${printable(report)}\n\nJSON written to ${out}\n`);
}

function printable(report: BenchResults & { machine: { cores: number; cpu: string }; versions: { temporalCli: string; temporalSdk: string; node: string }; totalSeconds: number }): string {
  const parts = [
    `MSP Orchestrator benchmark — ${report.machine.cores} cores (${report.machine.cpu}), ${report.versions.temporalCli.split('\n')[0]}, SDK ${report.versions.temporalSdk}, Node ${report.versions.node}; ${report.totalSeconds} s in all`,
  ];
  const rt = report.roundTrip;
  if (rt) {
    const row = (label: string, x: RoundTripResult) => [label, x.n, x.concurrency, x.decisionRecordedMs.p50, x.latencyMs.p50, x.latencyMs.p95, x.latencyMs.p99, x.gatesPerSecond];
    parts.push(
      table('Approval round trip (decision posted → new phase visible), ms', ['', 'n', 'conc.', 'recorded p50', 'p50', 'p95', 'p99', 'gates/s'], [
        row('ours: HTTP form post → GET shows phase', rt.ours),
        row('baseline: bare client Update → result', rt.baseline),
        ['ratio ours/baseline (throughput: baseline/ours)', '', '', rt.ratio.recordedP50 ?? '', rt.ratio.p50, '', rt.ratio.p99, rt.ratio.throughput],
      ]),
      ...(rt.ours.cpuMsPerGate && rt.baseline.cpuMsPerGate
        ? [
            table(
              'CPU per gate while deciding, ms (each process with its children)',
              ['', ...Object.keys(rt.ours.cpuMsPerGate), 'all'],
              [rt.ours, rt.baseline].map((x, i) => [i === 0 ? 'ours' : 'baseline', ...Object.values(x.cpuMsPerGate!), Object.values(x.cpuMsPerGate!).reduce((a, b) => a + b, 0)]),
            ),
          ]
        : []),
      `(preparing the ${rt.ours.n} gates over HTTP: ${rt.ours.prepare.seconds.toFixed(1)} s, ${rt.ours.prepare.httpRequestsPerSecond.toFixed(0)} requests/s; ${rt.ours.readsPerGate ?? '?'} GETs per gate until the phase showed; goals: p50 ratio ≤ 1.5 — ${rt.ratio.p50 <= 1.5 ? 'met' : 'not met'}; gates/s ≥ 2/3 of the baseline's — ${rt.ratio.throughput <= 1.5 ? 'met' : 'not met'}. "recorded": our page answered with the new phase, the baseline's Update returned)`,
    );
  }
  const ll = report.longLife;
  if (ll) {
    parts.push(
      table(`Long life: ${ll.cycles} review cycles in ${ll.seconds.toFixed(0)} s`, ['', 'value'], [
        ['runs (continue-as-new per cycle)', ll.runs],
        ['events per run: min / max', `${ll.eventsPerRun.min} / ${ll.eventsPerRun.max}`],
        ['events per run: first / last (still running)', `${ll.eventsPerRun.first} / ${ll.eventsPerRun.last}`],
        ['events in all runs', ll.totalEvents],
        ['replay of the longest run, ms (median of 5)', ll.replayLongestRunMs],
        ...[1, 2, 40, 100]
          .map((c) => ll.startInputBytes.find((b) => b.cycle === c))
          .filter((b) => b !== undefined)
          .map((b) => [`start input of cycle ${b.cycle}'s run, bytes: carried state / the rest`, `${b.carriedBytes} / ${b.inputBytes}`]),
        ['read model at the end, bytes', ll.readModelBytes],
      ]),
      '(the carried state is cut to fixed windows at each continue-as-new; older decisions and documents are read back from the registry)',
    );
  }
  if (report.large) parts.push(...largeTables(report.large));
  const sc = report.scale;
  if (sc) {
    parts.push(
      table(`Scale: ${sc.started} idle partnerships + ${sc.openTasks} waiting on approval tasks (${sc.visibleTotal} listed)`, ['', 'value'], [
        ['starts through the API, per second', sc.startsPerSecond],
        ['seconds until the service was idle again', sc.settleSeconds],
        ['resident memory MiB before: worker / API / Temporal', `${sc.residentBeforeMiB.worker} / ${sc.residentBeforeMiB.api} / ${sc.residentBeforeMiB.temporal}`],
        ['resident memory MiB after:  worker / API / Temporal', `${sc.residentMiB.worker} / ${sc.residentMiB.api} / ${sc.residentMiB.temporal}`],
        ...Object.entries(sc.listMs).map(([k, v]) => [`list ${k}, ms`, v] as [string, number]),
      ]),
    );
  }
  return parts.join('\n');
}
main().catch((err) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
