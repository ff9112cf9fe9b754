import type { Dialect } from 'kysely';

/**
 * The one query layer over SQLite (embedded default) and PostgreSQL
 * (multi-instance deployments). Queries use `?` placeholders and portable SQL.
 */
export interface SqlDriver {
  readonly dialect: 'sqlite' | 'postgres';
  /**
   * Kysely's dialect over this driver's own connection (the same pg pool, the
   * same SQLite handle), so the schema migrator (`migrations.ts`) takes its
   * lock and records what ran through the connection the store uses. A new
   * binding only has to provide one of these besides the four calls below.
   */
  readonly migrationDialect: Dialect;
  exec(sql: string): Promise<void>;
  run(sql: string, params?: unknown[]): Promise<{ changes: number }>;
  all<T>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}
