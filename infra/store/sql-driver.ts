/**
 * The one query layer over SQLite (embedded default) and PostgreSQL
 * (multi-instance deployments). Queries use `?` placeholders and portable SQL.
 */
export interface SqlDriver {
  readonly dialect: 'sqlite' | 'postgres';
  exec(sql: string): Promise<void>;
  run(sql: string, params?: unknown[]): Promise<{ changes: number }>;
  all<T>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}
