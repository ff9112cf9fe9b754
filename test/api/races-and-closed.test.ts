import request from 'supertest';
import { itemsOfPhase } from '../../domain/partnership/catalogue';
import { firstWrite, sectionsOfPhase } from '../support/sections';
import { PRINCIPLE_IDS } from '../../domain/partners/principles';
import { APPROVER_1, APPROVER_2, FIRST_MAPPED, eventually, isTaskEmailFor, partnershipRequest, taskLinkOf } from '../support/fixtures';
import { contactFor, isInvitationEmailFor, stakeholderInput } from '../support/partners';
import { startInMonitoring } from '../support/monitoring';
import { startStack, TEST_API_KEY, type Stack } from '../support/stack';

/**
 * Failures people running approval systems have reported, replayed: the loser
 * of a race, a closed request's page, a lost update, a reused slug. Each case
 * is the right behaviour of a whole kind, tried on every link kind or route
 * that shares the mechanism.
 */
let stack: Stack;
const auth = { authorization: `Bearer ${TEST_API_KEY}` };

beforeAll(async () => {
  stack = await startStack('races');
});
afterAll(async () => {
  await stack?.stop();
});

async function atFirstGate(overrides = {}) {
  const created = await request(stack.app).post('/api/partnerships').set(auth).send(partnershipRequest(overrides)).expect(201);
  const id = created.body.id as string;
  await request(stack.app).post(`/api/partnerships/${id}/stakeholders`).set(auth).send(FIRST_MAPPED).expect(201);
  for (const s of sectionsOfPhase('initiating')) await request(stack.app).put(`/api/partnerships/${id}/sections/${s}`).set(auth).send(firstWrite(s)).expect(200);
  for (const item of itemsOfPhase('initiating')) {
    await request(stack.app).post(`/api/partnerships/${id}/checklist/${item.id}/complete`).set(auth).send({ by: 'Mona' }).expect(200);
  }
  const advance = await request(stack.app).post(`/api/partnerships/${id}/advance`).set(auth).send({}).expect(202);
  const taskId = advance.body.task.id as string;
  const mail = await stack.mail.waitFor(isTaskEmailFor(taskId, APPROVER_1.email));
  return { id, taskId, link: new URL(taskLinkOf(mail).url).pathname };
}

