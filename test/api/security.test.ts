import { gateTaskOwner } from '../../domain/partnership/gates';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { createTaskToken } from '../../infra/task-token';
import { itemsOfPhase } from '../../domain/partnership/catalogue';
import { firstWrite, sectionsOfPhase } from '../support/sections';
import { APPROVER_1, APPROVER_2, MANAGER, isTaskEmailFor, partnershipRequest, rng, taskLinkOf } from '../support/fixtures';
import { useStack, TEST_API_KEY, TEST_SECRET } from '../support/stack';
import { stakeholderInput } from '../support/partners';

/**
 * Who may act, against real workflows: tokens that must not work, routes that
 * must not open without a key, user text that must not become markup, and a
 * stream of random malformed requests after which no workflow has changed.
 */
const ctx = useStack('security');
const auth = { authorization: `Bearer ${TEST_API_KEY}` };
const HOSTILE = `<img src=x onerror="alert(1)"> & <script>alert('x')</script>`;

/** A partnership waiting on its first approval; the approver's email and link. */
async function openTask(title = 'Clean water for three districts') {
  const app = ctx.stack.app;
  const created = await request(app).post('/api/partnerships').set(auth).send(partnershipRequest({ title })).expect(201);
  const id = created.body.id as string;
  await request(app).post(`/api/partnerships/${id}/stakeholders`).set(auth).send(stakeholderInput('Ministry of Labour', 'government')).expect(201);
  for (const s of sectionsOfPhase('initiating')) await request(app).put(`/api/partnerships/${id}/sections/${s}`).set(auth).send({ ...firstWrite(s), text: HOSTILE }).expect(200);
  for (const item of itemsOfPhase('initiating')) {
    await request(app).post(`/api/partnerships/${id}/checklist/${item.id}/complete`).set(auth).send({ by: MANAGER.name, note: HOSTILE }).expect(200);
  }
  const taskId = (await request(app).post(`/api/partnerships/${id}/advance`).set(auth).send({ by: HOSTILE }).expect(202)).body.task.id as string;
  const email = await ctx.stack.mail.waitFor(isTaskEmailFor(taskId, APPROVER_1.email));
  return { id, taskId, email, token: taskLinkOf(email).token };
}

/** What "nothing changed" means for a workflow: no new event in its history. A gate task's history is its partnership's. */
async function historyLength(workflowId: string): Promise<number> {
  return Number((await ctx.stack.env.client.workflow.getHandle(gateTaskOwner(workflowId) ?? workflowId).describe()).historyLength);
}

/** The history length once the workflow has finished reacting to what came before (no new event for a second). */
async function settledHistoryLength(workflowId: string): Promise<number> {
  let last = await historyLength(workflowId);
  for (;;) {
    await new Promise((r) => setTimeout(r, 1000));
    const now = await historyLength(workflowId);
    if (now === last) return now;
    last = now;
  }
}

test('every /api route in the OpenAPI document answers 401 without a token and with a wrong one', async () => {
  const doc = (await request(ctx.stack.app).get('/openapi.json').expect(200)).body as { paths: Record<string, Record<string, unknown>> };
  const routes = Object.entries(doc.paths)
    .filter(([path]) => path.startsWith('/api/'))
    .flatMap(([path, ops]) => Object.keys(ops).map((method) => [method, path.replace(/\{[^}]+\}/g, 'x')] as const));
  expect(routes.length).toBeGreaterThan(20);
  for (const [method, path] of routes) {
    const call = () => request(ctx.stack.app)[method as 'get'](path);
    expect({ method, path, status: (await call()).status }).toEqual({ method, path, status: 401 });
    expect({ method, path, status: (await call().set({ authorization: 'Bearer wrong' })).status }).toEqual({ method, path, status: 401 });
    expect({ method, path, status: (await call().set({ authorization: `Basic ${TEST_API_KEY}` })).status }).toEqual({ method, path, status: 401 });
  }
});

