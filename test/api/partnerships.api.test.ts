import request from 'supertest';
import { itemsOfPhase } from '../../domain/partnership/catalogue';
import { auth, createPartnership } from '../support/api-requests';
import { eventually, partnershipRequest } from '../support/fixtures';
import { stakeholderInput } from '../support/partners';
import { startStack, type Stack } from '../support/stack';

/**
 * The partnership routes of the API: input refused with 400/413 naming each
 * field, 404 and 409; start, read and list (filters, paging with tokens), the
 * checklist's rules, the catalogue; a terminated partnership read, written and
 * listed; and the operations endpoints (health, metrics, OpenAPI).
 */
let stack: Stack;

beforeAll(async () => {
  stack = await startStack('api-partnerships');
});
afterAll(async () => {
  await stack?.stop();
});

describe('authentication and input', () => {
  test('invalid bodies get 400 naming each field and problem', async () => {
    const res = await request(stack.app)
      .post('/api/partnerships')
      .set(auth)
      .send({ ...partnershipRequest(), approvers: [], manager: { name: 'M', email: 'nope' }, timings: { deadline: 'whenever' } });
    expect(res.status).toBe(400);
    const fields = (res.body.issues as Array<{ field: string }>).map((i) => i.field);
    expect(fields).toEqual(expect.arrayContaining(['approvers', 'manager.email', 'timings.deadline']));
    expect(res.body.message).toMatch(/manager\.email: must be an email address/);
  });

  test('malformed JSON is 400, oversized bodies 413', async () => {
    const bad = await request(stack.app).post('/api/partnerships').set(auth).set('content-type', 'application/json').send('{"title":');
    expect(bad.status).toBe(400);
    const big = await request(stack.app).post('/api/partnerships').set(auth).send({ goal: 'x'.repeat(200_000) });
    expect(big.status).toBe(413);
  });

  test('unknown partnership 404; malformed id 400; taken slug 409', async () => {
    const unknown = await request(stack.app).get('/api/partnerships/msp-does-not-exist').set(auth);
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toBe('no partnership "msp-does-not-exist"');
    expect((await request(stack.app).get('/api/partnerships/Robert%27)%20DROP').set(auth)).status).toBe(400);
    const p = await createPartnership(stack);
    const again = await request(stack.app).post('/api/partnerships').set(auth).send(partnershipRequest({ slug: p.id.slice(4) }));
    expect(again.status).toBe(409);
  });
});

