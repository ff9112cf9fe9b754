import { Kysely, PostgresDialect } from 'kysely';
import { Pool } from 'pg';
import type { StoreDatabase } from './schema';
import type { SqlDriver } from './sql-driver';

export function openPostgres(connectionString: string): SqlDriver {
  const pool = new Pool({ connectionString, max: 10 });
  // An idle client dropped by the server (PostgreSQL restarting) is reported here; without a listener the
  // process would die. The pool discards that client and the next query opens a new one.
  pool.on('error', () => undefined);
  const db = new Kysely<StoreDatabase>({ dialect: new PostgresDialect({ pool }) });
  return {
    dialect: 'postgres',
    db,
    async close() {
      // Kysely ends the pool if it ever used it; a store closed before its first query ends it here.
      await db.destroy();
      if (!pool.ended) await pool.end();
    },
  };
}