test('tokens that are forged, expired, replayed, another approver’s or another task’s are refused with a page, and nothing changes', async () => {
  const app = ctx.stack.app;
  const { taskId, token } = await openTask();
  const other = await openTask('Another partnership');
  const before = await settledHistoryLength(taskId);

  const [payload, signature] = token.split('.');
  const otherPayload = other.token.split('.')[0];
  const refusals: Array<[string, string, number, RegExp]> = [
    ['forged signature', `${payload}.${signature.slice(0, -3)}abc`, 403, /This link is not valid: it was changed or did not come from us/],
    ['another task’s claims under this signature', `${otherPayload}.${signature}`, 403, /This link is not valid: it was changed or did not come from us/],
    ['expired', createTaskToken(TEST_SECRET, { taskId, email: APPROVER_1.email, exp: Date.now() - 1000 }), 410, /expired/],
    ['another approver', createTaskToken(TEST_SECRET, { taskId, email: 'mallory@example.org', exp: Date.now() + 60_000 }), 403, /not assigned to you/],
    ['an approver not yet asked', createTaskToken(TEST_SECRET, { taskId, email: APPROVER_2.email, exp: Date.now() + 60_000 }), 403, /not assigned to you/],
    ['a task that does not exist', createTaskToken(TEST_SECRET, { taskId: `${taskId}-nope`, email: APPROVER_1.email, exp: Date.now() + 60_000 }), 404, /not found|no such|\bno [a-z ]*(task|partnership)\b/i],
    ['an invitation token', createTaskToken(TEST_SECRET, { taskId, email: APPROVER_1.email, exp: Date.now() + 60_000, kind: 'onboarding' }), 403, /another kind of request/],
  ];
  for (const [what, bad, status, message] of refusals) {
    for (const res of [await request(app).get(`/tasks/${bad}`), await request(app).post(`/tasks/${bad}`).type('form').send({ decision: 'approve' })]) {
      expect({ what, status: res.status }).toEqual({ what, status });
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect({ what, page: message.test(res.text) }).toEqual({ what, page: true });
    }
  }
  expect(await historyLength(taskId)).toBe(before);

  await request(app).post(`/tasks/${token}`).type('form').send({ decision: 'approve' }).expect(200);
  const replayed = await request(app).post(`/tasks/${token}`).type('form').send({ decision: 'reject', comment: 'changed my mind' });
  expect(replayed.status).toBe(409);
  expect(replayed.text).toContain('already decided: approved by Ari Approver');
  // The other partnership's task is untouched by all of this.
  expect((await request(app).get(`/tasks/${other.token}`).expect(200)).text).toContain('<form method="post">');
});

test('HTML in user fields is escaped in the task email and on the task page', async () => {
  const { email, token } = await openTask(`Water ${HOSTILE}`);
  for (const markup of [email.html, (await request(ctx.stack.app).get(`/tasks/${token}`).expect(200)).text]) {
    expect(markup).not.toContain('<img src=x');
    expect(markup).not.toContain('<script>alert');
    expect(markup).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &lt;script&gt;');
  }
  expect(email.text).toContain(HOSTILE); // the plain-text part carries it as the text it is
});

test('hundreds of random malformed requests at a live partnership and task: the server stays up and no workflow changes', async () => {
  const app = ctx.stack.app;
  const { id, taskId, token } = await openTask();
  const before = { partnership: await settledHistoryLength(id), task: await settledHistoryLength(taskId), view: (await request(app).get(`/api/partnerships/${id}`).set(auth)).body };

  const r = rng(20261129);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const junk = () => randomBytes(Math.floor(r() * 40)).toString(pick(['base64url', 'hex', 'latin1'] as const));
  /** Always a different token: one character replaced by another, or dropped. */
  const mutate = (s: string) => {
    const i = Math.floor(r() * s.length);
    const replacement = pick(['A', '_', '-', '.', '%00', '']);
    return s.slice(0, i) + (replacement === s[i] ? '~' : replacement) + s.slice(i + 1);
  };
  const paths = [
    () => `/tasks/${mutate(token)}`,
    () => `/tasks/${token}.${junk()}`,
    () => `/api/partnerships/${id}/advance`,
    () => `/api/partnerships/${id}/decision`,
    () => `/api/partnerships/${id}/checklist/${pick(itemsOfPhase('adaptive-planning')).id}/complete`,
    () => `/api/partnerships/${id}/stakeholders`,
    () => `/api/partnerships/${encodeURIComponent(junk())}`,
    () => `/invitations/${mutate(token)}`,
    () => `/reviews/${mutate(token)}`,
  ];
  const bodies = [
    () => '{',
    () => junk(),
    () => JSON.stringify({ decision: pick(['approve', 'maybe', 42, null]), comment: junk() }),
    () => JSON.stringify({ by: { $gt: '' }, choice: 'exit', note: 'x'.repeat(Math.floor(r() * 5000)) }),
    () => JSON.stringify([1, 2, 3]),
    () => 'decision=approve&comment=' + encodeURIComponent(junk()),
  ];
  const statuses = new Map<number, number>();
  for (let i = 0; i < 300; i++) {
    const path = pick(paths)();
    const method = pick(['get', 'post', 'put', 'delete'] as const);
    let req = request(app)[method](path);
    if (path.startsWith('/api/')) req = req.set('authorization', pick([`Bearer ${TEST_API_KEY}`, 'Bearer nope', '']));
    if (method !== 'get') req = req.set('content-type', pick(['application/json', 'application/x-www-form-urlencoded', 'text/plain'])).send(pick(bodies)());
    const res = await req;
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    // A GET of a real route (the stakeholder map) may answer it; everything else is refused as the client's error.
    const expected = method === 'get' && path === `/api/partnerships/${id}/stakeholders` && res.status === 200 ? 200 : 'a 4xx';
    expect({ method, path, status: res.status >= 400 && res.status < 500 ? 'a 4xx' : res.status }).toEqual({ method, path, status: expected });
  }
  expect((await request(app).get('/healthz')).body).toEqual({ ok: true });
  expect(await historyLength(id)).toBe(before.partnership);
  expect(await historyLength(taskId)).toBe(before.task);
  expect((await request(app).get(`/api/partnerships/${id}`).set(auth)).body).toEqual(before.view);
  // The stream really exercised the refusals, not just one of them.
  expect([...statuses.keys()].length).toBeGreaterThanOrEqual(4);
});
