import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'libsql';
import { CompiledQuery, Kysely, SqliteAdapter, SqliteDialect, SqliteDriver, type DatabaseConnection, type DialectAdapter, type Driver, type SqliteDialectConfig } from 'kysely';
import type { StoreDatabase } from './schema';
import type { SqlDriver } from './sql-driver';

export function openSqlite(file: string): SqlDriver {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  // Several API processes may share the file: WAL lets them, busy_timeout rides out brief locks.
  // busy_timeout first: switching to WAL takes a lock, and processes opening a new file at once contend for it.
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  const kysely = new Kysely<StoreDatabase>({ dialect: new WriteLockingSqliteDialect({ database: db }) });
  return {
    dialect: 'sqlite',
    db: kysely,
    async close() {
      // Kysely closes the handle if it ever opened its connection; a store closed before its first query closes it here.
      await kysely.destroy();
      if (db.open) db.close();
    },
  };
}

/**
 * Kysely's SQLite dialect with every transaction begun IMMEDIATE (only the
 * migrator opens transactions; the store's queries run one by one). Its own SQLite "lock" is a no-op (it assumes one process),
 * and a deferred BEGIN lets two processes both read "nothing migrated yet"
 * before either writes; IMMEDIATE takes the file's write lock first (waiting
 * up to busy_timeout), so the second process reads the first one's record.
 */
class WriteLockingSqliteDialect extends SqliteDialect {
  constructor(private readonly settings: SqliteDialectConfig) {
    super(settings);
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.settings);
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

/**
 * Kysely's SQLite adapter says SQLite has no transactional DDL, so its
 * migrator ran each statement on its own, with no transaction: nothing took
 * the write lock above, two processes could run the same migration, and a
 * migration of several statements (0006's table copy) could be left half
 * done by a crash or by another process. SQLite does roll back CREATE, DROP
 * and ALTER TABLE with the rest of a transaction: with this, all pending
 * migrations run in one BEGIN IMMEDIATE transaction, whole or not at all.
 */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}
