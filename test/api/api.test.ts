import request from 'supertest';
import { createTaskToken } from '../../infra/task-token';
import { APPROVER_1, APPROVER_2, eventually, isTaskEmailFor, partnershipRequest, taskLinkOf } from '../support/fixtures';
import { startStack, TEST_API_KEY, TEST_SECRET, type Stack } from '../support/stack';
import { itemsOfPhase } from '../../domain/partnership/catalogue';
import { firstWrite, sectionsOfPhase } from '../support/sections';
import { contactFor, isInvitationEmailFor, onboardPartner, stakeholderInput } from '../support/partners';
import { PartnershipService } from '../../api/partnership-service';

let stack: Stack;
const auth = { authorization: `Bearer ${TEST_API_KEY}` };

beforeAll(async () => {
  stack = await startStack('api');
});
afterAll(async () => {
  await stack?.stop();
});

async function createPartnership(overrides = {}) {
  const res = await request(stack.app).post('/api/partnerships').set(auth).send(partnershipRequest(overrides));
  expect(res.status).toBe(201);
  return res.body as { id: string; [field: string]: unknown };
}

async function completeInitiating(id: string) {
  await request(stack.app).post(`/api/partnerships/${id}/stakeholders`).set(auth).send(stakeholderInput('Ministry of Labour', 'government')).expect(201);
  for (const s of sectionsOfPhase('initiating')) await request(stack.app).put(`/api/partnerships/${id}/sections/${s}`).set(auth).send(firstWrite(s)).expect(200);
  for (const item of itemsOfPhase('initiating')) {
    await request(stack.app).post(`/api/partnerships/${id}/checklist/${item.id}/complete`).set(auth).send({ by: 'Mona' }).expect(200);
  }
}

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
    const p = await createPartnership();
    const again = await request(stack.app).post('/api/partnerships').set(auth).send(partnershipRequest({ slug: p.id.slice(4) }));
    expect(again.status).toBe(409);
  });
});

describe('partnerships', () => {
  test('start, read, list with a phase filter', async () => {
    const p = await createPartnership();
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
    for (let i = 0; i < 5; i++) await createPartnership({ manager });
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
    const p = await createPartnership();
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
    expect(early.body.message).toMatch(/cannot be completed yet: map at least one stakeholder/);
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
    const p = await createPartnership();
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
    const p = await createPartnership({ manager: { name: "Siobhán O'Brien", email: "o'brien@example.org" } });
    const byManager = await eventually(async () => {
      const r = await request(stack.app).get(`/api/partnerships?manager=${encodeURIComponent("o'brien@example.org")}`).set(auth);
      return r.status === 200 && r.body.total === 1 && r.body;
    });
    expect(byManager.partnerships[0]).toMatchObject({ id: p.id, manager: "o'brien@example.org" });
    const none = await request(stack.app).get(`/api/partnerships?manager=${encodeURIComponent("x' OR 'a'='a@example.org")}`).set(auth);
    expect(none.status).toBe(400);
  });
});

