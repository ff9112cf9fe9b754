import request from 'supertest';
import { auth, createPartnership } from '../support/api-requests';
import { partnershipRequest } from '../support/fixtures';
import { stakeholderInput } from '../support/partners';
import { startStack, type Stack } from '../support/stack';

/**
 * The stakeholder map through the API: names in any script and their ids,
 * updates by repeat or explicit id, and the versions that guard every change
 * (428 without If-Match, 409 from a stale copy) — on stakeholders, the
 * resource strategy and the fiduciary rule; a partnership titled only in
 * Chinese gets a pinyin id.
 */
let stack: Stack;

beforeAll(async () => {
  stack = await startStack('api-stakeholders');
});
afterAll(async () => {
  await stack?.stop();
});

describe('stakeholders', () => {
  const LONG_A = 'Ministère du Travail, de l’Emploi et de la Formation professionnelle — Direction générale du travail';
  const LONG_B = 'Ministère du Travail, de l’Emploi et de la Formation professionnelle — Direction de la sécurité sociale';
  const map = (id: string, body: object) => request(stack.app).post(`/api/partnerships/${id}/stakeholders`).set(auth).send(body);

  test('names in any script: long names sharing 60 characters stay two organisations; repeats and explicit ids update', async () => {
    const p = await createPartnership(stack);
    const a = await map(p.id, stakeholderInput(LONG_A, 'government'));
    const b = await map(p.id, stakeholderInput(LONG_B, 'other'));
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.id).not.toBe(b.body.id);
    const chinese = await map(p.id, stakeholderInput('劳动部', 'government'));
    expect(chinese.status).toBe(201);
    expect(chinese.body).toMatchObject({ id: 'lao-dong-bu', organisation: '劳动部', created: true });

    const repeat = await map(p.id, { ...stakeholderInput(LONG_A, 'government'), whyEngage: 'Runs labour inspection' }).set('if-match', a.headers.etag);
    expect(repeat.status).toBe(200);
    expect(repeat.body).toMatchObject({ id: a.body.id, created: false, whyEngage: 'Runs labour inspection' });
    const renamed = await map(p.id, { ...stakeholderInput('中华人民共和国人力资源和社会保障部', 'government'), id: 'lao-dong-bu' }).set('if-match', chinese.headers.etag);
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: 'lao-dong-bu', organisation: '中华人民共和国人力资源和社会保障部' });
    expect((await map(p.id, { ...stakeholderInput('Nobody', 'other'), id: 'nobody' })).status).toBe(404);
    expect((await map(p.id, { ...stakeholderInput('Nobody', 'other'), id: 'Not An Id' })).status).toBe(400);

    const read = await request(stack.app).get(`/api/partnerships/${p.id}`).set(auth).expect(200);
    expect(read.body.stakeholders.map((s: { id: string; organisation: string; group: string }) => [s.id, s.organisation, s.group])).toEqual([
      [a.body.id, LONG_A, 'government'],
      [b.body.id, LONG_B, 'other'],
      ['lao-dong-bu', '中华人民共和国人力资源和社会保障部', 'government'],
    ]);
  });

  test('a change to a mapped stakeholder needs the version it was based on: 428 without one, 409 from a stale copy', async () => {
    const p = await createPartnership(stack);
    const mapped = await map(p.id, stakeholderInput('Ministry of Labour', 'government'));
    expect(mapped.status).toBe(201);
    expect(mapped.headers.etag).toBe('"1"');

    // Two managers load the same stakeholder.
    const loaded = await request(stack.app).get(`/api/partnerships/${p.id}/stakeholders/ministry-of-labour`).set(auth).expect(200);
    expect(loaded.headers.etag).toBe('"1"');
    expect(loaded.body).toMatchObject({ id: 'ministry-of-labour', version: 1 });

    const blind = await map(p.id, { ...stakeholderInput('Ministry of Labour', 'government'), whyEngage: 'Overwrites whatever is there' });
    expect(blind.status).toBe(428);
    expect(blind.body.error).toBe('precondition_required');
    expect(blind.body.message).toMatch(/If-Match/);
    expect(blind.body.message).toContain('GET /api/partnerships/<id>/stakeholders/ministry-of-labour');

    const first = await map(p.id, { ...stakeholderInput('Ministry of Labour', 'government'), whyEngage: 'Runs labour inspection' }).set('if-match', loaded.headers.etag);
    expect(first.status).toBe(200);
    expect(first.headers.etag).toBe('"2"');
    const stale = await map(p.id, { ...stakeholderInput('Ministry of Labour', 'government'), whyEngage: 'Funds the pilot' }).set('if-match', loaded.headers.etag);
    expect(stale.status).toBe(409);
    expect(stale.headers.etag).toBe('"2"');
    expect(stale.body.details).toMatchObject({ currentVersion: 2 });

    const now = await request(stack.app).get(`/api/partnerships/${p.id}/stakeholders`).set(auth).expect(200);
    expect(now.body.stakeholders).toEqual([expect.objectContaining({ id: 'ministry-of-labour', whyEngage: 'Runs labour inspection', version: 2 })]);
    expect((await request(stack.app).get(`/api/partnerships/${p.id}/stakeholders/nobody`).set(auth)).body).toMatchObject({ code: 'refusals:notFound.stakeholder', message: `No stakeholder “nobody” on ${p.id}.` });
  });

  test('the resource strategy and the fiduciary rule need the version too; the fiduciary rule has a GET with an ETag', async () => {
    const p = await createPartnership(stack);
    const strategy = { pledges: [], ownSources: [{ source: 'RBSA', amount: '60000', currency: 'USD' }], externalPartners: [] };
    const blind = await request(stack.app).put(`/api/partnerships/${p.id}/resource-strategy`).set(auth).send(strategy);
    expect(blind.status).toBe(428);
    expect(blind.body.message).toContain('GET /api/partnerships/<id>/resource-strategy');

    const rule = await request(stack.app).get(`/api/partnerships/${p.id}/fiduciary-rule`).set(auth).expect(200);
    expect(rule.body).toEqual({ rule: 'lead-partner', version: 0 });
    expect(rule.headers.etag).toBe('"0"');
    expect((await request(stack.app).put(`/api/partnerships/${p.id}/fiduciary-rule`).set(auth).send({ rule: 'rotating-core' })).status).toBe(428);
    const set = await request(stack.app).put(`/api/partnerships/${p.id}/fiduciary-rule`).set(auth).set('if-match', rule.headers.etag).send({ rule: 'rotating-core' });
    expect(set.status).toBe(200);
    expect(set.headers.etag).toBe('"1"');
    const stale = await request(stack.app).put(`/api/partnerships/${p.id}/fiduciary-rule`).set(auth).set('if-match', rule.headers.etag).send({ rule: 'lead-partner' });
    expect(stale.status).toBe(409);
    expect(stale.headers.etag).toBe('"1"');
  });

  test('a partnership titled only in Chinese gets a pinyin id', async () => {
    const { slug: _s, ...noSlug } = partnershipRequest({ title: '绿色就业伙伴关系' });
    const res = await request(stack.app).post('/api/partnerships').set(auth).send(noSlug).expect(201);
    expect(res.body.id).toMatch(/^msp-lu-se-jiu-ye-huo-ban-guan-xi-[0-9a-f]{6}$/);
  });
});
