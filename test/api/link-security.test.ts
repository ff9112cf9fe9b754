import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { Client, Connection } from '@temporalio/client';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../api/create-app';
import { loadConfig } from '../../infra/config';
import { createLogger } from '../../infra/logger';
import { Store } from '../../infra/store/store';
import { rng } from '../support/fixtures';

/**
 * The public link pages without Temporal behind them: whatever arrives, the
 * server answers with a 4xx and stays up, and a flood from one address is
 * slowed down. (A lazy client that is never reached: every request here is
 * refused before any workflow is touched.)
 */
let store: Store;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  store = await Store.open(`sqlite:${join(mkdtempSync(join(tmpdir(), 'msp-links-')), 'db')}`);
  const client = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  app = createApp({
    client,
    store,
    logger: createLogger('t', 'silent'),
    config: { apiKeys: ['k'], taskLinkSecret: 'link-security-secret-0123456789', publicBaseUrl: 'http://x', temporal: { address: '', namespace: 'default', taskQueue: 'x' }, linkRateLimit: 400 },
  });
});
afterAll(() => store.close());

test('random malformed requests to link pages and the API get 4xx (never a 500), and the server stays up', async () => {
  const r = rng(20261128);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const junk = () => randomBytes(Math.floor(r() * 40)).toString(pick(['base64url', 'hex', 'latin1'] as const));
  for (let i = 0; i < 150; i++) {
    const path = pick(['/tasks/', '/invitations/', '/reviews/', '/api/partnerships/', '/api/documents/']) + encodeURIComponent(pick([`x${junk()}`, `${junk()}.${junk()}`, '..%2f..%2fetc']));
    const method = pick(['get', 'post'] as const);
    let req = request(app)[method](path);
    if (path.startsWith('/api/')) req = req.set('authorization', pick(['Bearer k', 'Bearer nope', '']));
    if (method === 'post') req = req.set('content-type', pick(['application/json', 'application/x-www-form-urlencoded', 'text/plain'])).send(pick(['{', 'decision=approve', junk(), '{"decision":"approve"}']));
    const res = await req;
    expect({ path, status: res.status }).toEqual({ path, status: expect.any(Number) });
    expect(res.status).toBeGreaterThanOrEqual(400);
    // 4xx for everything malformed; 503 only if a well-formed request had to reach the (absent) Temporal server.
    expect({ path, method, ok: res.status < 500 || res.status === 503 }).toEqual({ path, method, ok: true });
  }
  expect((await request(app).get('/openapi.json')).status).toBe(200);
});

test('a flood of link requests from one address is refused with 429 and Retry-After', async () => {
  const limited = createApp({
    client: new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) }),
    store,
    logger: createLogger('t', 'silent'),
    config: { apiKeys: ['k'], taskLinkSecret: 'link-security-secret-0123456789', publicBaseUrl: 'http://x', temporal: { address: '', namespace: 'default', taskQueue: 'x' }, linkRateLimit: 5 },
  });
  const statuses = [];
  for (let i = 0; i < 7; i++) statuses.push((await request(limited).get('/tasks/forged.token')).status);
  expect(statuses).toEqual([403, 403, 403, 403, 403, 429, 429]);
  const res = await request(limited).get('/reviews/forged.token').set('accept', 'application/json');
  expect(res.status).toBe(429);
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
});

/** An app whose configuration comes from these environment variables, as api/main.ts builds it. */
function appFromEnv(env: Record<string, string>) {
  const config = loadConfig({ TASK_LINK_SECRET: 'link-security-secret-0123456789', ...env });
  return createApp({ client: new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) }), store, logger: createLogger('t', 'silent'), config });
}

test.each(['loopback', '1', '127.0.0.0/8, ::1'])('behind a proxy trusted by TRUST_PROXY=%s each forwarded client has its own bucket', async (trustProxy) => {
  const app = appFromEnv({ TRUST_PROXY: trustProxy, LINK_RATE_LIMIT: '3' });
  const from = async (client: string) => (await request(app).get('/tasks/forged.token').set('x-forwarded-for', client)).status;
  const first = [];
  for (let i = 0; i < 4; i++) first.push(await from('203.0.113.7'));
  expect(first).toEqual([403, 403, 403, 429]);
  // Another client behind the same proxy is not held back by the first one's flood.
  expect(await from('198.51.100.23')).toBe(403);
  expect(await from('2001:db8::5')).toBe(403);
  expect(await from('203.0.113.7')).toBe(429);
});

test.each<Record<string, string>>([{}, { TRUST_PROXY: '10.0.0.1' }])('with no trusted proxy (%j) a forged X-Forwarded-For does not escape the limit', async (env) => {
  const app = appFromEnv({ ...env, LINK_RATE_LIMIT: '3' });
  const statuses = [];
  for (let i = 0; i < 5; i++) statuses.push((await request(app).get('/invitations/forged.token').set('x-forwarded-for', `203.0.113.${i}`)).status);
  expect(statuses).toEqual([403, 403, 403, 429, 429]);
  const res = await request(app).get('/reviews/forged.token').set('x-forwarded-for', '198.51.100.1').set('accept', 'application/json');
  expect(res.status).toBe(429);
  expect(res.body).toMatchObject({ code: 'refusals:link.rateLimited', message: 'Too many requests have come from your address. Please wait a minute and try again.' });
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
});
