import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { ensureTemporalCli } from '../infra/temporal-cli';
import { devServerArgs } from './dev-server-args';

/** `npm run temporal:dev`: the Temporal dev server alone, in the foreground. */
const address = process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
const uiPort = Number(process.env.TEMPORAL_UI_PORT ?? 8233);
mkdirSync('data', { recursive: true });
const cli = ensureTemporalCli();
const child = spawn(cli, devServerArgs(address, 'data/temporal.db', uiPort), { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
