import { PRINCIPLE_IDS } from '../../domain/partners/principles';
import { approverDigestWorkflowId } from '../../domain/names';
import { createTaskToken } from '../../infra/task-token';
import type { CapturedMail } from '../../infra/mail-sink';
import { APPROVER_1, eventually, partnershipInput } from '../support/fixtures';
import { contactFor, stakeholderInput } from '../support/partners';
import { TEST_API_KEY, TEST_SECRET, useStack } from '../support/stack';
import type { StakeholderGroup } from '../../domain/partners/stakeholders';
import { digestStateQuery } from '../../workflows/human-tasks/messages';

const WINDOW_MS = 8000;
const ctx = useStack('approver-digest', [], { digest: { after: 2, windowMs: WINDOW_MS } });

const PARTNERS: Array<[string, StakeholderGroup]> = [
  ['Ministry of Labour and Employment', 'government'],
  ["Workers' Confederation of Côte d'Ivoire", 'workers-organisation'],
  ['Youth Employment Network', 'civil-society'],
  ['Green Builders Ltd', 'private-sector'],
  ['UNDP Country Office', 'un-multilateral'],
  ['Federation of Employers', 'employers-organisation'],
];

/** Brings one partner's onboarding to its internal approval (invitation accepted, due diligence answered). */
async function toApproval(partnershipId: string, organisation: string, group: StakeholderGroup, conflicts = 'none'): Promise<string> {
  const s = await ctx.service.partners.upsertStakeholder(partnershipId, stakeholderInput(organisation, group));
  await ctx.service.partners.invitePartner(partnershipId, s.id, {});
  const onboardingId = `${partnershipId}.partner.${s.id}`;
  const contact = contactFor(organisation);
  await ctx.service.partners.answerOnboarding(onboardingId, contact.email, { step: 'respond', answer: 'accept' });
  await ctx.service.partners.answerOnboarding(onboardingId, contact.email, { step: 'due-diligence', principles: [...PRINCIPLE_IDS], conflictsOfInterest: conflicts });
  return onboardingId;
}

const isTaskEmail = (email: string) => (m: CapturedMail) => m.to.includes(email) && m.subject.startsWith('Decision needed');
const isDigest = (email: string) => (m: CapturedMail) => m.to.includes(email) && /decisions? waiting for you/.test(m.subject);

function inboxLinkOf(m: CapturedMail): string {
  const match = /(https?:\/\/\S+\/approvals\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(m.text);
  if (!match) throw new Error('no inbox link in this email');
  return match[1];
}

async function post(url: string, form: Record<string, string>): Promise<{ status: number; html: string }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, body: new URLSearchParams(form) });
  return { status: res.status, html: await res.text() };
}

