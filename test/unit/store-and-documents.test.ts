import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import Database from 'libsql';
import { Client } from 'pg';
import { PdfPrinter } from '../../activities/documents/pdf-printer';
import { renderDocument } from '../../activities/documents/sources';
import { completeItem } from '../../domain/partnership/checklist';
import { initialState } from '../../domain/partnership/state';
import { phaseDocumentFacts } from '../../domain/partnership/document-facts';
import { Store } from '../../infra/store/store';
import { Migrator } from 'kysely';
import { migrationsFor } from '../../infra/store/migrations';
import { openPostgres } from '../../infra/store/postgres-driver';
import { openSqlite } from '../../infra/store/sqlite-driver';
import { partnershipInput } from '../support/fixtures';
import { createDatabase, startLocalPostgres, type LocalPostgres } from '../support/postgres';

let pg: LocalPostgres;
beforeAll(async () => {
  pg = await startLocalPostgres();
});
afterAll(() => pg?.stop());

const backends: Array<[string, () => string]> = [
  ['SQLite file', () => `sqlite:${join(mkdtempSync(join(tmpdir(), 'msp-store-')), 'x.db')}`],
  ['PostgreSQL', () => pg.url],
];

test.each(backends)('documents, transitions and the mail log insert at most once per id (%s)', async (_name, url) => {
  const store = await Store.open(url());
  const doc = { partnershipId: 'msp-a', kind: 'workplan' as const, title: 'W', cycle: 1, phase: 'adaptive-planning' as const, html: '<p>', pdfBase64: 'JVBERg==' };
  expect(await store.putDocument('d1', doc)).toEqual({ created: true });
  expect(await store.putDocument('d1', { ...doc, title: 'changed' })).toEqual({ created: false });
  expect((await store.getDocument('d1'))?.title).toBe('W');
  expect((await store.getDocument('d1'))?.language).toBe('en');
  await store.putDocument('d2', { ...doc, language: 'ar', source: { kind: 'phase', phase: 'initiating' } });
  expect(await store.getDocument('d2')).toMatchObject({ language: 'ar', source: { kind: 'phase', phase: 'initiating' } });
  expect(await store.listDocuments('msp-a')).toHaveLength(2);
  const t = { partnershipId: 'msp-a', cycle: 1, fromPhase: 'initiating' as const, toPhase: 'adaptive-planning' as const, outcome: 'approved', decidedBy: 'x', decidedAt: new Date().toISOString(), taskId: null };
  expect(await store.putTransition('t1', t)).toEqual({ created: true });
  expect(await store.putTransition('t1', t)).toEqual({ created: false });
  expect(await store.wasMailSent('<m1>')).toBe(false);
  await store.recordMailSent('<m1>', 'a@b.c', 's');
  await store.recordMailSent('<m1>', 'a@b.c', 's');
  expect(await store.wasMailSent('<m1>')).toBe(true);
  expect(await store.listTransitions('msp-a')).toEqual([{ id: 't1', ...t }]);
  await store.close();
});

/** The rows of the migrator's record, and which of our tables exist, read with the backend's own client. */
async function schemaOf(url: string): Promise<{ migrations: string[]; tables: string[]; mail: number }> {
  const ours = ['documents', 'transitions', 'partner_memberships', 'partner_events', 'funding_channels', 'mail_log', 'out_of_office'];
  if (url.startsWith('sqlite:')) {
    const db = new Database(url.slice('sqlite:'.length), { readonly: true });
    try {
      const migrations = (db.prepare('SELECT name FROM kysely_migration ORDER BY name').all() as Array<{ name: string }>).map((r) => r.name);
      const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((r) => r.name);
      const mail = (db.prepare('SELECT count(*) AS n FROM mail_log').get() as { n: number }).n;
      return { migrations, tables: tables.filter((t) => ours.includes(t)).sort(), mail };
    } finally {
      db.close();
    }
  }
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const migrations = (await client.query<{ name: string }>('SELECT name FROM kysely_migration ORDER BY name')).rows.map((r) => r.name);
    const tables = (await client.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).rows.map((r) => r.tablename);
    const mail = Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM mail_log')).rows[0]!.n);
    return { migrations, tables: tables.filter((t) => ours.includes(t)).sort(), mail };
  } finally {
    await client.end();
  }
}

