import type { SessionData } from 'express-session';
import { ConsoleSessionStore } from '../../api/console/session';
import type { Kysely } from 'kysely';
import { Store } from '../../infra/store/store';
import type { StoreDatabase } from '../../infra/store/schema';

/**
 * The console's server-side sessions over the real store (SQLite): a record
 * ends at its idle end or its absolute end, whichever comes first; a
 * destroyed one opens nothing; the table holds no session id a thief could use.
 */
let store: Store;
beforeAll(async () => {
  store = await Store.open('sqlite::memory:');
});
afterAll(async () => {
  await store.close();
});

const IDLE_MS = 60_000;
const MAX_MS = 8 * 3_600_000;
const sessions = () => new ConsoleSessionStore(store.sessions, IDLE_MS, MAX_MS);
const call = <T>(f: (done: (err: unknown, value?: T) => void) => void) => new Promise<T | undefined>((ok, fail) => f((err, value) => (err ? fail(err) : ok(value))));
const data = (cookieExpires: number, expiresAt?: number) =>
  ({ cookie: { originalMaxAge: IDLE_MS, expires: new Date(cookieExpires) }, user: undefined, ...(expiresAt ? { expiresAt } : {}), language: 'fr' }) as unknown as SessionData;

test('a session is read back until its idle end, and renewed by touch', async () => {
  const s = sessions();
  await call((done) => s.set('sid-idle', data(Date.now() + IDLE_MS), done));
  expect((await call<SessionData | null>((done) => s.get('sid-idle', done)))?.language).toBe('fr');
  // A request after the idle end finds nothing; a touch before it moves the end.
  await call((done) => s.touch('sid-idle', data(Date.now() - 1), done));
  expect(await call((done) => s.get('sid-idle', done))).toBeNull();
});

test('the absolute end wins over a busy session’s idle end', async () => {
  const s = sessions();
  await call((done) => s.set('sid-absolute', data(Date.now() + IDLE_MS, Date.now() - 1), done));
  expect(await call((done) => s.get('sid-absolute', done))).toBeNull();
});

test('a destroyed session opens nothing; expired records are purged; ids are stored hashed', async () => {
  const s = sessions();
  await call((done) => s.set('sid-destroyed', data(Date.now() + IDLE_MS), done));
  await call((done) => s.destroy('sid-destroyed', done));
  expect(await call((done) => s.get('sid-destroyed', done))).toBeNull();
  // A request that read the session before sign-out and saves it after writes nothing back to life.
  await call((done) => s.set('sid-destroyed', data(Date.now() + IDLE_MS), done));
  await call((done) => s.touch('sid-destroyed', data(Date.now() + IDLE_MS), done));
  expect(await call((done) => s.get('sid-destroyed', done))).toBeNull();

  await call((done) => s.set('sid-live', data(Date.now() + IDLE_MS), done));
  await store.sessions.set('sid-expired', {}, Date.now() - 1);
  const rows = () => (store as unknown as { db: Kysely<StoreDatabase> }).db.selectFrom('console_sessions').selectAll().execute();
  // The live one, the tombstone (kept for the absolute lifetime) and the expired one.
  expect(await rows()).toHaveLength(3);
  expect(await store.sessions.purgeExpired()).toBe(1);
  expect(await store.sessions.get('sid-live')).toBeDefined();
  // Nothing in the table is the id itself.
  expect(JSON.stringify(await rows())).not.toContain('sid-live');
});

test('a purge that fails is reported, not thrown, and tried again on the next write', async () => {
  const errors: unknown[] = [];
  const failing = { ...store.sessions, purgeExpired: async () => Promise.reject(new Error('database went away')), set: async () => undefined } as unknown as typeof store.sessions;
  const s = new ConsoleSessionStore(failing, IDLE_MS, MAX_MS, (err) => errors.push(err));
  await call((done) => s.set('sid-a', data(Date.now() + IDLE_MS), done));
  await new Promise((r) => setImmediate(r));
  await call((done) => s.set('sid-b', data(Date.now() + IDLE_MS), done));
  await new Promise((r) => setImmediate(r));
  expect(errors.map((e) => (e as Error).message)).toEqual(['database went away', 'database went away']);
});
