import request from 'supertest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createApp } from '../../api/create-app';
import { createServices } from '../../api/services';
import { CreatePartnershipSchema } from '../../domain/partnership/schemas';
import { createLogger } from '../../infra/logger';
import { Store } from '../../infra/store/store';
import { partnershipRequest } from '../support/fixtures';
import { startTemporal, TEST_API_KEY, TEST_SECRET } from '../support/stack';

/**
 * Temporal up, no worker on the task queue: the API says so (503, Retry-After),
 * rather than that Temporal cannot be reached, and does not hang.
 */
let env: TestWorkflowEnvironment;
let store: Store;
const auth = { authorization: `Bearer ${TEST_API_KEY}` };

beforeAll(async () => {
  env = await startTemporal();
  store = await Store.open('sqlite::memory:');
});
afterAll(async () => {
  await store?.close();
  await env?.teardown();
});

function appOn(taskQueue: string, workflowDeadlineMs?: number) {
  return createApp({
    client: env.client,
    store,
    logger: createLogger('t', 'silent'),
    workflowDeadlineMs,
    config: { apiKeys: [TEST_API_KEY], taskLinkSecret: TEST_SECRET, publicBaseUrl: 'http://x', temporal: { address: '', namespace: 'default', taskQueue } },
  });
}

test('no worker has ever polled: 503 naming the task queue, at once, for starts, reads and Updates', async () => {
  const app = appOn('nobody-polls');
  const view = await createServices(env.client, 'nobody-polls').partnership.start(CreatePartnershipSchema.parse(partnershipRequest()));
  const started = Date.now();
  for (const res of [
    await request(app).post('/api/partnerships').set(auth).send(partnershipRequest()),
    await request(app).get(`/api/partnerships/${view.id}`).set(auth),
    await request(app).post(`/api/partnerships/${view.id}/checklist/${view.checklist[0].id}/complete`).set(auth).send({ by: 'Mona' }),
  ]) {
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body).toMatchObject({ error: 'unavailable', message: expect.stringMatching(/^no worker is serving the task queue "nobody-polls" \(Temporal is up/) });
    expect(res.body.message).not.toMatch(/not reachable/);
  }
  expect(Date.now() - started).toBeLessThan(5000);
});

test('a worker polled lately but no longer answers: the request ends at its deadline with a 503 that says so', async () => {
  const queue = 'polled-then-gone';
  // One long poll that ends after a few seconds (the server refuses shorter ones): the server remembers a poller, as it does for a worker that just died.
  await env.client.connection
    .withDeadline(Date.now() + 5000, () => env.client.workflowService.pollWorkflowTaskQueue({ namespace: 'default', taskQueue: { name: queue }, identity: 'gone-worker' }))
    .catch(() => undefined);
  const view = await createServices(env.client, queue).partnership.start(CreatePartnershipSchema.parse(partnershipRequest()));
  const app = appOn(queue, 2000);
  const started = Date.now();
  const res = await request(app).post(`/api/partnerships/${view.id}/checklist/${view.checklist[0].id}/complete`).set(auth).send({ by: 'Mona' });
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(res.status).toBe(503);
  expect(res.headers['retry-after']).toBe('5');
  expect(res.body.message).toMatch(/^the workflows did not answer within 2 s; a worker polled the task queue "polled-then-gone" lately/);
});
