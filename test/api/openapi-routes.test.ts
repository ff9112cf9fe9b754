import request from 'supertest';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../../api/create-app';
import { createLogger } from '../../infra/logger';
import { Store } from '../../infra/store/store';
import { registeredRoutes } from '../support/routes';

/** The OpenAPI document lists exactly the routes Express serves, so the two cannot drift apart. */
let store: Store;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  store = await Store.open('sqlite::memory:');
  app = createApp({
    client: new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) }),
    store,
    logger: createLogger('t', 'silent'),
    config: { apiKeys: ['k'], taskLinkSecret: 'openapi-routes-secret-0123456789', publicBaseUrl: 'http://x', temporal: { address: '', namespace: 'default', taskQueue: 'x' } },
  });
});
afterAll(() => store.close());

test('every registered route is in /openapi.json, and every documented path is served', async () => {
  const doc = (await request(app).get('/openapi.json').expect(200)).body as { paths: Record<string, Record<string, unknown>> };
  const documented = Object.entries(doc.paths)
    .flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`))
    .sort();
  // The console's pages (and `/`, which redirects to them) are for people in a browser, not part of the JSON API.
  const served = registeredRoutes(app)
    .filter(({ path }) => path !== '/' && !path.startsWith('/console'))
    .map(({ method, path }) => `${method.toUpperCase()} ${path.replace(/:(\w+)/g, '{$1}')}`)
    .sort();
  expect(documented).toEqual(served);
  expect(served).toEqual(expect.arrayContaining(['GET /api/catalogue', 'GET /api/documents', 'GET /api/registry/transitions', 'GET /tasks/{token}']));
  // What the worker asks of the API's database, which it does not open itself.
  expect(served).toEqual(
    expect.arrayContaining(['GET /api/registry/sent-mail/{messageId}', 'PUT /api/registry/sent-mail/{messageId}', 'GET /api/registry/out-of-office/{email}']),
  );
});
