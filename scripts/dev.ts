import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { Connection } from '@temporalio/client';
import { ensureTemporalCli } from '../infra/temporal-cli';
import { devServerArgs } from './dev-server-args';
import { startMailInbox } from './mail-inbox';

/**
 * `npm run dev`: everything on one machine — Temporal dev server (SQLite under
 * data/, Web UI), the development mail inbox, the worker and the API. Ctrl-C
 * stops them all, API first so no request is cut off mid-way.
 */
const env = {
  ...process.env,
  TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
  SMTP_URL: process.env.SMTP_URL ?? 'smtp://127.0.0.1:1025',
  PORT: process.env.PORT ?? '3000',
  DATABASE_URL: process.env.DATABASE_URL ?? 'sqlite:data/msp.db',
};
const uiPort = Number(process.env.TEMPORAL_UI_PORT ?? 8233);
const children: Array<{ name: string; proc: ChildProcess }> = [];

function run(name: string, command: string, args: string[]): ChildProcess {
  const proc = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = (chunk: Buffer) =>
    chunk
      .toString()
      .split('\n')
      .filter(Boolean)
      .map((line) => `[${name}] ${line}\n`)
      .join('');
  proc.stdout?.on('data', (c: Buffer) => process.stdout.write(prefix(c)));
  proc.stderr?.on('data', (c: Buffer) => process.stderr.write(prefix(c)));
  proc.on('exit', (code, signal) => {
    process.stderr.write(`[${name}] exited (${signal ?? code})\n`);
    if (!stopping) void stop(1);
  });
  children.push({ name, proc });
  return proc;
}

async function waitForTemporal(address: string): Promise<void> {
  for (let i = 0; i < 120; i++) {
    try {
      const c = await Connection.connect({ address, connectTimeout: 1000 });
      await c.workflowService.getSystemInfo({});
      await c.close();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  throw new Error(`Temporal did not answer at ${address} within 60 s`);
}

let stopping = false;
async function stop(code = 0): Promise<void> {
  if (stopping) return;
  stopping = true;
  for (const { proc } of [...children].reverse()) {
    if (proc.exitCode !== null) continue;
    proc.kill('SIGTERM');
    await new Promise((r) => {
      proc.once('exit', r);
      setTimeout(r, 35_000);
    });
  }
  process.exit(code);
}

async function main(): Promise<void> {
  mkdirSync('data', { recursive: true });
  const cli = ensureTemporalCli();
  run('temporal', cli, devServerArgs(env.TEMPORAL_ADDRESS, 'data/temporal.db', uiPort));
  await waitForTemporal(env.TEMPORAL_ADDRESS);
  const smtpPort = Number(new URL(env.SMTP_URL).port || 1025);
  const inboxPort = Number(process.env.MAIL_WEB_PORT ?? 8025);
  await startMailInbox(smtpPort, inboxPort);
  const tsx = require.resolve('tsx/cli');
  run('worker', process.execPath, [tsx, 'worker/main.ts']);
  run('api', process.execPath, [tsx, 'api/main.ts']);
  process.stdout.write(
    [
      '',
      'MSP Orchestrator is starting:',
      `  API            http://localhost:${env.PORT}  (bearer token: ${process.env.API_KEYS?.split(',')[0] ?? 'dev-api-key'})`,
      `  OpenAPI        http://localhost:${env.PORT}/openapi.json`,
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
