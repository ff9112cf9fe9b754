import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { Client, Connection } from '@temporalio/client';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../api/create-app';
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
