import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureTemporalCli } from '../infra/temporal-cli';
import { spawnEntry, spawnMailInbox, spawnTemporalDevServer, waitForTemporal, type ManagedProcess } from './local-processes';
import { waitForHttp, withoutDatabase } from './local-service';
import { DEMO_PEOPLE, DEV_OIDC } from './dev-oidc-people';

/**
 * `npm run dev`: everything on one machine — Temporal dev server (SQLite under
 * data/, Web UI), the development mail inbox (MailDev, mail under data/mail/),
 * the worker and the API.
 *
 * One orderly shutdown, however it is asked for (Ctrl-C, SIGTERM, SIGHUP, or a
 * part dying): the children run in their own process groups, so a terminal's
 * Ctrl-C reaches only this launcher, which stops the API (requests finish),
 * then the worker (it drains), then the mail inbox and the dev server — each only once the one
 * before has exited. A child that dies on its own is named with its exit code
 * or signal and its last lines on stderr.
 */
process.env.TEMPORAL_ADDRESS ??= '127.0.0.1:7233';
process.env.SMTP_URL ??= 'smtp://127.0.0.1:1025';
process.env.PORT ??= '3000';
const dataDir = process.env.DEV_DATA_DIR ?? 'data';
process.env.DATABASE_URL ??= `sqlite:${join(dataDir, 'msp.db')}`;
// Without an organisation's provider configured, the console signs in through the embedded one.
const embeddedSignIn = !process.env.OIDC_ISSUER;
const oidcPort = Number(process.env.OIDC_DEV_PORT ?? 3900);
if (embeddedSignIn) {
  process.env.OIDC_ISSUER = `http://localhost:${oidcPort}`;
  process.env.OIDC_CLIENT_ID = DEV_OIDC.clientId;
  process.env.OIDC_CLIENT_SECRET = DEV_OIDC.clientSecret;
  process.env.ADMIN_EMAILS ??= DEV_OIDC.adminEmails;
}
const address = process.env.TEMPORAL_ADDRESS;
const uiPort = Number(process.env.TEMPORAL_UI_PORT ?? 8233);

/** Each child's own shutdown bound (docs/operations.md, "Stopping") and a little more, before SIGKILL. */
const KILL_AFTER_MS: Record<string, number> = { api: 20_000, worker: 50_000, 'sign-in': 10_000, mail: 10_000, temporal: 20_000 };
const LAST_LINES = 15;
const children: ManagedProcess[] = [];

function say(text: string): void {
  process.stderr.write(`[dev] ${text}\n`);
}

/** How a child ended, in words: "exit code 1" or "signal SIGKILL". */
function ending(proc: ManagedProcess['proc']): string {
  return proc.signalCode ? `signal ${proc.signalCode}` : `exit code ${proc.exitCode}`;
}

/** The last lines a child printed on stderr (or, if none, at all): why it died, usually. */
function lastLines(child: ManagedProcess): string {
  const text = (child.errors.length ? child.errors : child.output).join('');
  return text.split('\n').filter(Boolean).slice(-LAST_LINES).map((line) => `  | ${line}`).join('\n');
}

/** Prefixes each line with the process name and stops everything if one part dies. */
function supervise(start: (onOutput: (text: string) => void) => ManagedProcess): void {
  let name = '';
  const child = start((text) =>
    process.stdout.write(
      text
        .split('\n')
        .filter(Boolean)
        .map((line) => `[${name}] ${line}\n`)
        .join(''),
    ),
  );
  name = child.name;
  child.proc.on('exit', () => {
    if (stopping) return;
    const last = lastLines(child);
    say(`${name} died (${ending(child.proc)}) — stopping everything. Its last output:\n${last || '  (nothing)'}`);
    void stop(`${name} died`, 1);
  });
  children.push(child);
}

