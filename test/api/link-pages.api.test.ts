import request from 'supertest';
import { createTaskToken } from '../../infra/task-token';
import { createServices } from '../../api/services';
import { auth, completeInitiating, createPartnership } from '../support/api-requests';
import { APPROVER_1, APPROVER_2, eventually, isTaskEmailFor, taskLinkOf } from '../support/fixtures';
import { contactFor, isInvitationEmailFor, onboardPartner, stakeholderInput } from '../support/partners';
import { startStack, TEST_SECRET, type Stack } from '../support/stack';

/**
 * The pages behind emailed links, as the API serves them: a task link's GET
 * changes nothing and its POST decides once; forged, another approver's,
 * expired and other kinds of tokens are refused; an invitation link's steps in
 * order; and each link kind answering JSON to tools that ask for it.
 */
let stack: Stack;

beforeAll(async () => {
  stack = await startStack('api-link-pages');
});
afterAll(async () => {
  await stack?.stop();
});

describe('task links', () => {
  test('GET shows the form and changes nothing; POST decides once; other links are refused', async () => {
    const p = await createPartnership(stack);
    await completeInitiating(stack, p.id);
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
    expect(forged.text).toContain('This link is not valid: it was changed or did not come from us');
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
    const p = await createPartnership(stack);
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
    const p = await createPartnership(stack);
    await completeInitiating(stack, p.id);
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
    const p = await createPartnership(stack);
    const service = createServices(stack.env.client, stack.taskQueue, { registry: stack.store });
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