describe('the loser of a race is told who won, never "not found"', () => {
  test('the same task link posted twice at once: one decision, the other 409 naming who decided and when', async () => {
    for (let attempt = 0; attempt < 6; attempt++) {
      const { id, link } = await atFirstGate();
      const post = () => request(stack.app).post(link).set('accept', 'application/json').type('form').send({ decision: 'approve', comment: 'x' });
      const answers = await Promise.all([post(), post()]);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
      const loser = answers.find((a) => a.status === 409)!;
      expect(loser.body).toMatchObject({ code: 'refusals:task.alreadyDecided', params: { outcome: { status: 'approved' }, by: 'Ari Approver', at: { at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) } } });
      expect(loser.body.message).toMatch(/already decided: approved by Ari Approver on /);
      const view = await request(stack.app).get(`/api/partnerships/${id}`).set(auth).expect(200);
      expect(view.body.decisions).toHaveLength(1);
    }
  });

  test('two escalated approvers deciding at once: one decision, the other 409', async () => {
    const { taskId, link } = await atFirstGate({ timings: { reminderAfter: '1 hour', escalateAfter: '1s', deadline: '1 day', reviewEvery: '1 day' } });
    const second = await stack.mail.waitFor(isTaskEmailFor(taskId, APPROVER_2.email, ''), 30_000);
    const secondLink = new URL(taskLinkOf(second).url).pathname;
    const answers = await Promise.all([
      request(stack.app).post(link).set('accept', 'application/json').send({ decision: 'approve' }),
      request(stack.app).post(secondLink).set('accept', 'application/json').send({ decision: 'reject', comment: 'not yet' }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    expect(answers.find((a) => a.status === 409)!.body.message).toMatch(/already decided: (approved|rejected) by (Ari Approver|Bea Backup) on /);
  });

  test('the same invitation step answered twice at once: one answer, the other 409 saying the step is done', async () => {
    const created = await request(stack.app).post('/api/partnerships').set(auth).send(partnershipRequest()).expect(201);
    const id = created.body.id as string;
    const s = await request(stack.app).post(`/api/partnerships/${id}/stakeholders`).set(auth).send(stakeholderInput('Youth Network', 'civil-society')).expect(201);
    await request(stack.app).post(`/api/partnerships/${id}/stakeholders/${s.body.id}/invite`).set(auth).send({}).expect(202);
    const mail = await stack.mail.waitFor(isInvitationEmailFor(contactFor('Youth Network').email));
    const link = new URL(/(https?:\/\/\S+\/invitations\/\S+)/.exec(mail.text)![1]).pathname;
    const answers = await Promise.all(
      [0, 1].map(() => request(stack.app).post(link).set('accept', 'application/json').send({ step: 'respond', answer: 'accept' })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    expect(answers.find((a) => a.status === 409)!.body).toMatchObject({ code: 'refusals:invitation.stepAnswered', details: { step: 'respond', now: 'due-diligence' } });
    const dd = { step: 'due-diligence', principles: [...PRINCIPLE_IDS], conflictsOfInterest: 'none' };
    await request(stack.app).post(link).set('accept', 'application/json').send(dd).expect(200);
  });
});

describe('the loser of a double submission hears "already answered", never a deadline or "closed" (issue 21)', () => {
  const linkIn = (text: string, kind: string) => new URL(new RegExp(`(https?://\\S+/${kind}/\\S+)`).exec(text)![1]).pathname;
  /** The task id a link's token names (read, not verified). */
  const taskIdOf = (path: string) => (JSON.parse(Buffer.from(path.split('/').pop()!.split('.')[0], 'base64url').toString('utf8')) as { t: string }).t;

  test('a decline sent twice at once: one answer, the other 409 saying the step was answered (not that the onboarding "ended")', async () => {
    const created = await request(stack.app).post('/api/partnerships').set(auth).send(partnershipRequest()).expect(201);
    const id = created.body.id as string;
    const s = await request(stack.app).post(`/api/partnerships/${id}/stakeholders`).set(auth).send(stakeholderInput('Employers Federation', 'employers-organisation')).expect(201);
    await request(stack.app).post(`/api/partnerships/${id}/stakeholders/${s.body.id}/invite`).set(auth).send({}).expect(202);
    const link = linkIn((await stack.mail.waitFor(isInvitationEmailFor(contactFor('Employers Federation').email))).text, 'invitations');
    const answers = await Promise.all(
      [0, 1].map(() => request(stack.app).post(link).set('accept', 'application/json').send({ step: 'respond', answer: 'decline', reason: 'no capacity this year' })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    expect(answers.find((a) => a.status === 409)!.body.message).toMatch(/This step was already answered on /);
  });

  test('review answers sent twice at once, the first closing the collection: the other 409 "already recorded", not 410 "answers were due by"', async () => {
    for (let attempt = 0; attempt < 4; attempt++) {
      const id = await startInMonitoring(stack, { active: [['Ministry of Labour', 'government']] });
      const review = (await request(stack.app).post(`/api/partnerships/${id}/reviews`).set(auth).send({}).expect(202)).body.review;
      const mail = await stack.mail.waitFor((m) => m.to.includes(contactFor('Ministry of Labour').email) && m.text.includes('/reviews/') && taskIdOf(linkIn(m.text, 'reviews')) === review.id);
      const link = linkIn(mail.text, 'reviews');
      const answer = { treatedFairly: 4, importantIssuesDiscussed: 5, learning: 'x', feedbackOnOrganisation: 'y', values: {} };
      const answers = await Promise.all([0, 1].map(() => request(stack.app).post(link).set('accept', 'application/json').send(answer)));
      expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
      expect(answers.find((a) => a.status === 409)!.body.message).toMatch(/already recorded/);
      // And once more after the review has moved on to its report (an hour before its deadline): still "already recorded".
      await eventually(async () => (await stack.env.client.workflow.getHandle(review.id).query<{ step: string }>('reviewState')).step !== 'collecting');
      const late = await request(stack.app).post(link).set('accept', 'application/json').send(answer);
      expect([late.status, late.body.message]).toEqual([409, expect.stringMatching(/already recorded/)]);
    }
  });
});

describe('a closed request says so on its page, for every link kind', () => {
  test('terminate a partnership with its gate open: the approver page says the request is closed and why, with no form', async () => {
    const { id, link } = await atFirstGate();
    await stack.env.client.workflow.getHandle(id).terminate('duplicate partnership');
    const page = await eventually(async () => {
      const r = await request(stack.app).get(link);
      return !r.text.includes('name="decision"') && r;
    });
    expect(page.status).toBe(410);
    expect(page.text).toMatch(/closed/i);
    expect(page.text).not.toMatch(/<form/);
    const json = await request(stack.app).get(link).set('accept', 'application/json');
    expect(json.status).toBe(410);
    expect(json.body.message).toMatch(/closed/);
  });

  test('terminate an onboarding: the invitation page says it is closed, with no form', async () => {
    const created = await request(stack.app).post('/api/partnerships').set(auth).send(partnershipRequest()).expect(201);
    const id = created.body.id as string;
    const s = await request(stack.app).post(`/api/partnerships/${id}/stakeholders`).set(auth).send(stakeholderInput('Workers Union', 'workers-organisation')).expect(201);
    await request(stack.app).post(`/api/partnerships/${id}/stakeholders/${s.body.id}/invite`).set(auth).send({}).expect(202);
    const mail = await stack.mail.waitFor(isInvitationEmailFor(contactFor('Workers Union').email));
    const link = new URL(/(https?:\/\/\S+\/invitations\/\S+)/.exec(mail.text)![1]).pathname;
    const onboardingId = (await request(stack.app).get(`/api/partnerships/${id}`).set(auth)).body.stakeholders[0].onboardingId as string;
    await stack.env.client.workflow.getHandle(onboardingId).terminate('operator closed the invitation');
    const page = await request(stack.app).get(link);
    expect(page.status).toBe(410);
    expect(page.text).toMatch(/closed/i);
    expect(page.text).not.toMatch(/<form/);
  });
});

describe('lost updates', () => {
  test('a replace of the resource strategy from a stale copy is refused with 409 and the current version', async () => {
    const created = await request(stack.app).post('/api/partnerships').set(auth).send(partnershipRequest()).expect(201);
    const id = created.body.id as string;
    await request(stack.app).post(`/api/partnerships/${id}/stakeholders`).set(auth).send(stakeholderInput('Youth Network', 'civil-society')).expect(201);
    const loaded = await request(stack.app).get(`/api/partnerships/${id}/resource-strategy`).set(auth).expect(200);
    const etag = loaded.headers.etag as string;
    expect(etag).toMatch(/^"\d+"$/);
    const { version: _v, ...strategy } = loaded.body;
    const a = { ...strategy, pledges: [{ type: 'financial', partnerId: 'youth-network', amount: '1000', currency: 'USD' }] };
    const b = { ...strategy, ownSources: [{ source: 'RBSA', amount: '5000', currency: 'USD' }] };
    const first = await request(stack.app).put(`/api/partnerships/${id}/resource-strategy`).set(auth).set('if-match', etag).send(a);
    expect(first.status).toBe(200);
    const stale = await request(stack.app).put(`/api/partnerships/${id}/resource-strategy`).set(auth).set('if-match', etag).send(b);
    expect(stale.status).toBe(409);
    expect(stale.body.message).toMatch(/changed since you loaded it/);
    expect(stale.body.details).toMatchObject({ currentVersion: first.body.version });
    const now = await request(stack.app).get(`/api/partnerships/${id}/resource-strategy`).set(auth).expect(200);
    expect(now.body.pledges).toHaveLength(1);
    expect(now.headers.etag).toBe(`"${first.body.version}"`);
  });
});

describe('ids are unique for each life of what they name', () => {
  test('a slug whose partnership closed cannot be reused: 409 saying so', async () => {
    const created = await request(stack.app).post('/api/partnerships').set(auth).send(partnershipRequest()).expect(201);
    await stack.env.client.workflow.getHandle(created.body.id).terminate('closed for the test');
    const again = await request(stack.app).post('/api/partnerships').set(auth).send(partnershipRequest({ slug: created.body.id.slice(4) }));
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/was used by a partnership before.*choose another slug/);
  });
});
