import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import { startMailSink, type MailSink } from '../../infra/mail-sink';
import { freePort, waitForHttp, waitForOutput, withoutDatabase } from '../local-service';
import { spawnEntry, spawnManaged, waitForTemporal, type ManagedProcess } from '../local-processes';
import { ensureNamespaceAndSearchAttributes } from './namespace';
import { ensurePostgresInstalled, postgresServer, type PostgresServer } from './postgres';
import { ensureTemporalServer, ensureTemporalUi, type TemporalBinaries } from './temporal-build';
import { writeTemporalConfig, type TemporalLayout, type TemporalProcessSpec } from './temporal-config';

/**
 * A production-shaped stack on one machine, without Docker: a PostgreSQL
 * server of its own (Temporal's two databases and ours), the Temporal server
 * built from the Go module proxy at the version docker-compose.yml pins, as
 * one process or split into its services (history, matching, two frontends,
 * internal worker), our namespace and search attributes, M API instances and
 * K workers on their own ports, and an SMTP server. `npm run cluster` runs it
 * for people; the cluster suite (test/cluster) starts, kills and restarts its
 * parts.
 */
export interface ClusterOptions {
  apis: number;
  workers: number;
  services: 'one' | 'split';
  /** Visibility calls per second per frontend (default 200; Temporal's own default is 10). */
  visibilityRps?: number;
  /** Fixed ports for the API instances (default: free ones). */
  apiPorts?: number[];
  /** Starts the SMTP side on the given port (default: an in-process SMTP server that keeps what it receives). */
  startMail?: (smtpPort: number) => Promise<MailSink>;
  /** Extra environment for APIs and workers. */
  env?: Record<string, string>;
  /** Where each process's output goes (default: kept only, for failure reports). */
  onOutput?: (name: string, text: string) => void;
  log?: (line: string) => void;
  namespace?: string;
  /** Build (once) and run the Temporal Web UI on this port, talking to the first frontend. */
  uiPort?: number;
}

export interface ApiInstance {
  name: string;
  base: string;
}

export interface Cluster {
  dir: string;
  binaries: TemporalBinaries;
  postgres: PostgresServer;
  /** Our own database (registry, documents, mail log, link-page counts). */
  databaseUrl: string;
  layout: TemporalLayout;
  apis: ApiInstance[];
  workerNames: string[];
  apiKey: string;
  mail: MailSink;
  smtpPort: number;
  /** Every process by name: `temporal` or `history`, `matching`, `frontend-1`, `frontend-2`, `temporal-worker`; `api-1`…; `worker-1`…. */
  processes: Record<string, ManagedProcess>;
  /** Starts a process again (after it stopped or was killed) and waits until it is ready. */
  start(name: string): Promise<void>;
  /** Everything in order: APIs, workers, Temporal (frontends first), PostgreSQL; removes the folder. */
  stop(): Promise<void>;
  /** The Web UI's address, when `uiPort` was given. */
  uiUrl?: string;
  /** Seconds from the call to a ready cluster, by step. */
  timings: Record<string, number>;
}

async function createDatabase(url: string, name: string): Promise<void> {
  const client = new PgClient({ connectionString: url });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}