/** Every migration, in order: each must be recorded exactly once. */
const MIGRATIONS = Object.keys(migrationsFor('sqlite'));

const emptyDatabases: Array<[string, () => Promise<string>]> = [
  ['SQLite file', async () => `sqlite:${join(mkdtempSync(join(tmpdir(), 'msp-race-')), 'x.db')}`],
  ['PostgreSQL', async () => createDatabase(pg.url, `race_${process.pid}_${Date.now()}`)],
];

test.each(emptyDatabases)('three processes opening the store at the same instant on an empty database all succeed; each migration runs once (%s)', async (_name, fresh) => {
  const url = await fresh();
  const at = Date.now() + 4000;
  const tsx = join(__dirname, '../../node_modules/.bin/tsx');
  const script = join(__dirname, '../support/open-store.ts');
  const runs = await Promise.allSettled([1, 2, 3].map((i) => promisify(execFile)(tsx, [script, url, String(at), `p${i}`])));
  const failures = runs.flatMap((r) => (r.status === 'rejected' ? [String((r.reason as { stderr?: string }).stderr ?? r.reason)] : []));
  expect(failures).toEqual([]);
  const schema = await schemaOf(url);
  expect(schema.migrations).toEqual(MIGRATIONS);
  expect(schema.tables).toEqual(['documents', 'funding_channels', 'mail_log', 'out_of_office', 'partner_events', 'partner_memberships', 'transitions']);
  expect(schema.mail).toBe(3);
  // Opening again later changes nothing.
  const again = await Store.open(url);
  await again.close();
  expect((await schemaOf(url)).migrations).toHaveLength(MIGRATIONS.length);
}, 60_000);

test('a database made before migrations existed is adopted: its rows stay and the record starts (SQLite)', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'msp-old-')), 'x.db');
  const old = new Database(file);
  old.exec('CREATE TABLE mail_log (message_id TEXT PRIMARY KEY, recipient TEXT NOT NULL, subject TEXT NOT NULL, sent_at TEXT NOT NULL)');
  old.prepare('INSERT INTO mail_log VALUES (?, ?, ?, ?)').run('<old>', 'a@b.c', 's', '2026-01-01T00:00:00Z');
  old.close();
  const store = await Store.open(`sqlite:${file}`);
  expect(await store.wasMailSent('<old>')).toBe(true);
  await store.close();
  expect((await schemaOf(`sqlite:${file}`)).migrations).toEqual(MIGRATIONS);
});

test('a phase document is a real PDF and an escaped HTML view built from the partnership data', async () => {
  const state = initialState('msp-doc', partnershipInput({ title: 'Jobs <script>alert(1)</script>' }), '2026-01-01T00:00:00Z');
  completeItem(state, 'initiating.partners.core-group', { by: 'Mona', note: 'Five champions from four groups' }, '2026-01-01T00:00:00Z');
  const printer = new PdfPrinter();
  try {
    const { html, pdf } = await renderDocument({ kind: 'phase', phase: 'initiating', facts: phaseDocumentFacts(state, 'initiating') }, 'en', printer);
    expect(html).toContain('Five champions from four groups');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(1000);
  } finally {
    await printer.close();
  }
}, 60_000);