test('six partner approvals: two emails, one digest of four, one page to decide them, each decision recorded once', async () => {
  const p = await ctx.service.partnership.start(partnershipInput());
  const onboardings = await Promise.all(PARTNERS.map(([org, group], i) => toApproval(p.id, org, group, i === 1 ? 'Board member sits on the ministry panel' : 'none')));

  const digest = await ctx.stack.mail.waitFor(isDigest(APPROVER_1.email), WINDOW_MS + 30_000);
  const individual = ctx.stack.mail.messages.filter(isTaskEmail(APPROVER_1.email));
  expect(individual).toHaveLength(2);
  expect(digest.text.split('\n').filter((l) => l.startsWith('- '))).toHaveLength(4);
  expect(digest.subject).toBe('4 decisions waiting for you');
  // The digest workflow closed its window and continued as new, carrying nothing pending.
  expect(approverDigestWorkflowId(APPROVER_1.email)).toBe('digest.ari@example.org');
  await eventually(async () => {
    const runs = [];
    for await (const wf of ctx.stack.env.client.workflow.list({ query: `WorkflowId = 'digest.ari@example.org'` })) runs.push(wf.status.name);
    return runs.includes('CONTINUED_AS_NEW') && runs.includes('RUNNING');
  });
  const carried = await ctx.stack.env.client.workflow.getHandle('digest.ari@example.org').query(digestStateQuery);
  expect(carried).toMatchObject({ pending: [], sentInWindow: 0, digestsSent: 1 });
  expect(Object.keys(carried.digested)).toHaveLength(4);

  // The inbox link lists all six open approvals, with their due diligence.
  const inbox = inboxLinkOf(digest);
  const page = await eventually(async () => {
    const html = await (await fetch(inbox, { headers: { accept: 'text/html' } })).text();
    return (html.match(/<fieldset/g) ?? []).length === 6 && html;
  });
  for (const [org] of PARTNERS) expect(page).toContain(org.replace(/'/g, '&#39;'));
  expect(page).toContain('Board member sits on the ministry panel');
  expect(page).toContain(`${PRINCIPLE_IDS.length} of ${PRINCIPLE_IDS.length}`);
  const listed = (await (await fetch(inbox, { headers: { accept: 'application/json' } })).json()) as { tasks: Array<{ taskId: string; title: string }> };
  const taskOf = (org: string) => listed.tasks.find((t) => t.title.startsWith(org))!.taskId;
  const [approved, rejected, later] = [PARTNERS.slice(0, 4).map(([o]) => taskOf(o)), taskOf(PARTNERS[4][0]), taskOf(PARTNERS[5][0])];

  // A rejection without a comment: nothing is sent, the form comes back as typed, naming what is missing.
  const form: Record<string, string> = { [`decision:${rejected}`]: 'reject', [`comment:${rejected}`]: '', [`decision:${later}`]: '' };
  for (const id of approved) form[`decision:${id}`] = 'approve';
  form[`comment:${approved[0]}`] = 'Strong field presence';
  const incomplete = await post(inbox, form);
  expect(incomplete.status).toBe(400);
  expect(incomplete.html).toContain('There is a problem');
  expect(incomplete.html).toContain('a rejection needs a comment explaining why');
  expect(incomplete.html).toContain('UNDP Country Office (un-multilateral): a rejection needs a comment');
  expect((incomplete.html.match(/value="approve" checked/g) ?? []).length).toBe(4);
  expect((incomplete.html.match(/value="reject" checked/g) ?? []).length).toBe(1);
  expect(incomplete.html).toContain('>Strong field presence</textarea>');
  expect((await ctx.service.tasks.task(rejected)).decision).toBeUndefined();

  // Four approvals and one rejection in one POST: each recorded once, the onboardings move on.
  form[`comment:${rejected}`] = 'Unresolved labour-rights complaints';
  const done = await post(inbox, form);
  expect(done.status).toBe(200);
  expect(done.html).toContain('5 of 5 decisions recorded');
  for (const id of approved) expect((await ctx.service.tasks.task(id)).decision).toMatchObject({ outcome: 'approved', by: APPROVER_1 });
  expect((await ctx.service.tasks.task(rejected)).decision).toMatchObject({ outcome: 'rejected', comment: 'Unresolved labour-rights complaints' });
  expect((await ctx.service.tasks.task(later)).decision).toBeUndefined();
  for (const id of onboardings.slice(0, 4)) await eventually(async () => (await ctx.service.partners.onboarding(id)).step === 'signature');
  await eventually(async () => (await ctx.service.partners.onboarding(onboardings[4])).step === 'rejected');
  expect((await ctx.service.partners.onboarding(onboardings[5])).step).toBe('approval');

  // The same POST again: every item answers who decided it and when; nothing changes.
  const again = await post(inbox, form);
  expect(again.html).toContain('0 of 5 decisions recorded');
  expect((again.html.match(/not recorded — This request was already decided: (approved|rejected) by Ari Approver on /g) ?? []).length).toBe(5);
  for (const id of [...approved, rejected]) {
    const state = await ctx.service.tasks.task(id);
    expect(state.events.filter((e) => e.type === 'decided')).toHaveLength(1);
  }

  // The page now lists only the one left open; and no further task email went out one by one.
  await eventually(async () => {
    const html = await (await fetch(inbox, { headers: { accept: 'text/html' } })).text();
    return (html.match(/<fieldset/g) ?? []).length === 1 && html.includes('Federation of Employers');
  });
  expect(ctx.stack.mail.messages.filter(isTaskEmail(APPROVER_1.email))).toHaveLength(2);
});

test("an approver whose address has an apostrophe finds their tasks (visibility values escaped)", async () => {
  const obrien = { name: "Ona O'Brien", email: "o'brien@example.org" };
  const p = await ctx.service.partnership.start(partnershipInput({ approvers: [obrien] }));
  await toApproval(p.id, 'Civic Forum', 'civil-society');
  const tasks = await eventually(async () => {
    const t = await ctx.service.tasks.openTasksFor(obrien.email, 'partner-approval');
    return t.length === 1 && t;
  });
  expect(tasks[0].request.partner).toMatchObject({ organisation: 'Civic Forum', conflictsOfInterest: 'none' });
  // Nobody else's tasks leak in: a near-miss address finds nothing.
  expect(await ctx.service.tasks.openTasksFor("o'brian@example.org", 'partner-approval')).toEqual([]);

  const token = createTaskToken(TEST_SECRET, { taskId: 'partner-approval', email: obrien.email, exp: Date.now() + 60_000, kind: 'inbox' });
  const html = await (await fetch(`${ctx.stack.apiUrl}/approvals/${token}`, { headers: { accept: 'text/html' } })).text();
  expect(html).toContain('Civic Forum (civil-society)');
  expect(html).toContain('Ona O&#39;Brien');
  // A task link is not an inbox link.
  const taskToken = createTaskToken(TEST_SECRET, { taskId: tasks[0].request.taskId, email: obrien.email, exp: Date.now() + 60_000 });
  expect((await fetch(`${ctx.stack.apiUrl}/approvals/${taskToken}`, { headers: { accept: 'application/json' } })).status).toBe(403);
});

test('tasks handed over while they wait for the digest are left out of it (out of office set from today)', async () => {
  const hana = { name: 'Hana Haddad', email: 'hana@example.org' };
  const deputy = { name: 'Daria Ivanova', email: 'daria@example.org' };
  const p = await ctx.service.partnership.start(partnershipInput({ approvers: [hana] }));
  await Promise.all(PARTNERS.slice(0, 3).map(([org, group]) => toApproval(p.id, org, group)));
  await eventually(async () => ctx.stack.mail.messages.filter(isTaskEmail(hana.email)).length === 2 && (await ctx.service.tasks.openTasksFor(hana.email, 'partner-approval')).length === 3);

  // Hana goes on leave today, before the window ends: her open tasks go to Daria, the third one included.
  const today = new Date().toISOString().slice(0, 10);
  const set = await fetch(`${ctx.stack.apiUrl}/api/people/${hana.email}/out-of-office`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ delegate: deputy, firstDay: today, lastDay: today }),
  });
  expect(((await set.json()) as { handedOver: string[] }).handedOver).toHaveLength(3);
  await eventually(async () => ctx.stack.mail.messages.filter((m) => m.to.includes(deputy.email) && m.subject.startsWith('Handed to you')).length === 3);

  // The window closes (the digest workflow continues as new) and Hana gets no digest of tasks she no longer holds.
  await eventually(async () => {
    const runs = [];
    for await (const wf of ctx.stack.env.client.workflow.list({ query: `WorkflowId = '${approverDigestWorkflowId(hana.email)}'` })) runs.push(wf.status.name);
    return runs.includes('CONTINUED_AS_NEW');
  }, WINDOW_MS + 30_000);
  expect(ctx.stack.mail.messages.filter(isDigest(hana.email))).toHaveLength(0);
  await ctx.stack.store.clearOutOfOffice(hana.email);
});

test('a task that would expire before the digest goes out is emailed at once, past the window allowance (issue 21)', async () => {
  const dee = { name: 'Dee Deadline', email: 'dee@example.org' };
  // Tasks live 5 s; the window is 8 s: a third task held for the digest would reach Dee after it expired.
  const p = await ctx.service.partnership.start(partnershipInput({ approvers: [dee], timings: { reminderAfter: '3s', escalateAfter: '4s', deadline: '5s', reviewEvery: '1 day' } }));
  const started = Date.now();
  await Promise.all(PARTNERS.slice(0, 3).map(([org, group]) => toApproval(p.id, `${org} (short)`, group)));
  await eventually(async () => ctx.stack.mail.messages.filter(isTaskEmail(dee.email)).length >= 3, WINDOW_MS);
  // All three well before the window (8 s from the first email) would have ended.
  expect(Date.now() - started).toBeLessThan(WINDOW_MS);
  const state = await ctx.stack.env.client.workflow.getHandle(approverDigestWorkflowId(dee.email)).query(digestStateQuery);
  expect(state.pending).toEqual([]);
  expect(ctx.stack.mail.messages.filter(isDigest(dee.email))).toEqual([]);
});
