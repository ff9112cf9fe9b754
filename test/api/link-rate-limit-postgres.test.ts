import { Client, Connection } from '@temporalio/client';
import request from 'supertest';
import { createApp } from '../../api/create-app';
import { linkLimiterFor, type LinkLimiter } from '../../api/rate-limit';
import { createLogger } from '../../infra/logger';
import { Store } from '../../infra/store/store';
import { createDatabase, startLocalPostgres, type LocalPostgres } from '../support/postgres';

/**
 * The link-page limit on PostgreSQL is one count for every API instance:
 * two apps (as two API processes would be) on one database share it. No
 * Temporal server is needed: forged links are refused (403) before any call.
 */
let pg: LocalPostgres;
let url: string;
const opened: Array<{ close(): Promise<void> }> = [];
beforeAll(async () => {
  pg = await startLocalPostgres();
  url = await createDatabase(pg.url, 'limits');
});
afterAll(async () => {
  for (const o of opened) await o.close();
  pg?.stop();
});

async function apiInstance(databaseUrl: string, limit: number) {
  const store = await Store.open(databaseUrl);
  const links: LinkLimiter = linkLimiterFor(databaseUrl, limit);
  opened.push(store, links);
  return createApp({
    client: new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) }),
    store,
    logger: createLogger('t', 'silent'),
    config: { apiKeys: ['k'], taskLinkSecret: 'link-security-secret-0123456789', publicBaseUrl: 'http://x', temporal: { address: '', namespace: 'default', taskQueue: 'x' } },
    linkLimiter: links.limiter,
  });
}

test('two API instances on one PostgreSQL share one link-page count per client', async () => {
  const [one, two] = await Promise.all([apiInstance(url, 4), apiInstance(url, 4)]);
  const statuses: number[] = [];
  for (let i = 0; i < 6; i++) statuses.push((await request(i % 2 ? two : one).get('/tasks/forged.token')).status);
  // Four in all, not four at each instance.
  expect(statuses).toEqual([403, 403, 403, 403, 429, 429]);
  const refused = await request(one).get('/invitations/forged.token');
  expect(refused.status).toBe(429);
  expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
});

test('with the database unreachable the in-memory insurance limiter still limits each instance', async () => {
  const links = linkLimiterFor('postgres://nobody@127.0.0.1:1/none', 3);
  opened.push(links);
  const store = await Store.open(url);
  opened.push(store);
  const app = createApp({
    client: new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) }),
    store,
    logger: createLogger('t', 'silent'),
    config: { apiKeys: ['k'], taskLinkSecret: 'link-security-secret-0123456789', publicBaseUrl: 'http://x', temporal: { address: '', namespace: 'default', taskQueue: 'x' } },
    linkLimiter: links.limiter,
  });
  const statuses: number[] = [];
  for (let i = 0; i < 5; i++) statuses.push((await request(app).get('/tasks/forged.token')).status);
  expect(statuses).toEqual([403, 403, 403, 429, 429]);
});
