import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { freePort, waitForHttp } from '../../scripts/local-service';

/**
 * `npm run dev` as a person runs it in a terminal: Ctrl-C is SIGINT to the
 * whole foreground process group. The launcher alone must receive it and stop
 * the API, then the worker (drained), then the dev server, in that order.
 */
jest.setTimeout(180_000);

interface Launch {
  proc: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  dir: string;
  env: Record<string, string>;
}

async function launch(extraEnv: Record<string, string> = {}, again?: Launch): Promise<Launch> {
  const dir = again?.dir ?? mkdtempSync(join(tmpdir(), 'msp-dev-'));
  const env = again?.env ?? {
    ...(process.env as Record<string, string>),
    PORT: String(await freePort()),
    TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`,
    TEMPORAL_UI_PORT: String(await freePort()),
    SMTP_URL: `smtp://127.0.0.1:${await freePort()}`,
    MAIL_WEB_PORT: String(await freePort()),
    WORKER_METRICS_PORT: String(await freePort()),
    // Not the default 3900: a developer's own `npm run dev` may hold it.
    OIDC_DEV_PORT: String(await freePort()),
    DEV_DATA_DIR: dir,
    LOG_LEVEL: 'info',
    ...extraEnv,
  };
  // detached: the launcher leads a new process group, as a shell makes each job its own foreground group.
  const proc = spawn('npm', ['run', 'dev'], { cwd: join(__dirname, '../..'), env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  proc.stdout!.on('data', (c: Buffer) => (text += c.toString()));
  proc.stderr!.on('data', (c: Buffer) => (text += c.toString()));
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  return { proc, output: () => text, exited, dir, env };
}

async function waitFor(l: Launch, pattern: RegExp, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(l.output())) {
    if (Date.now() > deadline) throw new Error(`no ${pattern} within ${timeoutMs} ms:\n${l.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

let running: Launch | undefined;
afterEach(async () => {
  if (running && running.proc.exitCode === null) {
    try {
      process.kill(-running.proc.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  if (running) rmSync(running.dir, { recursive: true, force: true });
  running = undefined;
});

/** Ctrl-C as a terminal sends it; the launcher's whole output once it has ended. */
async function interrupt(l: Launch): Promise<string> {
  process.kill(-l.proc.pid!, 'SIGINT');
  // npm re-raises the SIGINT it was sent once its script has ended (the shell convention); the launcher's own code is in its last line.
  const code = await l.exited;
  expect(code === 0 || l.proc.signalCode === 'SIGINT').toBe(true);
  return l.output();
}

async function inbox(l: Launch): Promise<Array<{ id: string; subject: string }>> {
  return (await fetch(`http://127.0.0.1:${l.env.MAIL_WEB_PORT}/api/email`)).json() as Promise<Array<{ id: string; subject: string }>>;
}

test('Ctrl-C (SIGINT to the process group): API, then the worker drained, then mail and the dev server; all exit 0; mail survives a restart', async () => {
  const l = (running = await launch());
  await waitFor(l, /worker started/);
  await waitForHttp(`http://127.0.0.1:${l.env.PORT}/healthz`);
  const transport = createTransport({ host: '127.0.0.1', port: Number(new URL(l.env.SMTP_URL).port), secure: false, ignoreTLS: true });
  await transport.sendMail({ from: 'msp@example.org', to: 'ari@example.org', subject: 'Decision needed: kept across restarts', text: 'http://localhost/tasks/x' });
  transport.close();
  const before = await inbox(l);
  expect(before.map((m) => m.subject)).toEqual(['Decision needed: kept across restarts']);

  const out = await interrupt(l);
  const at = (pattern: RegExp) => {
    const i = out.search(pattern);
    expect({ pattern: String(pattern), found: i >= 0 }).toEqual({ pattern: String(pattern), found: true });
    return i;
  };
  const order = [
    at(/\[dev\] SIGINT: stopping api, then worker, then sign-in, then mail, then temporal/),
    at(/\[dev\] api stopped \(exit code 0\)/),
    at(/\[worker\] .*"msg":"worker drained"/),
    at(/\[dev\] worker stopped \(exit code 0\)/),
    at(/\[dev\] mail stopped \(exit code 0\)/),
    at(/\[dev\] temporal stopped \(exit code 0\)/),
    at(/\[dev\] all stopped; exit 0/),
  ];
  expect(order).toEqual([...order].sort((a, b) => a - b));
  // Nobody but the launcher got the terminal's signal: API and worker each had one SIGTERM, from the launcher.
  expect(out.match(/"reason":"SIGTERM"/g)).toHaveLength(2);
  expect(out).not.toMatch(/"reason":"SIGINT"|\[(api|worker)\].*already stopping/);

  // Same ports and data directory: the inbox still has the message, under the same id.
  const again = (running = await launch({}, l));
  await waitFor(again, /worker started/);
  expect(await inbox(again)).toEqual([expect.objectContaining({ id: before[0].id, subject: before[0].subject })]);
  await interrupt(again);
});

test('a part that dies is named with its exit code and last lines, and the rest stop in order', async () => {
  // The worker's metrics port is taken, as in issue 16.
  const metricsPort = await freePort();
  const taken: Server = createServer().listen(metricsPort, '127.0.0.1');
  try {
    const l = (running = await launch({ WORKER_METRICS_PORT: String(metricsPort) }));
    expect(await l.exited).toBe(1);
    const out = l.output();
    expect(out).toMatch(/\[dev\] worker died \(exit code 1\) — stopping everything\. Its last output:\n(\s+\| .*\n)+/);
    const died = out.slice(out.indexOf('[dev] worker died'));
    expect(died).toMatch(/\| .*(Address already in use|EADDRINUSE|address in use|9464|metrics)/i);
    expect(out).toMatch(/\[dev\] temporal stopped/);
  } finally {
    taken.close();
  }
});