describe('stakeholders', () => {
  const LONG_A = 'Ministère du Travail, de l’Emploi et de la Formation professionnelle — Direction générale du travail';
  const LONG_B = 'Ministère du Travail, de l’Emploi et de la Formation professionnelle — Direction de la sécurité sociale';
  const map = (id: string, body: object) => request(stack.app).post(`/api/partnerships/${id}/stakeholders`).set(auth).send(body);

  test('names in any script: long names sharing 60 characters stay two organisations; repeats and explicit ids update', async () => {
    const p = await createPartnership();
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
    const p = await createPartnership();
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
    expect((await request(stack.app).get(`/api/partnerships/${p.id}/stakeholders/nobody`).set(auth)).body.message).toBe(`no stakeholder "nobody" on partnership "${p.id}"`);
  });

  test('the resource strategy and the fiduciary rule need the version too; the fiduciary rule has a GET with an ETag', async () => {
    const p = await createPartnership();
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

describe('task links', () => {
  test('GET shows the form and changes nothing; POST decides once; other links are refused', async () => {
    const p = await createPartnership();
    await completeInitiating(p.id);
    const adv = await request(stack.app).post(`/api/partnerships/${p.id}/advance`).set(auth).send({ by: 'Mona' }).expect(202);
    const taskId = adv.body.task.id as string;
    const mail = await stack.mail.waitFor(isTaskEmailFor(taskId, APPROVER_1.email));
    const { token } = taskLinkOf(mail);

    for (let i = 0; i < 3; i++) {
      const page = await request(stack.app).get(`/tasks/${token}`).expect(200);
      expect(page.text).toContain('<form method="post">');
    }
    const still = await request(stack.app).get(`/api/partnerships/${p.id}`).set(auth);
    expect(still.body).toMatchObject({ phase: 'initiating', status: 'awaiting-approval' });

    const forged = await request(stack.app).get(`/tasks/${token.slice(0, -2)}xx`);
    expect(forged.status).toBe(403);
    expect(forged.text).toContain('signature does not match');
    const notAssigned = createTaskToken(TEST_SECRET, { taskId, email: APPROVER_2.email, exp: Date.now() + 60_000 });
    expect((await request(stack.app).get(`/tasks/${notAssigned}`)).status).toBe(403);
    expect((await request(stack.app).post(`/tasks/${notAssigned}`).type('form').send({ decision: 'approve' })).status).toBe(403);
    const expired = createTaskToken(TEST_SECRET, { taskId, email: APPROVER_1.email, exp: Date.now() - 1000 });
    expect((await request(stack.app).get(`/tasks/${expired}`)).status).toBe(410);
    const noComment = await request(stack.app).post(`/tasks/${token}`).type('form').send({ decision: 'reject' });
    expect(noComment.status).toBe(400);
    expect(noComment.text).toContain('a rejection needs a comment');

    const ok = await request(stack.app).post(`/tasks/${token}`).type('form').send({ decision: 'approve', comment: 'Fine <b>by</b> me' });
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('your decision is recorded');
    const twice = await request(stack.app).post(`/tasks/${token}`).type('form').send({ decision: 'approve' });
    expect(twice.status).toBe(409);
    expect(twice.text).toMatch(/already decided: approved by Ari Approver/);
    const after = await request(stack.app).get(`/tasks/${token}`).expect(200);
    expect(after.text).toContain('Fine &lt;b&gt;by&lt;/b&gt; me');

    const moved = await eventually(async () => {
      const res = await request(stack.app).get(`/api/partnerships/${p.id}`).set(auth);
      return res.body.phase === 'adaptive-planning' && res.body.documents.length === 1 && res.body;
    });
    const doc = await request(stack.app).get(new URL(moved.documents[0].url).pathname).set(auth).expect(200);
    expect(doc.headers['content-type']).toBe('application/pdf');
    const html = await request(stack.app).get(`${new URL(moved.documents[0].url).pathname}?format=html`).set(auth).expect(200);
    expect(html.text).toContain('MSP process design');
  });
});

describe('invitation links', () => {
  test('GET changes nothing; a token for another contact, kind or step is refused', async () => {
    const p = await createPartnership();
    await request(stack.app).post(`/api/partnerships/${p.id}/stakeholders`).set(auth).send(stakeholderInput('Ministry of Youth', 'government')).expect(201);
    await request(stack.app).post(`/api/partnerships/${p.id}/stakeholders/ministry-of-youth/invite`).set(auth).send({}).expect(202);
    const contact = contactFor('Ministry of Youth');
    const mail = await stack.mail.waitFor(isInvitationEmailFor(contact.email, 'invitation'));
    const token = /\/invitations\/([A-Za-z0-9_.-]+)/.exec(mail.text)![1];
    const onboardingId = `${p.id}.partner.ministry-of-youth`;

    for (let i = 0; i < 2; i++) expect((await request(stack.app).get(`/invitations/${token}`)).text).toContain('Accept');
    const read = await request(stack.app).get(`/api/partnerships/${p.id}`).set(auth);
    expect(read.body.stakeholders[0].status).toBe('invited');

    const otherContact = createTaskToken(TEST_SECRET, { taskId: onboardingId, email: 'someone@else.org', exp: Date.now() + 60_000, kind: 'onboarding' });
    expect((await request(stack.app).get(`/invitations/${otherContact}`)).status).toBe(403);
    const approvalKind = createTaskToken(TEST_SECRET, { taskId: onboardingId, email: contact.email, exp: Date.now() + 60_000 });
    const wrongKind = await request(stack.app).post(`/invitations/${approvalKind}`).type('form').send({ step: 'respond', answer: 'accept' });
    expect(wrongKind.status).toBe(403);
    expect(wrongKind.text).toContain('another kind of request');
    const onTasks = await request(stack.app).get(`/tasks/${token}`);
    expect(onTasks.status).toBe(403);
    const wrongStep = await request(stack.app).post(`/invitations/${token}`).type('form').send({ step: 'signature', signatory: 'x' });
    expect(wrongStep.status).toBe(409);
    const noReason = await request(stack.app).post(`/invitations/${token}`).type('form').send({ step: 'respond', answer: 'decline' });
    expect(noReason.status).toBe(400);
    const accepted = await request(stack.app).post(`/invitations/${token}`).type('form').send({ step: 'respond', answer: 'accept' });
    expect(accepted.status).toBe(303);
    expect((await request(stack.app).get(`/invitations/${token}`)).text).toContain('Due diligence');
  });
});

describe('link pages answer JSON to tools', () => {
  const asJson = (path: string) => request(stack.app).get(path).set('accept', 'application/json');

  test('a task link: the request while open, the decision once decided', async () => {
    const p = await createPartnership();
    await completeInitiating(p.id);
    const taskId = (await request(stack.app).post(`/api/partnerships/${p.id}/advance`).set(auth).send({ by: 'Mona' }).expect(202)).body.task.id as string;
    const { token } = taskLinkOf(await stack.mail.waitFor(isTaskEmailFor(taskId, APPROVER_1.email)));
    const open = await asJson(`/tasks/${token}`).expect(200);
    expect(open.headers['content-type']).toMatch(/^application\/json/);
    expect(open.body).toMatchObject({ taskId, status: 'open', open: true, for: APPROVER_1.name, partnershipId: p.id, summary: expect.any(String) });
    await request(stack.app).post(`/tasks/${token}`).send({ decision: 'approve' }).expect(200);
    const decided = await asJson(`/tasks/${token}`).expect(200);
    expect(decided.body).toMatchObject({ status: 'decided', open: false, decision: { outcome: 'approved', by: APPROVER_1.name } });
    // Browsers still get the page.
    expect((await request(stack.app).get(`/tasks/${token}`).set('accept', 'text/html')).headers['content-type']).toMatch(/^text\/html/);
  });

  test('an invitation link and a review link', async () => {
    const p = await createPartnership();
    const service = new PartnershipService(stack.env.client, stack.taskQueue, { registry: stack.store });
    await onboardPartner(stack.mail, service, p.id, 'Youth Network', 'civil-society');
    const contact = contactFor('Youth Network');
    const invitation = await stack.mail.waitFor(isInvitationEmailFor(contact.email, 'invitation'));
    const invitationToken = /\/invitations\/([A-Za-z0-9_.-]+)/.exec(invitation.text)![1];
    const onboarding = await asJson(`/invitations/${invitationToken}`).expect(200);
    expect(onboarding.body).toMatchObject({ onboardingId: `${p.id}.partner.youth-network`, step: 'active', open: false, organisation: 'Youth Network' });

    await request(stack.app).post(`/api/partnerships/${p.id}/reviews`).set(auth).send({ by: 'Mona' }).expect(202);
    const reviewMail = await stack.mail.waitFor((m) => m.to.includes(contact.email) && /\/reviews\//.test(m.text));
    const reviewToken = /\/reviews\/([A-Za-z0-9_.-]+)/.exec(reviewMail.text)![1];
    const review = await asJson(`/reviews/${reviewToken}`).expect(200);
    expect(review.body).toMatchObject({ reviewId: `${p.id}.review-1`, number: 1, status: 'open', open: true, organisation: 'Youth Network', indicators: [] });
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