function setUpTemporalSchema(sqlTool: string, port: number): void {
  const base = ['--plugin', 'postgres12', '--endpoint', '127.0.0.1', '--port', String(port), '--user', 'postgres', '--password', ''];
  for (const [db, schema] of [
    ['temporal', 'postgresql/v12/temporal'],
    ['temporal_visibility', 'postgresql/v12/visibility'],
  ] as const) {
    for (const args of [['create-database'], ['setup-schema', '-v', '0.0'], ['update-schema', '--schema-name', schema]]) {
      const r = spawnSync(sqlTool, [...base, '--db', db, ...args], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`temporal-sql-tool --db ${db} ${args.join(' ')} failed: ${r.stderr || r.stdout}`);
    }
  }
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const timings: Record<string, number> = {};
  let mark = Date.now();
  const step = (name: string) => {
    timings[name] = Math.round((Date.now() - mark) / 100) / 10;
    mark = Date.now();
  };

  ensurePostgresInstalled(log);
  const binaries = await ensureTemporalServer(undefined, log);
  const ui = options.uiPort ? await ensureTemporalUi(undefined, log) : undefined;
  step('build (0 when cached)');
  const dir = mkdtempSync(join(tmpdir(), 'msp-cluster-'));
  // PostgreSQL runs as its own user (when we are root) and must reach its folder inside this one.
  chmodSync(dir, 0o711);
  let postgres: PostgresServer | undefined;
  let layout: TemporalLayout;
  try {
    postgres = postgresServer(join(dir, 'postgres'), await freePort());
    postgres.start();
    await createDatabase(postgres.url(), 'msp');
    setUpTemporalSchema(binaries.sqlTool, postgres.port);
    step('postgres and schema');
    layout = await writeTemporalConfig({ dir, postgresPort: postgres.port, services: options.services, visibilityRps: options.visibilityRps ?? 200 });
    const check = spawnSync(binaries.server, ['validate-dynamic-config', layout.dynamicConfigFile], { encoding: 'utf8' });
    if (check.status !== 0 || /unregistered|unknown|warning|error/i.test(check.stdout + check.stderr)) {
      throw new Error(`dynamic config ${layout.dynamicConfigFile} is not valid for Temporal ${binaries.version}: ${check.stdout}${check.stderr}`);
    }
  } catch (error) {
    try {
      postgres?.stop('immediate');
    } catch {
      // it never started
    }
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const databaseUrl = postgres.url('msp');

  const smtpPort = await freePort();
  const mail = await (options.startMail ?? ((port) => startMailSink({ port })))(smtpPort);
  const apiKey = `cluster-${randomBytes(12).toString('hex')}`;
  const namespace = options.namespace ?? 'default';
  const apis: ApiInstance[] = [];
  for (let i = 0; i < options.apis; i++) {
    const port = options.apiPorts?.[i] ?? (await freePort());
    apis.push({ name: `api-${i + 1}`, base: `http://127.0.0.1:${port}` });
  }
  const workerNames = Array.from({ length: options.workers }, (_, i) => `worker-${i + 1}`);
  const workerMetricsPorts = await Promise.all(workerNames.map(() => freePort()));
  const appEnv: Record<string, string> = {
    // Production-shaped: the config refuses development defaults, so every secret below is set.
    NODE_ENV: 'production',
    TEMPORAL_NAMESPACE: namespace,
    SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    DATABASE_URL: databaseUrl,
    API_KEYS: apiKey,
    TASK_LINK_SECRET: randomBytes(24).toString('hex'),
    SESSION_SECRET: randomBytes(24).toString('hex'),
    LOG_LEVEL: 'warn',
    ...options.env,
  };

  const specs = new Map<string, () => ManagedProcess>();
  const ready = new Map<string, (p: ManagedProcess) => Promise<void>>();
  const output = (name: string) => (options.onOutput ? (text: string) => options.onOutput!(name, text) : undefined);
  for (const spec of layout.processes) {
    specs.set(spec.name, () => spawnTemporal(binaries, dir, spec, output(spec.name)));
    ready.set(spec.name, async () => {
      if (spec.frontendAddress) await waitForTemporal(spec.frontendAddress, 120_000);
      else await new Promise((resolve) => setTimeout(resolve, 500));
    });
  }
  if (ui && options.uiPort) {
    const uiDir = join(dir, 'ui');
    mkdirSync(uiDir, { recursive: true });
    const uiConfig = {
      temporalGrpcAddress: layout.frontends[0],
      port: options.uiPort,
      enableUi: true,
      publicPath: '',
      defaultNamespace: namespace,
      notifyOnNewVersion: false,
      refreshInterval: '1m',
      cors: { cookieInsecure: true, allowOrigins: [] },
      auth: { enabled: false },
    };
    // The UI server reads base.yaml, then <env>.yaml over it.
    writeFileSync(join(uiDir, 'base.yaml'), JSON.stringify(uiConfig, null, 2));
    writeFileSync(join(uiDir, 'cluster.yaml'), JSON.stringify(uiConfig, null, 2));
    specs.set('ui', () => spawnManaged('ui', ui.server, ['--root', dir, '--config', 'ui', '--env', 'cluster', 'start'], process.env, output('ui')));
    ready.set('ui', () => waitForHttp(`http://127.0.0.1:${options.uiPort}/`, 60_000));
  }
  apis.forEach((api, i) => {
    const env = {
      ...process.env,
      ...appEnv,
      PORT: new URL(api.base).port,
      // Each instance names itself in the links it emails, as behind separate host names.
      PUBLIC_BASE_URL: api.base,
      TEMPORAL_ADDRESS: layout.frontends[i % layout.frontends.length],
    };
    specs.set(api.name, () => spawnEntry(api.name, 'api/main.ts', env, output(api.name)));
    ready.set(api.name, () => waitForHttp(`${api.base}/healthz`, 120_000));
  });
  workerNames.forEach((name, i) => {
    // No DATABASE_URL: the APIs own the database; each worker reaches it through its API.
    const env = {
      ...withoutDatabase(process.env),
      ...withoutDatabase(appEnv),
      // At info level the worker says when it polls, which is how we know it is ready.
      LOG_LEVEL: 'info',
      TEMPORAL_ADDRESS: layout.frontends[(i + 1) % layout.frontends.length],
      API_BASE_URL: apis[i % apis.length]?.base ?? 'http://127.0.0.1:1',
      // The links this worker emails name the API instance it works with.
      PUBLIC_BASE_URL: apis[i % apis.length]?.base ?? 'http://127.0.0.1:1',
      WORKER_METRICS_PORT: String(workerMetricsPorts[i]),
    };
    specs.set(name, () => spawnEntry(name, 'worker/main.ts', env, output(name)));
    ready.set(name, (p) => waitForOutput(p, 'worker started', 120_000));
  });

  const processes: Record<string, ManagedProcess> = {};
  const start = async (name: string) => {
    const spawnIt = specs.get(name);
    if (!spawnIt) throw new Error(`no process named ${name}; known: ${[...specs.keys()].join(', ')}`);
    const proc = spawnIt();
    processes[name] = proc;
    try {
      await ready.get(name)!(proc);
    } catch (error) {
      throw new Error(`${name} did not become ready: ${error instanceof Error ? error.message : String(error)}\n--- its output ---\n${proc.output.join('').slice(-4000)}`);
    }
  };

  const stop = async () => {
    const order = [
      ...apis.map((a) => a.name),
      ...workerNames,
      ...layout.processes.filter((p) => p.frontendAddress).map((p) => p.name),
      ...layout.processes.filter((p) => !p.frontendAddress).map((p) => p.name),
    ];
    for (const group of [['ui', ...apis.map((a) => a.name), ...workerNames], order.slice(apis.length + workerNames.length)]) {
      await Promise.all(
        group.map(async (name) => {
          const proc = processes[name];
          if (!proc) return;
          const timer = setTimeout(() => proc.proc.kill('SIGKILL'), 20_000);
          await proc.stop('SIGTERM');
          clearTimeout(timer);
        }),
      );
    }
    await mail.close().catch(() => undefined);
    try {
      postgres!.stop('fast');
    } catch {
      // already stopped
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const uiUrl = options.uiPort ? `http://localhost:${options.uiPort}` : undefined;
  const cluster: Cluster = { dir, binaries, postgres, databaseUrl, layout, apis, workerNames, apiKey, mail, smtpPort, processes, start, stop, timings, uiUrl };
  try {
    // History and matching first so the frontends find them; the internal worker last, it needs a frontend.
    const temporalOrder = [...layout.processes.filter((p) => !p.frontendAddress && !p.services.includes('worker')), ...layout.processes.filter((p) => p.frontendAddress), ...layout.processes.filter((p) => !p.frontendAddress && p.services.includes('worker'))];
    for (const spec of temporalOrder) await start(spec.name);
    step('temporal services');
    await ensureNamespaceAndSearchAttributes(layout.frontends, namespace, log);
    step('namespace and search attributes');
    if (specs.has('ui')) await start('ui');
    // All API instances at the same moment, on a database nobody has migrated yet.
    await Promise.all(apis.map((a) => start(a.name)));
    step('api instances');
    await Promise.all(workerNames.map((w) => start(w)));
    step('workers');
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
  return cluster;
}

function spawnTemporal(binaries: TemporalBinaries, dir: string, spec: TemporalProcessSpec, onOutput?: (text: string) => void): ManagedProcess {
  const env = spec.configFile.slice(spec.configFile.lastIndexOf('/') + 1).replace(/\.yaml$/, '');
  const args = ['--root', dir, '--config', 'config', '--env', env, '--allow-no-auth', 'start', ...spec.services.flatMap((s) => ['--service', s])];
  return spawnManaged(spec.name, binaries.server, args, process.env, onOutput);
}
