import { searchAttributeCliArgs } from '../workflows/partnership/search-attributes';

/** Arguments for `temporal server start-dev`: persistent SQLite file, Web UI, our search attributes. */
export function devServerArgs(address: string, dbFile: string, uiPort = 8233): string[] {
  const [host, port] = address.split(':');
  return [
    'server',
    'start-dev',
    '--ip', host || '127.0.0.1',
    '--port', port || '7233',
    '--ui-port', String(uiPort),
    '--db-filename', dbFile,
    '--namespace', process.env.TEMPORAL_NAMESPACE ?? 'default',
    '--log-level', 'warn',
    // WAL with synchronous=NORMAL survives a crash of the server process (the fault tests stop and
    // start it); only a power loss could drop the last commits. It lets this dev store take about
    // twice the load (npm run bench: 6 → 9.5 gates per second on 2 cores).
    '--sqlite-pragma', 'journal_mode=wal',
    '--sqlite-pragma', 'synchronous=normal',
    ...searchAttributeCliArgs(),
  ];
}
