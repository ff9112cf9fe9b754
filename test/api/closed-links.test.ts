import request from 'supertest';
import { PRINCIPLE_IDS } from '../../domain/partners/principles';
import { createTaskToken } from '../../infra/task-token';
import { say } from '../../infra/i18n/said';
import type { Text } from '../../domain/said';
import { APPROVER_1, FAST_TIMINGS, eventually } from '../support/fixtures';
import { startInMonitoring } from '../support/monitoring';
import { contactFor } from '../support/partners';
import { startStack, TEST_API_KEY, TEST_SECRET, type Stack } from '../support/stack';

/**
 * Issue 21: every emailed link closes with what it belongs to. A partnership
 * in reflective monitoring with work open behind each kind of link — an
 * invitation at its first step, an onboarding at internal approval (its
 * approval task and the approver's inbox), a review form — then ended three
 * ways: an approved exit, an operator's termination, deadlines. Each link then
 * shows no form, refuses a submission with a clear status and text, and the
 * workflows' own state proves nothing moved.
 */
let stack: Stack;
const auth = { authorization: `Bearer ${TEST_API_KEY}` };
const json = { accept: 'application/json' };

beforeAll(async () => {
  stack = await startStack('closed-links');
});
afterAll(async () => {
  await stack?.stop();
});

const MINISTRY = 'Ministry of Labour';
const YOUTH = 'Youth Network';
const UNION = 'Workers Union';
const pathOf = (url: string) => new URL(url).pathname;
const linkIn = (text: string, kind: string) => pathOf(new RegExp(`(https?://\\S+/${kind}/\\S+)`).exec(text)![1]);
/** The claims a link's token carries (read, not verified). */
const claimsOf = (path: string) => JSON.parse(Buffer.from(path.split('/').pop()!.split('.')[0], 'base64url').toString('utf8')) as { t: string };
/** The `kind` link emailed to `email` about work of partnership `id` (every test uses the same contacts). */
async function linkFor(id: string, kind: 'invitations' | 'reviews' | 'tasks', email: string, taskPrefix = id): Promise<string> {
  const mail = await stack.mail.waitFor((m) => m.to.includes(email) && new RegExp(`/${kind}/`).test(m.text) && [taskPrefix, `${taskPrefix}.`].some((p) => claimsOf(linkIn(m.text, kind)).t.startsWith(p)));
  return linkIn(mail.text, kind);
}

/**
 * A partnership in reflective monitoring (its checklist done), the Ministry an
 * active partner, with open through the API: Youth Network's invitation,
 * Workers Union's onboarding up to internal approval, and a review.
 */
async function partnershipWithOpenWork(timings = FAST_TIMINGS) {
  const id = await startInMonitoring(stack, { active: [[MINISTRY, 'government']], mapped: [[YOUTH, 'civil-society'], [UNION, 'workers-organisation']] }, timings);
  await request(stack.app).post(`/api/partnerships/${id}/stakeholders/youth-network/invite`).set(auth).send({}).expect(202);
  await request(stack.app).post(`/api/partnerships/${id}/stakeholders/workers-union/invite`).set(auth).send({}).expect(202);
  const invitation = await linkFor(id, 'invitations', contactFor(YOUTH).email);
  const atApproval = await linkFor(id, 'invitations', contactFor(UNION).email);
  await request(stack.app).post(atApproval).set(json).send({ step: 'respond', answer: 'accept' }).expect(200);
  await request(stack.app).post(atApproval).set(json).send({ step: 'due-diligence', principles: [...PRINCIPLE_IDS], conflictsOfInterest: 'none' }).expect(200);
  const view = (await request(stack.app).get(`/api/partnerships/${id}`).set(auth)).body;
  const onboardingOf = (sid: string) => view.stakeholders.find((s: { id: string }) => s.id === sid).onboardingId as string;
  const approval = await linkFor(id, 'tasks', APPROVER_1.email, onboardingOf('workers-union'));
  const review = (await request(stack.app).post(`/api/partnerships/${id}/reviews`).set(auth).send({}).expect(202)).body.review;
  const reviewLink = await linkFor(id, 'reviews', contactFor(MINISTRY).email);
  const inbox = `/approvals/${createTaskToken(TEST_SECRET, { taskId: 'partner-approval', email: APPROVER_1.email, exp: Date.now() + 86_400_000, kind: 'inbox' })}`;
  const approvalTaskId = claimsOf(approval).t;
  // Visibility lists the approval task once it has written its search attributes.
  await eventually(async () => (await request(stack.app).get(inbox).set(json)).body.tasks?.some((t: { taskId: string }) => t.taskId === approvalTaskId));
  return {
    id,
    links: { invitation, atApproval, approval, review: reviewLink, inbox },
    ids: { youth: onboardingOf('youth-network'), union: onboardingOf('workers-union'), approvalTaskId, reviewId: review.id as string },
  };
}

