import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { startMailSink, type CapturedMail, type MailSink } from '../infra/mail-sink';
import { spawnEntry, spawnTemporalDevServer, waitForTemporal, type ManagedProcess } from './local-processes';
import { DEV_OIDC } from './dev-oidc-people';
import { workerPolledWithin } from '../api/worker-presence';
import { freeLowPort } from './ports';

/**
 * The whole service on free ports in a throwaway directory, each part a real
 * process started the way `npm run dev` starts it: the Temporal dev server on
 * its SQLite file, the worker, the API, and an SMTP server in this process.
 * The end-to-end and fault tests and the benchmarks all run on it.
 */
export type Part = 'temporal' | 'api' | 'worker';

export interface LocalServiceOptions {
  /** Where the worker's activities reach the API; the fault tests put a forwarder here. Default: the API itself. */
  apiBaseUrlFor?: (apiBase: string) => Promise<string>;
  /** Passed to the SMTP server (see MailSinkOptions.beforeAccept). */
  mailBeforeAccept?: (mail: CapturedMail) => Promise<void>;
  /** Extra environment for the worker and the API. */
  env?: Record<string, string>;
  /** Extra environment for the worker alone (after `env`). */
  workerEnv?: Record<string, string>;
  /** Echo every process's output to stderr. */
  verbose?: boolean;
  /** Also start the embedded OpenID provider (scripts/dev-oidc.ts) and configure the console to sign in through it. */
  signIn?: boolean;
  /** With `signIn`: a JSON file of more people for the provider, read at every sign-in (OIDC_DEV_PEOPLE_FILE). */
  signInPeopleFile?: string;
}

export interface LocalService {
  base: string;
  apiKey: string;
  config: Record<string, string>;
  /** A bare Temporal client, for what only Temporal can tell (pending activities, histories). */
  client: Client;
  mail: MailSink;
  processes: Record<Part, ManagedProcess>;
  /** The embedded OpenID provider, when started with `signIn`. */
  oidc?: { issuer: string; process: ManagedProcess };
  /** Starts the part again after it has stopped (as a supervisor would) and waits until it is ready. */
  start(part: Part): Promise<void>;
  /** Takes the SMTP server away; `startMail` brings it back on the same port. */
  stopMail(): Promise<void>;
  startMail(): Promise<void>;
  /** An authenticated JSON call to the API. */
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** A person's browser: a form post, no token. */
  form(url: string, fields: Record<string, string | string[]>): Promise<{ status: number; text: string }>;
  /** SIGTERM to API and worker (their exit codes), then the dev server; removes the directory. */
  stop(): Promise<{ api: number | null; worker: number | null }>;
}

/** Ports this process has handed out, so it never hands out one twice. */
const handedOut = new Set<number>();

/** A free port for a local service, below the ephemeral range (see `freeLowPort`). */
export function freePort(): Promise<number> {
  return freeLowPort(handedOut);
}