test.each(emptyDatabases)('0006-typeset-on-read keeps every document printed before with its PDF; documents stored since keep their page header and footer instead (%s)', async (_name, fresh) => {
  const url = await fresh();
  const driver = url.startsWith('sqlite:') ? openSqlite(url.slice('sqlite:'.length)) : openPostgres(url);
  const migrator = new Migrator({ db: driver.db, provider: { getMigrations: async () => migrationsFor(driver.dialect) } });
  expect((await migrator.migrateTo('0005-transition-details')).error).toBeUndefined();
  // The columns of 0005 (no furniture_json yet).
  await driver.db
    .insertInto('documents')
    .values({ id: 'printed', partnership_id: 'msp-a', kind: 'workplan', title: 'Old', cycle: 1, phase: 'adaptive-planning', html: '<p>old</p>', pdf_base64: Buffer.from('%PDF-old').toString('base64'), created_at: '2026-01-01T00:00:00Z', language: 'fr', source_json: null })
    .execute();
  await driver.close();

  const store = await Store.open(url);
  try {
    expect(await store.getDocument('printed')).toMatchObject({ title: 'Old', html: '<p>old</p>', language: 'fr', pdf: Buffer.from('%PDF-old') });
    expect((await store.getDocument('printed'))?.furniture).toBeUndefined();
    const furniture = { headerTemplate: '<div>Jobs</div>', footerTemplate: '<div><span class="pageNumber"></span></div>' };
    await store.putDocument('typeset-on-read', { partnershipId: 'msp-a', kind: 'workplan', title: 'New', cycle: 2, phase: 'adaptive-planning', html: '<p>new</p>', furniture, language: 'en' });
    expect(await store.getDocument('typeset-on-read')).toMatchObject({ html: '<p>new</p>', pdf: null, furniture });
    expect((await store.listDocuments('msp-a')).map((d) => d.id)).toEqual(['printed', 'typeset-on-read']);
  } finally {
    await store.close();
  }
  expect((await schemaOf(url)).migrations).toEqual(MIGRATIONS);
}, 60_000);

test.each(backends)('an email address is bound to the first identity that presents it verified, and stays; sessions round-trip with their expiry (%s)', async (_name, url) => {
  const store = await Store.open(url());
  const suffix = randomSuffix();
  const lee = { issuer: 'https://login.example.org', subject: `lee-${suffix}` };
  const other = { issuer: 'https://login.example.org', subject: `other-${suffix}` };
  const old = `lee.old.${suffix}@example.org`;
  expect(await store.identities.signIn(lee, 'Lee', old)).toEqual({ emails: [old] });
  // Signing in again binds nothing twice; a new address at the provider adds to what Lee holds.
  expect(await store.identities.signIn(lee, 'Lee', old)).toEqual({ emails: [old] });
  const next = `lee.new.${suffix}@example.org`;
  expect((await store.identities.signIn(lee, 'Lee Chen', next, new Date(Date.now() + 1000))).emails.sort()).toEqual([next, old].sort());
  // The old address handed to someone else: it stays Lee's.
  expect(await store.identities.signIn(other, 'New Holder', old)).toEqual({ emails: [], heldByAnother: old });
  // No verified address: nothing bound, nothing held.
  expect(await store.identities.signIn({ ...other, subject: `unverified-${suffix}` }, 'Claims Only', undefined)).toEqual({ emails: [] });

  const sid = `sid-${suffix}`;
  const expiresAt = Date.now() + 60_000;
  await store.sessions.set(sid, { user: { sub: 'lee' } }, expiresAt);
  expect(await store.sessions.get(sid)).toEqual({ user: { sub: 'lee' } });
  expect(await store.sessions.get(sid, expiresAt + 1)).toBeUndefined();
  await store.sessions.destroy(sid, Date.now() + 60_000);
  expect(await store.sessions.get(sid)).toBeUndefined();
  // Destroyed is destroyed: a late write of the same session does not bring it back (on both databases' ON CONFLICT … WHERE).
  await store.sessions.set(sid, { user: { sub: 'lee' } }, expiresAt);
  expect(await store.sessions.get(sid)).toBeUndefined();
  await store.close();
});

const randomSuffix = () => randomBytes(4).toString('hex');