type Open = Awaited<ReturnType<typeof partnershipWithOpenWork>>;

const query = {
  onboarding: (id: string) => stack.env.client.workflow.getHandle(id).query<{ step: string; events: Array<{ step: string }> }>('onboardingState'),
  review: (id: string) => stack.env.client.workflow.getHandle(id).query<{ step: string; answers: Record<string, unknown> }>('reviewState'),
  approval: (id: string) => stack.env.client.workflow.getHandle(id).query<{ decision?: { by: unknown } }>('approvalState'),
};

/** GET as a browser and as a tool: `status`, no form, and the page's words. */
async function expectNoForm(path: string, status: number, text: RegExp) {
  const page = await request(stack.app).get(path);
  expect({ path, status: page.status }).toEqual({ path, status });
  expect(page.text).not.toMatch(/<form/);
  expect(page.text).toMatch(text);
  return page;
}

/** POST as a tool (JSON) and as a browser (form): refused with `status`, `error` code and words. */
async function expectRefused(path: string, body: Record<string, unknown>, status: number, message: RegExp, error?: string) {
  const tool = await request(stack.app).post(path).set(json).send(body);
  expect({ path, status: tool.status, message: tool.body.message }).toEqual({ path, status, message: expect.stringMatching(message) });
  if (error) expect(tool.body.error).toBe(error);
  const browser = await request(stack.app).post(path).type('form').send(body);
  expect(browser.status).toBe(status);
  expect(browser.text).toMatch(message);
  expect(browser.text).not.toMatch(/<form/);
}

const accept = { step: 'respond', answer: 'accept' };
const signature = { step: 'signature', signatory: 'Director' };
const reviewAnswer = { treatedFairly: '4', importantIssuesDiscussed: '4', learning: 'x', feedbackOnOrganisation: 'y' };

/**
 * One test per link kind, each proving no form on GET, a refused POST (status,
 * code, words) and, from the workflow's own state, that nothing moved.
 */
function everyLinkKindIsClosed(ending: () => Open, closedText: RegExp, code: string, inboxText = closedText) {
  test('the invitation (first step)', async () => {
    const { links, ids } = ending();
    await expectNoForm(links.invitation, 410, closedText);
    await expectRefused(links.invitation, accept, 410, closedText, code);
    expect((await query.onboarding(ids.youth)).events.map((e) => e.step)).not.toContain('due-diligence');
  });

  test('the invitation at internal approval (its signature step never opens)', async () => {
    const { links, ids } = ending();
    await expectNoForm(links.atApproval, 410, closedText);
    await expectRefused(links.atApproval, signature, 410, closedText, code);
    expect((await query.onboarding(ids.union)).events.map((e) => e.step)).not.toContain('signature');
  });

  test('the approval task', async () => {
    const { links, ids } = ending();
    await expectNoForm(links.approval, 410, closedText);
    await expectRefused(links.approval, { decision: 'approve' }, 410, closedText, code);
    // No approver decided (past its deadline, the task decided itself: rejected, by nobody).
    expect((await query.approval(ids.approvalTaskId)).decision?.by ?? null).toBeNull();
  });

  test("the approver's inbox page", async () => {
    const { links, ids } = ending();
    const inbox = await request(stack.app).get(links.inbox).set(json).expect(200);
    expect(inbox.body.tasks.map((t: { taskId: string }) => t.taskId)).not.toContain(ids.approvalTaskId);
    const page = await request(stack.app).get(links.inbox).expect(200);
    expect(page.text).not.toContain(ids.approvalTaskId);
    const decided = await request(stack.app).post(links.inbox).set(json).send({ decisions: [{ taskId: ids.approvalTaskId, decision: 'approve' }] }).expect(200);
    expect(decided.body.results).toEqual([expect.objectContaining({ taskId: ids.approvalTaskId, status: 'refused', refusal: expect.objectContaining({ message: expect.stringMatching(inboxText) }) })]);
    expect((await query.approval(ids.approvalTaskId)).decision?.by ?? null).toBeNull();
  });

  test('the review form', async () => {
    const { links, ids } = ending();
    await expectNoForm(links.review, 410, closedText);
    await expectRefused(links.review, reviewAnswer, 410, closedText, code);
    expect((await query.review(ids.reviewId)).answers).toEqual({});
  });
}

