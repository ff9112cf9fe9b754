import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'libsql';
import { CompiledQuery, SqliteAdapter, SqliteDialect, SqliteDriver, type DatabaseConnection, type DialectAdapter, type Driver, type SqliteDialectConfig } from 'kysely';
import type { SqlDriver } from './sql-driver';

export function openSqlite(file: string): SqlDriver {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  // Several API processes may share the file: WAL lets them, busy_timeout rides out brief locks.
  // busy_timeout first: switching to WAL takes a lock, and processes opening a new file at once contend for it.
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  return {
    dialect: 'sqlite',
    migrationDialect: new WriteLockingSqliteDialect({ database: db }),
    async exec(sql) {
      db.exec(sql);
    },
    async run(sql, params = []) {
      const r = db.prepare(sql).run(...params);
      return { changes: r.changes };
    },
    async all<T>(sql: string, params: unknown[] = []) {
      return db.prepare(sql).all(...params) as T[];
    },
    async close() {
      db.close();
    },
  };
}

/**
 * Kysely's SQLite dialect with every transaction begun IMMEDIATE, for the
 * migrator only. Its own SQLite "lock" is a no-op (it assumes one process),
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
