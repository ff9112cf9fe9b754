import { Migrator, sql, type Migration, type MigrationResult } from 'kysely';
import type { SqlDriver } from './sql-driver';

/**
 * The store's schema as versioned migrations, run by Kysely's Migrator: each
 * runs once, in order, recorded in `kysely_migration`, inside one transaction
 * that holds the migrator's lock (a PostgreSQL advisory lock; on SQLite the
 * file's write lock, taken by BEGIN IMMEDIATE in `sqlite-driver.ts`). So any number of API instances can open the
 * store together on an empty database: one creates the tables, the others
 * wait and find them there. Before this, every process ran `CREATE TABLE IF
 * NOT EXISTS` at once and the second died on PostgreSQL with `duplicate key
 * value violates unique constraint "pg_type_typname_nsp_index"`.
 *
 * Add a migration with the next number; never edit one that has shipped.
 */

/** The first migration keeps `IF NOT EXISTS` so a database made before migrations existed is adopted as it is. */
const initialTables: readonly string[] = [
      `CREATE TABLE IF NOT EXISTS documents (
        id TEXT PRIMARY KEY,
        partnership_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        title TEXT NOT NULL,
        cycle INTEGER NOT NULL,
        phase TEXT NOT NULL,
        html TEXT NOT NULL,
        pdf_base64 TEXT NOT NULL,
        created_at TEXT NOT NULL
      )`,
      `CREATE INDEX IF NOT EXISTS documents_partnership ON documents (partnership_id)`,
      `CREATE TABLE IF NOT EXISTS transitions (
        id TEXT PRIMARY KEY,
        partnership_id TEXT NOT NULL,
        cycle INTEGER NOT NULL,
        from_phase TEXT NOT NULL,
        to_phase TEXT,
        outcome TEXT NOT NULL,
        decided_by TEXT NOT NULL,
        decided_at TEXT NOT NULL,
        task_id TEXT
      )`,
      `CREATE INDEX IF NOT EXISTS transitions_partnership ON transitions (partnership_id)`,
      `CREATE TABLE IF NOT EXISTS partner_memberships (
        partner_id TEXT NOT NULL,
        partnership_id TEXT NOT NULL,
        organisation TEXT NOT NULL,
        partner_group TEXT NOT NULL,
        status TEXT NOT NULL,
        contact_name TEXT,
        contact_email TEXT,
        document_id TEXT,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (partner_id, partnership_id)
      )`,
      `CREATE INDEX IF NOT EXISTS partner_memberships_organisation ON partner_memberships (organisation, status)`,
      `CREATE INDEX IF NOT EXISTS partner_memberships_partnership ON partner_memberships (partnership_id, status)`,
      `CREATE TABLE IF NOT EXISTS partner_events (
        id TEXT PRIMARY KEY,
        partner_id TEXT NOT NULL,
        partnership_id TEXT NOT NULL,
        status TEXT NOT NULL,
        reason TEXT,
        at TEXT NOT NULL
      )`,
      `CREATE INDEX IF NOT EXISTS partner_events_partner ON partner_events (partner_id)`,
      `CREATE TABLE IF NOT EXISTS funding_channels (
        id TEXT PRIMARY KEY,
        partnership_id TEXT NOT NULL,
        activity_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        status TEXT NOT NULL,
        fiduciary_agent TEXT NOT NULL,
        source TEXT NOT NULL,
        amount TEXT NOT NULL,
        currency TEXT NOT NULL,
        document_id TEXT,
        decided_by TEXT NOT NULL,
        at TEXT NOT NULL
      )`,
      `CREATE INDEX IF NOT EXISTS funding_channels_partnership ON funding_channels (partnership_id)`,
      `CREATE TABLE IF NOT EXISTS mail_log (
        message_id TEXT PRIMARY KEY,
        recipient TEXT NOT NULL,
        subject TEXT NOT NULL,
        sent_at TEXT NOT NULL
      )`,
];

/**
 * The table of rate-limiter-flexible's RateLimiterPostgres (the link pages'
 * shared count), in the shape it creates itself; creating it here, under the
 * lock, stops each API instance racing to create it (`tableCreated: true`).
 * Only PostgreSQL has it: a SQLite store serves one machine's instances.
 */
