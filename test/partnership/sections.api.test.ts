import request from 'supertest';
import { partnershipRequest } from '../support/fixtures';
import { startStack, TEST_API_KEY, type Stack } from '../support/stack';
import { SECTION_TEXTS } from '../support/sections';

/**
 * The written sections through the JSON API, against a real Temporal server and
 * worker: the writeSection Update's validator answers 428 without a version and
 * 409 from a stale one, and a checklist item whose substance is a section is
 * refused until the section is written.
 */
let stack: Stack;
const auth = { authorization: `Bearer ${TEST_API_KEY}` };

beforeAll(async () => {
  stack = await startStack('sections-api');
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

test('a section is read with an ETag and written back with If-Match: none is 428, stale is 409, current is 200', async () => {
  const created = await request(stack.app).post('/api/partnerships').set(auth).send(partnershipRequest()).expect(201);
  const id = created.body.id as string;
  const path = `/api/partnerships/${id}/sections/governance-outline`;

  const empty = await request(stack.app).get(path).set(auth).expect(200);
  expect(empty.headers.etag).toBe('"0"');
  expect(empty.body).toMatchObject({ id: 'governance-outline', text: '', version: 0, changes: [] });

  const body = { text: SECTION_TEXTS['governance-outline'], by: 'Mona' };
  const none = await request(stack.app).put(path).set(auth).send(body).expect(428);
  expect(none.body.message).toContain(`GET /api/partnerships/<id>/sections/governance-outline`);

  const first = await request(stack.app).put(path).set(auth).set('if-match', '"0"').send(body).expect(200);
  expect(first.headers.etag).toBe('"1"');
  expect(first.body).toMatchObject({ version: 1, text: body.text, changes: [{ version: 1, by: 'Mona', phase: 'initiating', cycle: 1 }] });

  // Someone else saved from the same copy: refused, with the current version, not applied.
  const stale = await request(stack.app).put(path).set(auth).set('if-match', '"0"').send({ ...body, text: 'A different outline', by: 'Ana' }).expect(409);
  expect(stale.body.details).toMatchObject({ currentVersion: 1 });
  expect((await request(stack.app).get(path).set(auth).expect(200)).body.text).toBe(body.text);

  // A version in the body (what the console's form sends) does as well as the header.
  const second = await request(stack.app).put(path).set(auth).send({ ...body, text: 'Steering committee of six', version: 1 }).expect(200);
  expect(second.body.version).toBe(2);

  const list = await request(stack.app).get(`/api/partnerships/${id}/sections`).set(auth).expect(200);
  expect(list.body.sections.map((s: { id: string }) => s.id)).toContain('staffing-plan');
  const view = await request(stack.app).get(`/api/partnerships/${id}`).set(auth).expect(200);
  expect(view.body.versions['section:governance-outline']).toBe(2);

  await request(stack.app).put(`/api/partnerships/${id}/sections/nope`).set(auth).set('if-match', '"0"').send(body).expect(400);
  const fields = await request(stack.app).put(`/api/partnerships/${id}/sections/issue-context`).set(auth).set('if-match', '"0"').send({ ...body, sdgTargets: ['18.1'] }).expect(400);
  expect(fields.body.issues[0].field).toBe('sdgTargets.0');
});

test('ticking an item whose substance is a section is refused, naming the section, until it is written', async () => {
  const created = await request(stack.app).post('/api/partnerships').set(auth).send(partnershipRequest()).expect(201);
  const id = created.body.id as string;
  const tick = () => request(stack.app).post(`/api/partnerships/${id}/checklist/initiating.communication.communications-plan/complete`).set(auth).send({ by: 'Mona' });
  const refused = await tick().expect(409);
  expect(refused.body).toMatchObject({ code: 'refusals:checklist.notYet', message: expect.stringContaining('Write the communication plan first') });
  expect(refused.body.details.capability).toMatchObject({ id: 'communication-plan', done: false });
  await request(stack.app).put(`/api/partnerships/${id}/sections/communication-plan`).set(auth).set('if-match', '"0"').send({ text: SECTION_TEXTS['communication-plan'], by: 'Mona' }).expect(200);
  const done = await tick().expect(200);
  expect(done.body).toMatchObject({ itemId: 'initiating.communication.communications-plan', by: 'Mona' });
  const item = (await request(stack.app).get(`/api/partnerships/${id}`).set(auth).expect(200)).body.checklist.find((c: { id: string }) => c.id === 'initiating.communication.communications-plan');
  expect(item.shows).toMatchObject({ id: 'communication-plan', done: true, summary: 'written, version 1, last changed by Mona' });
  await request(stack.app).put(`/api/partnerships/${id}/sections/communication-plan`).set(auth).set('if-match', '"1"').send({ text: '', by: 'Mona' }).expect(400);
});