export async function waitForHttp(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

export async function waitForOutput(proc: ManagedProcess, text: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!proc.output.join('').includes(text)) {
    if (proc.proc.exitCode !== null) throw new Error(`${proc.name} exited (${proc.proc.exitCode}):\n${proc.output.join('')}`);
    if (Date.now() > deadline) throw new Error(`${proc.name} did not print "${text}" within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Waits until the Temporal server has seen the worker poll its task queue.
 * The worker says "worker started" before its first poll reaches the server,
 * and until it does the API refuses requests that need a worker (503 "no
 * worker", api/worker-presence.ts): on a loaded machine, the first request of
 * a test. Throws with the worker's output if it exits meanwhile.
 */
async function untilPolled(client: Client, taskQueue: string, worker: ManagedProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await workerPolledWithin(client, taskQueue, 90_000).catch(() => false))) {
    if (worker.proc.exitCode !== null) throw new Error(`${worker.name} exited (${worker.proc.exitCode}):\n${worker.output.join('')}`);
    if (Date.now() > deadline) throw new Error(`the Temporal server did not see ${worker.name} poll "${taskQueue}" within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** An environment without DATABASE_URL, which only the API reads. */
export function withoutDatabase<E extends Record<string, string | undefined>>(env: E): Omit<E, 'DATABASE_URL'> {
  const { DATABASE_URL: _apiOnly, ...rest } = env;
  return rest;
}

export async function startLocalService(cli: string, options: LocalServiceOptions = {}): Promise<LocalService> {
  const dir = mkdtempSync(join(tmpdir(), 'msp-local-'));
  const echo = options.verbose ? (text: string) => process.stderr.write(text) : undefined;
  const smtpPort = await freePort();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const apiKey = 'local-service-key';
  const config: Record<string, string> = {
    TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`,
    TEMPORAL_TASK_QUEUE: 'local',
    SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    PORT: String(port),
    PUBLIC_BASE_URL: base,
    API_BASE_URL: options.apiBaseUrlFor ? await options.apiBaseUrlFor(base) : base,
    DATABASE_URL: `sqlite:${join(dir, 'msp.db')}`,
    API_KEYS: apiKey,
    TASK_LINK_SECRET: 'local-service-task-link-secret-0123456789',
    WORKER_METRICS_PORT: String(await freePort()),
    LOG_LEVEL: 'warn',
    // End-to-end tests and benchmarks follow each task's own email; digests are tested at the workflow level.
    DIGEST_AFTER: '0',
    ...options.env,
  };
  const oidcPort = options.signIn ? await freePort() : 0;
  if (options.signIn) {
    Object.assign(config, {
      OIDC_ISSUER: `http://127.0.0.1:${oidcPort}`,
      OIDC_CLIENT_ID: DEV_OIDC.clientId,
      OIDC_CLIENT_SECRET: DEV_OIDC.clientSecret,
      ADMIN_EMAILS: DEV_OIDC.adminEmails,
      SESSION_SECRET: 'local-service-session-secret-0123456789abcdef',
    });
  }
  const uiPort = await freePort();

  const starters: Record<Part, () => ManagedProcess> = {
    temporal: () => spawnTemporalDevServer(cli, config.TEMPORAL_ADDRESS, join(dir, 'temporal.db'), uiPort, echo),
    api: () => spawnEntry('api', 'api/main.ts', { ...process.env, ...config }, echo),
    // At info level the worker says when it polls, which is how we know it is ready.
    // It is given no DATABASE_URL: the API owns the database, the worker reaches it through API_BASE_URL.
    worker: () => spawnEntry('worker', 'worker/main.ts', { ...withoutDatabase(process.env), ...withoutDatabase(config), LOG_LEVEL: 'info', ...options.workerEnv }, echo),
  };
  const ready: Record<Part, (p: ManagedProcess) => Promise<void>> = {
    temporal: () => waitForTemporal(config.TEMPORAL_ADDRESS),
    api: () => waitForHttp(`${base}/healthz`),
    worker: async (p) => {
      await waitForOutput(p, 'worker started');
      await untilPolled(svc.client, config.TEMPORAL_TASK_QUEUE, p);
    },
  };

  const svc = {} as LocalService;
  const startMail = async () => {
    svc.mail = await startMailSink({ port: smtpPort, beforeAccept: options.mailBeforeAccept });
  };
  Object.assign(svc, {
    base,
    apiKey,
    config,
    processes: {} as Record<Part, ManagedProcess>,
    async start(part: Part) {
      for (let attempt = 1; ; attempt++) {
        const proc = starters[part]();
        svc.processes[part] = proc;
        try {
          await ready[part](proc);
          return;
        } catch (err) {
          // The worker's metrics port was free when chosen, but something started since (a parallel test's Temporal
          // server takes random ports of its own) may have bound it first: choose another and start again.
          const portTaken = part === 'worker' && proc.proc.exitCode !== null && /metrics exporter: Address already in use/.test(proc.output.join(''));
          if (!portTaken || attempt >= 3) throw err;
          config.WORKER_METRICS_PORT = String(await freePort());
        }
      }
    },
    stopMail: () => svc.mail.close(),
    startMail,
    async call(method: string, path: string, body?: unknown) {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${apiKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      return { status: res.status, body: text.startsWith('{') ? JSON.parse(text) : text };
    },
    async form(url: string, fields: Record<string, string | string[]>) {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) params.append(k, one);
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: params.toString() });
      return { status: res.status, text: await res.text() };
    },
    async stop() {
      const [api, worker] = await Promise.all([svc.processes.api?.stop(), svc.processes.worker?.stop()]);
      await svc.client?.connection.close();
      await svc.processes.temporal?.stop();
      await svc.mail?.close();
      await svc.oidc?.process.stop();
      rmSync(dir, { recursive: true, force: true });
      return { api: api ?? null, worker: worker ?? null };
    },
  });

  try {
    await startMail();
    if (options.signIn) {
      const proc = spawnEntry(
        'oidc',
        'scripts/dev-oidc.ts',
        {
          ...process.env,
          OIDC_DEV_PORT: String(oidcPort),
          OIDC_DEV_ISSUER: config.OIDC_ISSUER,
          OIDC_DEV_REDIRECT_URIS: `${base}/console/auth/callback`,
          ...(options.signInPeopleFile ? { OIDC_DEV_PEOPLE_FILE: options.signInPeopleFile } : {}),
        },
        echo,
      );
      svc.oidc = { issuer: config.OIDC_ISSUER, process: proc };
      await waitForHttp(`${config.OIDC_ISSUER}/.well-known/openid-configuration`);
    }
    await svc.start('temporal');
    svc.client = new Client({ connection: await Connection.connect({ address: config.TEMPORAL_ADDRESS }) });
    for (const part of ['api', 'worker'] as const) await svc.start(part);
  } catch (err) {
    await svc.stop().catch(() => undefined);
    throw err;
  }
  return svc;
}