export const LINK_RATE_LIMIT_TABLE = 'link_rate_limit';
const linkRateLimit: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS ${LINK_RATE_LIMIT_TABLE} (
    key varchar(255) PRIMARY KEY,
    points integer NOT NULL DEFAULT 0,
    expire bigint
  )`,
];

/** Out-of-office delegates: one row per person (their email), replaced when they set new dates. */
const outOfOffice: readonly string[] = [
  `CREATE TABLE out_of_office (
    email TEXT PRIMARY KEY,
    delegate_name TEXT NOT NULL,
    delegate_email TEXT NOT NULL,
    delegate_language TEXT,
    first_day TEXT NOT NULL,
    last_day TEXT NOT NULL,
    reason TEXT,
    set_at TEXT NOT NULL
  )`,
];
/** A transition keeps what the timeline shows of its decision (kind, comment, hand-overs), for decisions a run no longer carries. */
const transitionDetails: readonly string[] = ['ALTER TABLE transitions ADD COLUMN details_json TEXT'];
/**
 * Documents are stored as their HTML with the PDF's running header and footer
 * (`furniture_json`), and typeset into PDF when someone first asks for one: a
 * gate no longer waits for Chromium. `pdf_base64` stays for the documents
 * printed before, and becomes optional. SQLite cannot drop NOT NULL in place,
 * so there the table is copied into its new shape.
 */
const typesetOnReadPostgres: readonly string[] = ['ALTER TABLE documents ALTER COLUMN pdf_base64 DROP NOT NULL', 'ALTER TABLE documents ADD COLUMN furniture_json TEXT'];
const typesetOnReadSqlite: readonly string[] = [
  `CREATE TABLE documents_0006 (
    id TEXT PRIMARY KEY,
    partnership_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    cycle INTEGER NOT NULL,
    phase TEXT NOT NULL,
    html TEXT NOT NULL,
    pdf_base64 TEXT,
    created_at TEXT NOT NULL,
    language TEXT,
    source_json TEXT,
    furniture_json TEXT
  )`,
  `INSERT INTO documents_0006 (id, partnership_id, kind, title, cycle, phase, html, pdf_base64, created_at, language, source_json)
    SELECT id, partnership_id, kind, title, cycle, phase, html, pdf_base64, created_at, language, source_json FROM documents`,
  'DROP TABLE documents',
  'ALTER TABLE documents_0006 RENAME TO documents',
  'CREATE INDEX documents_partnership ON documents (partnership_id)',
];
/**
 * Console sign-in (issue "Identity you can trust"): a person is their OpenID
 * provider's issuer and subject (`identities`); an email address belongs to the
 * first person whose provider verified it to us (`identity_emails`), so an
 * address changed at the provider keeps its partnerships and a recycled one
 * inherits nothing. Console sessions live here too, keyed by a SHA-256 of the
 * session id (a leaked table holds no usable cookie); `expires_at` is epoch ms.
 * A session ended by sign-out keeps its row with `data_json` NULL until it
 * expires, so a request still in flight cannot write it back to life.
 */
const consoleIdentity: readonly string[] = [
  `CREATE TABLE identities (
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    name TEXT NOT NULL,
    email TEXT,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    PRIMARY KEY (issuer, subject)
  )`,
  `CREATE TABLE identity_emails (
    email TEXT PRIMARY KEY,
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    bound_at TEXT NOT NULL
  )`,
  'CREATE INDEX identity_emails_identity ON identity_emails (issuer, subject)',
  `CREATE TABLE console_sessions (
    id_hash TEXT PRIMARY KEY,
    data_json TEXT,
    expires_at BIGINT NOT NULL
  )`,
  'CREATE INDEX console_sessions_expiry ON console_sessions (expires_at)',
];
/** Documents remember their language and what they were built from, to be rendered in another language on request. */
const documentSources: readonly string[] = ['ALTER TABLE documents ADD COLUMN language TEXT', 'ALTER TABLE documents ADD COLUMN source_json TEXT'];

function statements(list: readonly string[]): Migration {
  return {
    async up(db) {
      // One statement per call: SQLite's prepare() takes exactly one.
      for (const statement of list) await sql.raw(statement).execute(db);
    },
  };
}

/** Every migration by name, in the order they run (names sort in that order). */
export function migrationsFor(dialect: SqlDriver['dialect']): Record<string, Migration> {
  return {
    '0001-initial-tables': statements(initialTables),
    '0002-link-rate-limit': statements(dialect === 'postgres' ? linkRateLimit : []),
    '0003-document-sources': statements(documentSources),
    '0004-out-of-office': statements(outOfOffice),
    '0005-transition-details': statements(transitionDetails),
    '0006-typeset-on-read': statements(dialect === 'postgres' ? typesetOnReadPostgres : typesetOnReadSqlite),
    '0007-console-identity': statements(consoleIdentity),
  };
}

const SQLITE_BUSY = /SQLITE_BUSY|database is locked/;
const RECORDED_ELSEWHERE = /UNIQUE constraint failed: kysely_migration|duplicate key value violates unique constraint "kysely_migration/;

/**
 * Brings the database up to the latest migration. A second process waits on
 * the lock: on PostgreSQL the advisory lock, on SQLite the file's write lock
 * for up to busy_timeout (5 s), trying again if a long migration elsewhere
 * outlasts that.
 */
export async function migrate(driver: SqlDriver): Promise<MigrationResult[]> {
  const migrator = new Migrator({ db: driver.db, provider: { getMigrations: async () => migrationsFor(driver.dialect) } });
  for (let attempt = 1; ; attempt++) {
    const { error, results = [] } = await migrator.migrateToLatest();
    if (!error) return results;
    const message = error instanceof Error ? error.message : String(error);
    // Another process recorded the same migration first (its transaction won the race): ours rolled back whole,
    // and the next attempt reads the record and skips it.
    const lostTheRace = RECORDED_ELSEWHERE.test(message);
    if (((driver.dialect === 'sqlite' && SQLITE_BUSY.test(message)) || lostTheRace) && attempt < 30) {
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      continue;
    }
    const failed = results.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`database migration ${failed ? `"${failed}" ` : ''}failed on ${driver.dialect}: ${message}`, { cause: error });
  }
}
