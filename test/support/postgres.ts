import { execFileSync, spawnSync } from 'node:child_process';
import { findPgBin } from '../../scripts/cluster/postgres';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../scripts/local-service';

/**
 * A throwaway PostgreSQL server for the store's contract tests: initdb into a
 * temp folder, start on a free loopback port, drop it afterwards. Uses the
 * machine's PostgreSQL binaries (Debian's `postgresql` package; globalSetup
 * installs it when missing and we are root).
 */
export { ensurePostgresInstalled, findPgBin } from '../../scripts/cluster/postgres';

export interface LocalPostgres {
  url: string;
  stop(): void;
}

export async function startLocalPostgres(): Promise<LocalPostgres> {
  const bin = findPgBin();
  if (!bin) throw new Error('PostgreSQL binaries not found (globalSetup should have installed them)');
  const dir = mkdtempSync(join(tmpdir(), 'msp-pg-'));
  const asRoot = userInfo().uid === 0;
  // PostgreSQL refuses to run as root: run its tools as the "postgres" user then.
  const run = (tool: string, args: string[]) => {
    const cmd = asRoot ? 'runuser' : join(bin, tool);
    const full = asRoot ? ['-u', 'postgres', '--', join(bin, tool), ...args] : args;
    const r = spawnSync(cmd, full, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${tool} failed: ${r.stderr || r.stdout}`);
  };
  if (asRoot) {
    const { uid, gid } = { uid: Number(execFileSync('id', ['-u', 'postgres']).toString()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString()) };
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const port = await freePort();
  run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** A new, empty database on the same server (`url` names any database there); answers its URL. */
export async function createDatabase(url: string, name: string): Promise<string> {
  const { Client } = await import('pg');
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
