import type { Kysely } from 'kysely';
import type { StoreDatabase } from './schema';

/**
 * The one query layer over SQLite (embedded default) and PostgreSQL
 * (multi-instance deployments): Kysely over the binding's own connection (the
 * same pg pool, the same SQLite handle). The store's queries are built with
 * its query builder, which writes each database's placeholders and quoting;
 * the schema migrator (`migrations.ts`) takes its lock and records what ran
 * through the same instance. A new binding only has to provide a Kysely
 * dialect over its connection.
 */
export interface SqlDriver {
  readonly dialect: 'sqlite' | 'postgres';
  readonly db: Kysely<StoreDatabase>;
  /** Closes the pool or the file handle. */
  close(): Promise<void>;
}
