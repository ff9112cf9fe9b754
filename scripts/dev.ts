import { mkdirSync } from 'node:fs';
import { ensureTemporalCli } from '../infra/temporal-cli';
import { spawnEntry, spawnTemporalDevServer, waitForTemporal, type ManagedProcess } from './local-processes';
import { startMailInbox } from './mail-inbox';
import { DEMO_PEOPLE, DEV_OIDC } from './dev-oidc-people';

/**
 * `npm run dev`: everything on one machine — Temporal dev server (SQLite under
 * data/, Web UI), the development mail inbox, the worker and the API. Ctrl-C
 * stops them all, API first so no request is cut off mid-way.
 */
process.env.TEMPORAL_ADDRESS ??= '127.0.0.1:7233';
process.env.SMTP_URL ??= 'smtp://127.0.0.1:1025';
process.env.PORT ??= '3000';
process.env.DATABASE_URL ??= 'sqlite:data/msp.db';
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
const children: ManagedProcess[] = [];

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
  child.proc.on('exit', (code, signal) => {
    process.stderr.write(`[${name}] exited (${signal ?? code})\n`);
    if (!stopping) void stop(1);
  });
  children.push(child);
}

let stopping = false;
async function stop(code = 0): Promise<void> {
  if (stopping) return;
  stopping = true;
  for (const child of [...children].reverse()) {
    const timer = setTimeout(() => child.proc.kill('SIGKILL'), 35_000);
    await child.stop('SIGTERM');
    clearTimeout(timer);
  }
  process.exit(code);
}

async function main(): Promise<void> {
  mkdirSync('data', { recursive: true });
  const cli = ensureTemporalCli();
  supervise((out) => spawnTemporalDevServer(cli, address, 'data/temporal.db', uiPort, out));
  await waitForTemporal(address);
  const smtpPort = Number(new URL(process.env.SMTP_URL!).port || 1025);
  const inboxPort = Number(process.env.MAIL_WEB_PORT ?? 8025);
  await startMailInbox(smtpPort, inboxPort);
  if (embeddedSignIn) {
    const consoleBase = (process.env.PUBLIC_BASE_URL ?? `http://localhost:${process.env.PORT}`).replace(/\/$/, '');
    const env = { ...process.env, OIDC_DEV_PORT: String(oidcPort), OIDC_DEV_ISSUER: process.env.OIDC_ISSUER, OIDC_DEV_REDIRECT_URIS: `${consoleBase}/console/auth/callback` };
    supervise((out) => spawnEntry('sign-in', 'scripts/dev-oidc.ts', env, out));
  }
  supervise((out) => spawnEntry('worker', 'worker/main.ts', process.env, out));
  supervise((out) => spawnEntry('api', 'api/main.ts', process.env, out));
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
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
}

process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
main().catch((err) => {
  process.stderr.write(`dev failed: ${err instanceof Error ? err.message : String(err)}\n`);
  void stop(1);
});
