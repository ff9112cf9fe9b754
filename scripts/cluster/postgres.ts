import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';

/**
 * A PostgreSQL server of our own in a folder, from the machine's binaries
 * (Debian's `postgresql` package, installed when missing and we are root):
 * `initdb` once, then start and stop it as often as needed on the same port
 * and data, which is how the cluster suite restarts the database under a
 * running Temporal cluster. PostgreSQL refuses to run as root, so as root its
 * tools run as the `postgres` user.
 */
export function findPgBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  return versions.map((v) => join(root, v, 'bin')).find((dir) => existsSync(join(dir, 'initdb')));
}

export function ensurePostgresInstalled(log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): void {
  if (findPgBin()) return;
  if (userInfo().uid !== 0) throw new Error('PostgreSQL server binaries are missing: install Debian\'s "postgresql" package (sudo apt-get install postgresql)');
  log('[postgres] installing Debian package "postgresql"');
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'postgresql'], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

export interface PostgresServer {
  /** `postgres://postgres@127.0.0.1:<port>/<database>`. */
  url(database?: string): string;
  port: number;
  start(): void;
  /** `fast` rolls back open transactions and disconnects clients, as a restart by an operator would. */
  stop(mode?: 'fast' | 'immediate'): void;
  /** The server's own log, for failure reports. */
  logFile: string;
}

export function postgresServer(dir: string, port: number): PostgresServer {
  const bin = findPgBin();
  if (!bin) throw new Error('PostgreSQL binaries not found: call ensurePostgresInstalled() first');
  const asRoot = userInfo().uid === 0;
  const run = (tool: string, args: string[]) => {
    const cmd = asRoot ? 'runuser' : join(bin, tool);
    const full = asRoot ? ['-u', 'postgres', '--', join(bin, tool), ...args] : args;
    const r = spawnSync(cmd, full, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed: ${r.stderr || r.stdout}`);
  };
  const data = join(dir, 'data');
  const logFile = join(dir, 'postgres.log');
  if (!existsSync(join(data, 'PG_VERSION'))) {
    mkdirSync(dir, { recursive: true });
    if (asRoot) {
      const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres']).toString());
      chownSync(dir, id('-u'), id('-g'));
    }
    run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  }
  return {
    port,
    logFile,
    url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
    start() {
      // max_connections: each Temporal service keeps pools of up to 20, and several API instances and workers add theirs.
      run('pg_ctl', ['-D', data, '-l', logFile, '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=off`, 'start']);
    },
    stop(mode = 'fast') {
      run('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']);
    },
  };
}