describe('after an approved exit', () => {
  let open: Open;
  let gateLink: string;
  beforeAll(async () => {
    open = await partnershipWithOpenWork();
    const gate = (await request(stack.app).post(`/api/partnerships/${open.id}/decision`).set(auth).send({ decision: 'exit' }).expect(202)).body.task.id as string;
    gateLink = await linkFor(open.id, 'tasks', APPROVER_1.email, gate);
    const exit = await request(stack.app).post(gateLink).set(json).send({ decision: 'approve' }).expect(200);
    expect(exit.body.phase).toBeNull();
  });

  everyLinkKindIsClosed(() => open, /its partnership closed on/, 'closed');

  test("the exit gate's own link still says who decided: already decided comes before closed", async () => {
    await expectRefused(gateLink, { decision: 'approve' }, 409, /already decided: approved by Ari Approver/);
  });

  test('the partnership tells its open work, which refuses a direct Update too and records why', async () => {
    const { ids } = open;
    await eventually(async () => (await query.onboarding(ids.youth)).step === 'withdrawn');
    await eventually(async () => (await query.onboarding(ids.union)).step === 'withdrawn');
    await eventually(async () => (await query.review(ids.reviewId)).step === 'closed');
    await eventually(async () => (await stack.env.client.workflow.getHandle(ids.approvalTaskId).describe()).status.name === 'CANCELLED');
    const direct = await stack.env.client.workflow
      .getHandle(ids.reviewId)
      .executeUpdate('reviewAnswer', { args: [{ email: contactFor(MINISTRY).email, values: {}, treatedFairly: 4, importantIssuesDiscussed: 4, feedbackOnOrganisation: '', learning: '' }] })
      .then(() => 'accepted', (err: unknown) => String((err as { cause?: unknown }).cause ?? err));
    expect(direct).toMatch(/refusals:review.closedWithPartnership|completed/);
    expect((await query.review(ids.reviewId)).answers).toEqual({});
    const youth = await query.onboarding(ids.youth);
    expect(youth.events.map((e) => e.step)).toEqual(['respond', 'withdrawn']);
    // Why, as a code the invitation page and the contact's email say in the reader's language.
    expect(say('en', (youth as unknown as { reason: Text }).reason)).toMatch(/^the partnership closed \(exit decided by Ari Approver/);
  });
});

describe('after an operator terminates the partnership', () => {
  let open: Open;
  beforeAll(async () => {
    open = await partnershipWithOpenWork();
    await stack.env.client.workflow.getHandle(open.id).terminate('duplicate partnership');
  });

  // How and when, never the reason the operator typed (it is internal).
  everyLinkKindIsClosed(() => open, /its partnership was ended by an operator on (?!.*duplicate)/, 'closed');

  test('its work still waits (a terminated partnership tells nobody), but no link moved it on', async () => {
    expect((await query.onboarding(open.ids.youth)).step).toBe('respond');
    expect((await query.onboarding(open.ids.union)).step).toBe('approval');
    expect((await query.review(open.ids.reviewId)).step).toBe('collecting');
  });
});

describe('after the deadlines pass', () => {
  let open: Open;
  beforeAll(async () => {
    open = await partnershipWithOpenWork({ reminderAfter: '5s', escalateAfter: '6s', deadline: '8s', reviewEvery: '1 day' });
    const { ids } = open;
    // Each waiting step ends at its deadline: the invitation expires, the approval is rejected by the deadline, the review closes.
    await eventually(async () => (await query.onboarding(ids.youth)).step === 'expired', 30_000);
    await eventually(async () => (await query.onboarding(ids.union)).step === 'rejected', 30_000);
    await eventually(async () => (await query.review(ids.reviewId)).step !== 'collecting', 30_000);
  });

  // Each link expires with what it asks for: refused before anything is read, in the reader's words, with no form.
  // The inbox (a link of its own, still valid) says the task was decided by its deadline.
  everyLinkKindIsClosed(() => open, /This link expired on/, 'expired', /already decided when its deadline passed: rejected/);

  test('the onboardings ended by their deadlines, not by an answer', async () => {
    expect((await query.onboarding(open.ids.youth)).events.map((e) => e.step)).toEqual(['respond', 'expired']);
    expect((await query.onboarding(open.ids.union)).events.map((e) => e.step)).toEqual(['respond', 'due-diligence', 'approval', 'rejected']);
  });
});
