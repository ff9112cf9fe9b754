import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { toProblem } from '../../api/errors';
import { createApp } from '../../api/create-app';
import { createLogger } from '../../infra/logger';
import { Store } from '../../infra/store/store';
import { createTaskToken } from '../../infra/task-token';
import { partnershipRequest } from '../support/fixtures';
import { registeredRoutes } from '../support/routes';

/**
 * What a caller is told when the input is wrong: each message names the real
 * problem (a default behind a timing, a missing Content-Type, a path parameter)
 * and how to fix it. Every request here is refused before Temporal is reached,
 * so the client is lazy and never connects.
 */
let store: Store;
let app: ReturnType<typeof createApp>;
const auth = { authorization: 'Bearer k' };
const SECRET = 'input-messages-secret-0123456789';

beforeAll(async () => {
  store = await Store.open('sqlite::memory:');
  const client = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  app = createApp({
    client,
    store,
    logger: createLogger('t', 'silent'),
    config: { apiKeys: ['k'], taskLinkSecret: SECRET, publicBaseUrl: 'http://x', temporal: { address: '', namespace: 'default', taskQueue: 'x' } },
  });
});
afterAll(() => store.close());

/** A raw request, headers exactly as given (supertest adds a Content-Type to any body). */
async function raw(method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; body: { message: string } }> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  try {
    const { port } = server.address() as AddressInfo;
    return await new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, method, path, headers: { ...headers, ...(body ? { 'content-length': String(Buffer.byteLength(body)) } : {}) } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as { message: string } }));
      });
      req.on('error', reject);
      req.end(body);
    });
  } finally {
    server.close();
  }
}

describe('timings', () => {
  test('a deadline shorter than the defaults says which defaults, on the field the caller sent', async () => {
    const res = await request(app).post('/api/partnerships').set(auth).send(partnershipRequest({ timings: { deadline: '3 days' } }));
    expect(res.status).toBe(400);
    expect(res.body.issues).toEqual([
      { field: 'timings.deadline', problem: 'deadline (3 days) must be after reminderAfter and escalateAfter, which default to 3 days and 7 days; send shorter ones or a later deadline' },
    ]);
    const one = await request(app).post('/api/partnerships').set(auth).send(partnershipRequest({ timings: { deadline: '5 days' } }));
    expect(one.body.message).toBe('timings.deadline: deadline (5 days) must be after escalateAfter, which defaults to 7 days; send a shorter escalateAfter or a later deadline');
    const reminder = await request(app).post('/api/partnerships').set(auth).send(partnershipRequest({ timings: { reminderAfter: '20 days' } }));
    expect(reminder.body.issues).toEqual([
      { field: 'timings.reminderAfter', problem: 'reminderAfter (20 days) must be shorter than the deadline, which defaults to 14 days; send a shorter reminderAfter or a later deadline' },
    ]);
  });
});

describe('bodies', () => {
  const json = JSON.stringify(partnershipRequest());

  test('JSON without a Content-Type is 415 saying to send Content-Type: application/json', async () => {
    const res = await raw('POST', '/api/partnerships', auth, json);
    expect(res.status).toBe(415);
    expect(res.body.message).toBe('the request has a body but no Content-Type; send the body as JSON with Content-Type: application/json');
    expect(res.body.message).not.toMatch(/undefined/);
  });

  test('JSON sent the way curl -d sends it (form-encoded) is 415 naming what happened', async () => {
    const res = await raw('POST', '/api/partnerships', { ...auth, 'content-type': 'application/x-www-form-urlencoded' }, json);
    expect(res.status).toBe(415);
    expect(res.body.message).toMatch(/arrived form-encoded .*curl -d.*; send it as JSON with Content-Type: application\/json/);
  });

  test('text/plain is 415 too, on every JSON route', async () => {
    const res = await raw('PUT', '/api/registry/transitions/t1', { ...auth, 'content-type': 'text/plain' }, json);
    expect(res.status).toBe(415);
    expect(res.body.message).toBe('a body of type text/plain is not accepted here; send the body as JSON with Content-Type: application/json');
  });

  test('no body at all says so, and lists the missing fields as required', async () => {
    const res = await raw('POST', '/api/partnerships', auth);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^the request has no body; send it as JSON with Content-Type: application\/json \(title: is required; goal: is required; /);
  });

  test('a body that is not JSON says so, with the parser\'s position, rather than only the parser\'s words', async () => {
    const res = await raw('POST', '/api/partnerships', { ...auth, 'content-type': 'application/json' }, '{"title": "x", goal: 1}');
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^the request body is not valid JSON: .*position 15/);
  });

  test('a link form without a Content-Type is 415 naming form encoding, for every link kind', async () => {
    const links = [
      ['tasks', createTaskToken(SECRET, { taskId: 'msp-x.c1.initiating.task-1', email: 'a@example.org', exp: Date.now() + 60_000 })],
      ['invitations', createTaskToken(SECRET, { taskId: 'msp-x.partner.y', email: 'a@example.org', exp: Date.now() + 60_000, kind: 'onboarding' })],
      ['reviews', createTaskToken(SECRET, { taskId: 'msp-x.review-1', email: 'a@example.org', exp: Date.now() + 60_000, kind: 'review' })],
    ];
    for (const [kind, token] of links) {
      const res = await raw('POST', `/${kind}/${token}`, { accept: 'application/json' }, 'decision=approve');
      expect({ kind, status: res.status, message: res.body.message }).toEqual({
        kind,
        status: 415,
        message: 'the request has a body but no Content-Type; send the form as application/x-www-form-urlencoded, or JSON with Content-Type: application/json',
      });
    }
  });
});

