import { PostgresDialect } from 'kysely';
import { Pool } from 'pg';
import type { SqlDriver } from './sql-driver';

function toPositional(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

export function openPostgres(connectionString: string): SqlDriver {
  const pool = new Pool({ connectionString, max: 10 });
  // An idle client dropped by the server (PostgreSQL restarting) is reported here; without a listener the
  // process would die. The pool discards that client and the next query opens a new one.
  pool.on('error', () => undefined);
  return {
    dialect: 'postgres',
    migrationDialect: new PostgresDialect({ pool }),
    async exec(sql) {
      await pool.query(sql);
    },
    async run(sql, params = []) {
      const r = await pool.query(toPositional(sql), params);
      return { changes: r.rowCount ?? 0 };
    },
    async all<T>(sql: string, params: unknown[] = []) {
      const r = await pool.query(toPositional(sql), params);
      return r.rows as T[];
    },
    async close() {
      await pool.end();
    },
  };
}