let stopping = false;
/** API, then worker, then dev server; each waits for the one before to exit. */
async function stop(reason: string, code = 0): Promise<void> {
  if (stopping) {
    say(`${reason}: already stopping`);
    return;
  }
  stopping = true;
  say(`${reason}: stopping ${[...children].reverse().map((c) => c.name).join(', then ')}`);
  let clean = code === 0;
  for (const child of [...children].reverse()) {
    if (child.proc.exitCode !== null || child.proc.signalCode !== null) continue;
    const timer = setTimeout(() => {
      say(`${child.name} did not exit within ${KILL_AFTER_MS[child.name] / 1000} s of SIGTERM; killing it`);
      child.proc.kill('SIGKILL');
    }, KILL_AFTER_MS[child.name] ?? 20_000);
    await child.stop('SIGTERM');
    clearTimeout(timer);
    if (child.proc.exitCode !== 0) clean = false;
    say(`${child.name} stopped (${ending(child.proc)})`);
  }
  say(`all stopped; exit ${clean ? 0 : 1}`);
  process.exit(clean ? 0 : 1);
}

async function main(): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  const cli = ensureTemporalCli();
  const own = { ownProcessGroup: true };
  supervise((out) => spawnTemporalDevServer(cli, address, join(dataDir, 'temporal.db'), uiPort, out, own));
  await waitForTemporal(address);
  if (stopping) return;
  const smtpPort = Number(new URL(process.env.SMTP_URL!).port || 1025);
  const inboxPort = Number(process.env.MAIL_WEB_PORT ?? 8025);
  supervise((out) => spawnMailInbox(smtpPort, inboxPort, join(dataDir, 'mail'), out, own));
  await waitForHttp(`http://127.0.0.1:${inboxPort}/api/email`);
  if (stopping) return;
  if (embeddedSignIn) {
    const consoleBase = (process.env.PUBLIC_BASE_URL ?? `http://localhost:${process.env.PORT}`).replace(/\/$/, '');
    const env = { ...process.env, OIDC_DEV_PORT: String(oidcPort), OIDC_DEV_ISSUER: process.env.OIDC_ISSUER, OIDC_DEV_REDIRECT_URIS: `${consoleBase}/console/auth/callback` };
    supervise((out) => spawnEntry('sign-in', 'scripts/dev-oidc.ts', env, out, own));
  }
  // The API owns the database; the worker reaches it through the API and is not told where it is.
  supervise((out) => spawnEntry('worker', 'worker/main.ts', withoutDatabase(process.env), out, own));
  supervise((out) => spawnEntry('api', 'api/main.ts', process.env, out, own));
  process.stdout.write(
    [
      '',
      'MSP Orchestrator is starting:',
      `  Console        http://localhost:${process.env.PORT}/  (sign in with your OpenID provider${embeddedSignIn ? '' : `, ${process.env.OIDC_ISSUER}`})`,
      ...(embeddedSignIn
        ? [
            `  Sign-in        development provider at ${process.env.OIDC_ISSUER}: choose a demo person, no password —`,
            ...DEMO_PEOPLE.map((p) => `                   ${p.name.padEnd(12)} ${p.email.padEnd(18)} ${p.role}`),
          ]
        : []),
      `  API            http://localhost:${process.env.PORT}/api  (bearer token: ${process.env.API_KEYS?.split(',')[0] ?? 'dev-api-key'})`,
      `  OpenAPI        http://localhost:${process.env.PORT}/openapi.json`,
      `  Temporal UI    http://localhost:${uiPort}`,
      `  Mail inbox     http://localhost:${inboxPort}`,
      `  Metrics        API http://localhost:${process.env.PORT}/metrics · worker http://127.0.0.1:${process.env.WORKER_METRICS_PORT ?? 9464}/metrics`,
      'Each part logs a line below once it is ready (the API when listening, the worker when polling).',
      'Press Ctrl-C to stop (API, then worker, then sign-in, mail inbox and Temporal).',
      '',
    ].join('\n'),
  );
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(signal));
// Children in their own groups outlive an abrupt end of this process unless told.
process.on('exit', () => {
  for (const child of children) if (child.proc.exitCode === null && child.proc.signalCode === null) child.proc.kill('SIGTERM');
});
main().catch((err) => {
  say(`failed: ${err instanceof Error ? err.message : String(err)}`);
  void stop('start-up failed', 1);
});