describe('partnerships', () => {
  test('start, read, list with a phase filter', async () => {
    const p = await createPartnership(stack);
    const read = await request(stack.app).get(`/api/partnerships/${p.id}`).set(auth).expect(200);
    // The start answers with the read model the workflow itself holds (same function, same arguments).
    expect(read.body).toEqual(p);
    expect(read.body).toMatchObject({ id: p.id, phase: 'initiating', cycle: 1, status: 'active', pendingTasks: [], decisions: [], documents: [] });
    expect(read.body.checklist[0]).toEqual(
      expect.objectContaining({ id: expect.any(String), phase: 'initiating', dimension: expect.any(String), title: expect.any(String), guideRef: expect.stringMatching(/^II\.2\.A/), done: false }),
    );
    const listed = await eventually(async () => {
      const res = await request(stack.app).get('/api/partnerships?phase=initiating').set(auth);
      return res.body.partnerships?.find((x: { id: string }) => x.id === p.id);
    });
    expect(listed).toMatchObject({ phase: 'initiating', cycle: 1, status: 'active', manager: 'mona@example.org' });
    const other = await request(stack.app).get('/api/partnerships?phase=collaborative-action').set(auth).expect(200);
    expect(other.body.partnerships.find((x: { id: string }) => x.id === p.id)).toBeUndefined();
    expect((await request(stack.app).get('/api/partnerships?phase=party').set(auth)).status).toBe(400);
    // Operators' "review overdue" list is a visibility query on MspNextReviewAt; a fresh partnership is not on it.
    const overdue = await request(stack.app).get('/api/partnerships?reviewOverdue=true').set(auth).expect(200);
    expect(overdue.body.partnerships.find((x: { id: string }) => x.id === p.id)).toBeUndefined();
  });

  test('the list pages through every match with a token and says how many there are', async () => {
    const manager = { name: 'Paula Pager', email: `pager-${Date.now()}@example.org` };
    for (let i = 0; i < 5; i++) await createPartnership(stack, { manager });
    const seen: string[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    await eventually(async () => (await request(stack.app).get('/api/partnerships?limit=1000').set(auth)).body.total >= 5);
    do {
      const res = await request(stack.app)
        .get(`/api/partnerships?limit=2${pageToken ? `&pageToken=${pageToken}` : ''}`)
        .set(auth)
        .expect(200);
      expect(res.body.partnerships.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.partnerships.map((x: { id: string }) => x.id));
      pageToken = res.body.nextPageToken;
      if (pageToken && pages === 0) {
        // A token belongs to its own list: the same token under another filter is refused.
        const elsewhere = await request(stack.app).get(`/api/partnerships?limit=2&phase=initiating&pageToken=${pageToken}`).set(auth);
        expect(elsewhere.status).toBe(400);
      }
      pages++;
    } while (pageToken);
    const all = await request(stack.app).get('/api/partnerships?limit=1000').set(auth).expect(200);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual(all.body.partnerships.map((x: { id: string }) => x.id).sort());
    expect(all.body.total).toBe(seen.length);
    expect(pages).toBeGreaterThanOrEqual(3);
    const bad = await request(stack.app).get('/api/partnerships?pageToken=not%20a%20token').set(auth);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/pageToken: must be the nextPageToken of a previous page/);
    const forged = await request(stack.app).get('/api/partnerships?pageToken=AAAAbogus.c2lnbmF0dXJl').set(auth);
    expect(forged.status).toBe(400);
    expect(forged.body.message).toMatch(/pageToken: must be the nextPageToken of a previous page of the same list/);
  });

  test('checklist rules answer 404 and 409; advance names what is missing', async () => {
    const p = await createPartnership(stack);
    const wrongPhase = await request(stack.app)
      .post(`/api/partnerships/${p.id}/checklist/adaptive-planning.issues-context.roadmap/complete`)
      .set(auth)
      .send({ by: 'Mona' });
    expect(wrongPhase.status).toBe(409);
    expect(wrongPhase.body.message).toMatch(/belongs to Adaptive planning/);
    const unknown = await request(stack.app).post(`/api/partnerships/${p.id}/checklist/nope/complete`).set(auth).send({ by: 'Mona' });
    expect(unknown.status).toBe(404);
    const noBy = await request(stack.app).post(`/api/partnerships/${p.id}/checklist/initiating.partners.core-group/complete`).set(auth).send({});
    expect(noBy.status).toBe(400);
    const advance = await request(stack.app).post(`/api/partnerships/${p.id}/advance`).set(auth).send({});
    expect(advance.status).toBe(409);
    expect(advance.body.details.missingItems).toHaveLength(itemsOfPhase('initiating').length);
    // Mapping stakeholders is ticked only once the map has someone on it; the read model shows the map.
    const item = 'initiating.issues-context.stakeholder-map';
    const early = await request(stack.app).post(`/api/partnerships/${p.id}/checklist/${item}/complete`).set(auth).send({ by: 'Mona' });
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ code: 'refusals:checklist.notYet', message: expect.stringMatching(/cannot be completed yet: Map at least one stakeholder first/) });
    await request(stack.app).post(`/api/partnerships/${p.id}/stakeholders`).set(auth).send(stakeholderInput('Ministry of Labour', 'government', true)).expect(201);
    await request(stack.app).post(`/api/partnerships/${p.id}/checklist/${item}/complete`).set(auth).send({ by: 'Mona' }).expect(200);
    const read = await request(stack.app).get(`/api/partnerships/${p.id}`).set(auth).expect(200);
    expect(read.body.checklist.find((c: { id: string }) => c.id === item)).toMatchObject({
      done: true,
      capability: 'stakeholder-map',
      shows: { done: true, summary: '1 stakeholder mapped, 1 in the core group' },
    });
  });

  test('the catalogue serves every item with the guide bullets it serves and the coverage', async () => {
    const res = await request(stack.app).get('/api/catalogue').set(auth).expect(200);
    expect(res.body.coverage).toEqual({ actionBullets: 80, covered: 80, passages: 2, notCounted: { subPoints: 3, descriptive: 5 } });
    expect(res.body.items).toHaveLength(80);
    const map = res.body.items.find((i: { id: string }) => i.id === 'initiating.issues-context.stakeholder-map');
    expect(map).toMatchObject({ guideRef: 'II.2.A Issues, situations, challenges', capability: 'stakeholder-map', requiresCapability: true });
    expect(map.bullets.map((b: { id: string }) => b.id)).toEqual(['A.issues-context.4', 'A.issues-context.5']);
    const staff = res.body.items.find((i: { id: string }) => i.id === 'collaborative-action.organisation.external-support');
    expect(staff).toMatchObject({ group: 'staff', guideRef: 'II.2.C ILO as a partner › Staff and staff development' });
    await request(stack.app).get('/api/catalogue').expect(401);
  });
});