describe('path parameters', () => {
  test('a slug where the partnership id belongs names the path parameter and suggests the id', async () => {
    const res = await request(app).get('/api/partnerships/green-jobs').set(auth);
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('path parameter id: is not a partnership id: ids are "msp-" and the slug; did you mean "msp-green-jobs"?');
    expect(res.body.issues).toEqual([{ field: 'id', problem: expect.stringContaining('msp-green-jobs') }]);
  });

  test('the same suggestion where a partnership id is a query parameter or a body field', async () => {
    const query = await request(app).get('/api/documents?partnershipId=green-jobs').set(auth);
    expect(query.body.message).toBe('query parameter partnershipId: is not a partnership id: ids are "msp-" and the slug; did you mean "msp-green-jobs"?');
    const body = await request(app)
      .put('/api/registry/transitions/t1')
      .set(auth)
      .send({ partnershipId: 'green-jobs', cycle: 1, fromPhase: 'initiating', toPhase: 'adaptive-planning', outcome: 'approved', decidedBy: 'Ari', decidedAt: new Date().toISOString(), taskId: null });
    expect(body.body.message).toBe('partnershipId: is not a partnership id: ids are "msp-" and the slug; did you mean "msp-green-jobs"?');
  });

  test('on every route, a bad path parameter is named as one, never as the body', async () => {
    const bad = `${'X'.repeat(301)}!`;
    const checked: string[] = [];
    // Console pages answer people (a sign-in redirect first); the API and link routes are checked here.
    for (const { method, path } of registeredRoutes(app).filter((r) => !r.path.startsWith('/console'))) {
      const params = [...path.matchAll(/:(\w+)/g)].map((m) => m[1]).filter((p) => p !== 'token');
      for (const param of params) {
        const url = path
          .replace(/:(\w+)/g, (_m, name: string) => (name === param ? encodeURIComponent(bad) : name === 'id' || name === 'partnershipId' ? 'msp-x' : name === 'token' ? 't' : 'x'));
        const res = await request(app)[method as 'get'](url).set(auth);
        expect({ method, path, param, status: res.status, message: res.body.message }).toEqual({ method, path, param, status: 400, message: expect.stringMatching(new RegExp(`^path parameter ${param}: `)) });
        checked.push(`${method} ${path} ${param}`);
      }
    }
    expect(checked.length).toBeGreaterThan(25);
  });
});

describe('missing fields', () => {
  test('a missing enum field says "is required" like its neighbours, not "Invalid option"', async () => {
    const { organisationRole: _role, manager: _manager, ...rest } = partnershipRequest();
    const res = await request(app).post('/api/partnerships').set(auth).send(rest);
    expect(res.status).toBe(400);
    expect(res.body.issues).toEqual(expect.arrayContaining([{ field: 'organisationRole', problem: 'is required' }, { field: 'manager', problem: 'is required' }]));
    expect(res.body.message).not.toMatch(/Invalid option/);
  });

  test('every enum field says "is required" when absent, unless the schema gives it words of its own', async () => {
    const mapped = await request(app).post('/api/partnerships/msp-x/stakeholders').set(auth).send({ organisation: 'Ministry of Labour', whyEngage: 'x', engagementStrategy: 'y' });
    expect(mapped.body.issues).toEqual(expect.arrayContaining([{ field: 'group', problem: expect.stringMatching(/^choose one of: government/) }]));
    const role = await request(app).post('/api/partnerships/msp-x/role').set(auth).send({ by: 'Mona' });
    expect(role.body.issues).toEqual([{ field: 'role', problem: 'is required' }]);
    const wrong = await request(app).post('/api/partnerships/msp-x/stakeholders').set(auth).send({ organisation: 'Ministry of Labour', group: 'aliens', whyEngage: 'x', engagementStrategy: 'y' });
    expect(wrong.body.issues).toEqual(expect.arrayContaining([{ field: 'group', problem: expect.stringMatching(/^choose one of: government/) }]));
    const rule = await request(app).put('/api/partnerships/msp-x/fiduciary-rule').set(auth).send({});
    expect(rule.body.issues).toEqual([{ field: 'rule', problem: 'is required' }]);
    const badQuery = await request(app).get('/api/partnerships?phase=nowhere').set(auth);
    expect(badQuery.body.message).toMatch(/^query parameter phase: Invalid option/);
  });
});

describe('unknown ids', () => {
  test('a 404 for a workflow that does not exist names the id and what kind of thing it was looked up as', () => {
    const cases: Array<[string, string]> = [
      ['msp-green-jobs', 'no partnership "msp-green-jobs"'],
      ['msp-green-jobs.c1.initiating.task-1', 'no task "msp-green-jobs.c1.initiating.task-1"'],
      ['msp-green-jobs.partner.ministry-of-labour', 'no partner onboarding "msp-green-jobs.partner.ministry-of-labour"'],
      ['msp-green-jobs.review-2', 'no review "msp-green-jobs.review-2"'],
      ['msp-green-jobs.funding.pilot.v1', 'no funding channel "msp-green-jobs.funding.pilot.v1"'],
    ];
    for (const [id, message] of cases) {
      expect(toProblem(new WorkflowNotFoundError('workflow not found', id, undefined))).toEqual({ status: 404, error: 'not_found', message, details: { id } });
    }
  });
});