describe('partnerships that end abnormally', () => {
  test('a terminated partnership reads as terminated with its reason everywhere; writes name it; operators see a metric', async () => {
    const p = await createPartnership(stack);
    // The first items that need no section, no stakeholder and no other data first.
    const [first, second] = itemsOfPhase('initiating').filter((i) => !i.requiresCapability).map((i) => i.id);
    await request(stack.app).post(`/api/partnerships/${p.id}/checklist/${first}/complete`).set(auth).send({ by: 'Mona' }).expect(200);
    await stack.env.client.workflow.getHandle(p.id).terminate('operator: duplicate of msp-green-jobs');

    const read = await request(stack.app).get(`/api/partnerships/${p.id}`).set(auth).expect(200);
    expect(read.body).toMatchObject({ id: p.id, status: 'terminated', ended: { executionStatus: 'TERMINATED', reason: 'operator: duplicate of msp-green-jobs' } });
    expect(Date.parse(read.body.ended.at)).not.toBeNaN();

    expect(read.body.checklist.find((c: { id: string }) => c.id === first)).toMatchObject({ done: true, doneBy: 'Mona' });
    const write = await request(stack.app).post(`/api/partnerships/${p.id}/checklist/${second}/complete`).set(auth).send({ by: 'Mona' });
    expect(write.status).toBe(409);
    expect(write.body.message).toMatch(new RegExp(`${p.id} was terminated on .*: operator: duplicate of msp-green-jobs`));

    const listed = await eventually(async () => {
      const r = await request(stack.app).get('/api/partnerships?status=terminated').set(auth);
      return r.body.partnerships?.some((x: { id: string }) => x.id === p.id) && r.body.partnerships;
    });
    expect(listed.find((x: { id: string }) => x.id === p.id)).toMatchObject({ status: 'terminated', executionStatus: 'TERMINATED' });
    const active = await request(stack.app).get('/api/partnerships?status=active&limit=1000').set(auth).expect(200);
    expect(active.body.partnerships.map((x: { id: string }) => x.id)).not.toContain(p.id);

    const metrics = await request(stack.app).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/msp_partnerships_ended_abnormally\{execution_status="Terminated"\} [1-9]/);
  });

  test('the manager filter takes an address with an apostrophe, escaped in the visibility query', async () => {
    const p = await createPartnership(stack, { manager: { name: "Siobhán O'Brien", email: "o'brien@example.org" } });
    const byManager = await eventually(async () => {
      const r = await request(stack.app).get(`/api/partnerships?manager=${encodeURIComponent("o'brien@example.org")}`).set(auth);
      return r.status === 200 && r.body.total === 1 && r.body;
    });
    expect(byManager.partnerships[0]).toMatchObject({ id: p.id, manager: "o'brien@example.org" });
    const none = await request(stack.app).get(`/api/partnerships?manager=${encodeURIComponent("x' OR 'a'='a@example.org")}`).set(auth);
    expect(none.status).toBe(400);
  });
});

describe('operations', () => {
  test('health, metrics and the OpenAPI document are served', async () => {
    expect((await request(stack.app).get('/healthz')).body).toEqual({ ok: true });
    expect((await request(stack.app).get('/metrics')).text).toContain('msp_api_http_request_duration_seconds');
    const openapi = await request(stack.app).get('/openapi.json').expect(200);
    expect(Object.keys(openapi.body.paths)).toEqual(expect.arrayContaining(['/api/partnerships', '/api/partnerships/{id}/advance', '/tasks/{token}']));
  });
});
