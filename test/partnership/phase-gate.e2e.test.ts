import { itemsOfPhase } from '../../domain/partnership/catalogue';
import { firstWrite, sectionsOfPhase } from '../support/sections';
import { APPROVER_1, eventually, isTaskEmailFor, partnershipRequest, taskLinkOf } from '../support/fixtures';
import { e2eSteps, useRunningService } from '../support/e2e';
import { stakeholderInput } from '../support/partners';

/**
 * The whole product as a newcomer runs it: worker and API as separate
 * processes, a real dev server, a real SMTP server. Everything goes over HTTP
 * and email, as a manager and an approver would do it.
 */
const svc = useRunningService();
const call = (method: string, path: string, body?: unknown) => svc.call(method, path, body);

test('a manager starts a partnership, an approver approves by email, the phase moves and a document is listed', async () => {
  const created = await call('POST', '/api/partnerships', partnershipRequest());
  expect(created.status).toBe(201);
  const id = created.body.id as string;

  // The stakeholder-map item needs someone on the map.
  expect((await call('POST', `/api/partnerships/${id}/stakeholders`, stakeholderInput('Ministry of Labour', 'government'))).status).toBe(201);
  // Items whose substance is a written section need it written.
  for (const s of sectionsOfPhase('initiating')) expect((await call('PUT', `/api/partnerships/${id}/sections/${s}`, firstWrite(s))).status).toBe(200);
  for (const item of itemsOfPhase('initiating')) {
    const done = await call('POST', `/api/partnerships/${id}/checklist/${item.id}/complete`, { by: 'Mona', note: 'agreed at kick-off' });
    expect(done.status).toBe(200);
  }
  const advance = await call('POST', `/api/partnerships/${id}/advance`, { by: 'Mona' });
  expect(advance.status).toBe(202);

  const email = await svc.mail.waitFor(isTaskEmailFor(advance.body.task.id, APPROVER_1.email), 60_000);
  const link = taskLinkOf(email).url;
  expect(link.startsWith(`${svc.base}/tasks/`)).toBe(true);

  // Opening the link (as a mail scanner would, twice) changes nothing.
  for (let i = 0; i < 2; i++) {
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Move from Initiating to Adaptive planning');
  }
  expect((await call('GET', `/api/partnerships/${id}`)).body).toMatchObject({ phase: 'initiating', status: 'awaiting-approval' });

  // What the approver decides on: the draft of the phase's document, through the task's own link only.
  const draft = await fetch(`${link}/document`);
  expect(draft.status).toBe(200);
  const draftHtml = await draft.text();
  expect(draftHtml).toContain('MSP process design');
  expect(draftHtml).toContain('agreed at kick-off');
  const draftPdf = await fetch(`${link}/document?format=pdf&lang=fr`);
  expect([draftPdf.status, draftPdf.headers.get('content-type'), draftPdf.headers.get('content-language')]).toEqual([200, 'application/pdf', 'fr']);
  expect((await fetch(`${link.slice(0, -3)}xyz/document`)).status).toBe(403);

  const posted = await fetch(link, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ decision: 'approve', comment: 'Well prepared' }).toString(),
  });
  expect(posted.status).toBe(200);
  expect(await posted.text()).toContain('your decision is recorded');

  const moved = await eventually(async () => {
    const r = await call('GET', `/api/partnerships/${id}`);
    return r.body.phase === 'adaptive-planning' && r.body.documents.length === 1 && r.body;
  }, 60_000);
  expect(moved.decisions[0]).toMatchObject({ outcome: 'approved', comment: 'Well prepared' });
  expect(moved.documents[0]).toMatchObject({ kind: 'process-design', title: expect.stringContaining('MSP process design') });

  const pdf = await fetch(moved.documents[0].url, { headers: { authorization: `Bearer ${svc.apiKey}` } });
  expect(pdf.headers.get('content-type')).toBe('application/pdf');
  expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
  const transitions = await eventually(async () => {
    const r = await call('GET', `/api/registry/transitions?partnershipId=${id}`);
    return r.body.transitions?.length === 1 && r.body.transitions;
  });
  expect(transitions[0]).toMatchObject({ fromPhase: 'initiating', toPhase: 'adaptive-planning', outcome: 'approved' });
  // Exactly one task email reached the approver.
  expect(svc.mail.messages.filter(isTaskEmailFor(advance.body.task.id, APPROVER_1.email))).toHaveLength(1);
});

test('an approver hands the gate to a colleague: the colleague is emailed their own link and decides; the first link then names who holds it', async () => {
  const { readyForFirstGate } = e2eSteps(svc);
  const id = await readyForFirstGate();
  const taskId = (await call('POST', `/api/partnerships/${id}/advance`, { by: 'Mona' })).body.task.id as string;
  const first = taskLinkOf(await svc.mail.waitFor(isTaskEmailFor(taskId, APPROVER_1.email), 60_000)).url;

  const colleague = { name: 'Chidi Okafor', email: 'chidi@example.org' };
  const missingReason = await svc.form(`${first}/delegate`, { toName: colleague.name, toEmail: colleague.email, reason: '' });
  expect(missingReason.status).toBe(400);
  const handed = await svc.form(`${first}/delegate`, { toName: colleague.name, toEmail: colleague.email, reason: 'on mission in Dakar this week' });
  expect(handed.status).toBe(200);
  expect(handed.text).toContain('Chidi Okafor');

  const mail = await svc.mail.waitFor(isTaskEmailFor(taskId, colleague.email, 'Handed to you'), 60_000);
  expect(mail.text).toContain('on mission in Dakar this week');
  expect(mail.text).toContain(APPROVER_1.name);

  // The first link is refused, on GET and POST, with the name of who holds the task now.
  const refused = await fetch(first);
  expect(refused.status).toBe(403);
  expect(await refused.text()).toContain('Chidi Okafor');
  expect((await svc.form(first, { decision: 'approve' })).status).toBe(403);

  expect((await svc.form(taskLinkOf(mail).url, { decision: 'approve', comment: 'Fine by me' })).status).toBe(200);
  const moved = await eventually(async () => {
    const r = await call('GET', `/api/partnerships/${id}`);
    return r.body.phase === 'adaptive-planning' && r.body;
  }, 60_000);
  expect(moved.decisions.at(-1)).toMatchObject({ outcome: 'approved', comment: 'Fine by me' });
  expect(moved.decisions.at(-1).by).toContain('Chidi Okafor');
  expect(moved.decisions.at(-1).handovers).toEqual([
    expect.objectContaining({ from: `${APPROVER_1.name} <${APPROVER_1.email}>`, to: 'Chidi Okafor <chidi@example.org>', reason: 'on mission in Dakar this week', kind: 'hand-over' }),
  ]);
});

test('an approver out of office: the gate goes straight to their delegate, and setting it from a link hands over the open task', async () => {
  const { readyForFirstGate } = e2eSteps(svc);
  const today = new Date().toISOString().slice(0, 10);
  const deputy = { name: 'Daria Ivanova', email: 'daria@example.org' };

  // Set through the API (a tool): the next gate is never emailed to the approver who is away.
  const badDates = await call('PUT', `/api/people/${APPROVER_1.email}/out-of-office`, { delegate: deputy, firstDay: today, lastDay: '2020-01-01' });
  expect(badDates.status).toBe(400);
  expect(JSON.stringify(badDates.body)).toContain('the last day comes before the first day');
  expect((await call('PUT', `/api/people/${APPROVER_1.email}/out-of-office`, { delegate: deputy, firstDay: today, lastDay: today, reason: 'annual leave' })).status).toBe(200);
  const id = await readyForFirstGate();
  const taskId = (await call('POST', `/api/partnerships/${id}/advance`, {})).body.task.id as string;
  const toDeputy = await svc.mail.waitFor(isTaskEmailFor(taskId, deputy.email, 'Handed to you'), 60_000);
  expect(toDeputy.text).toContain('annual leave');
  expect(svc.mail.messages.filter(isTaskEmailFor(taskId, APPROVER_1.email))).toHaveLength(0);
  expect((await call('GET', `/api/people/${APPROVER_1.email}/out-of-office`)).body.outOfOffice).toMatchObject({ delegate: deputy, firstDay: today });
  expect((await call('DELETE', `/api/people/${APPROVER_1.email}/out-of-office`)).status).toBe(204);
  expect((await svc.form(taskLinkOf(toDeputy).url, { decision: 'approve' })).status).toBe(200);

  // Set from the approver's own link: the task they opened goes to the delegate at once.
  const id2 = await readyForFirstGate();
  const task2 = (await call('POST', `/api/partnerships/${id2}/advance`, {})).body.task.id as string;
  const link = taskLinkOf(await svc.mail.waitFor(isTaskEmailFor(task2, APPROVER_1.email), 60_000)).url;
  const set = await svc.form(`${link}/out-of-office`, { delegateName: deputy.name, delegateEmail: deputy.email, firstDay: today, lastDay: today, reason: 'mission' });
  expect(set.status).toBe(200);
  expect(set.text).toContain('Daria Ivanova');
  await svc.mail.waitFor(isTaskEmailFor(task2, deputy.email, 'Handed to you'), 60_000);
  expect((await fetch(link)).status).toBe(403);
  await call('DELETE', `/api/people/${APPROVER_1.email}/out-of-office`);
});

test('a rejection without a comment shows the same form again, with what was typed and the problem beside the field', async () => {
  const { readyForFirstGate } = e2eSteps(svc);
  const id = await readyForFirstGate();
  const taskId = (await call('POST', `/api/partnerships/${id}/advance`, {})).body.task.id as string;
  const link = taskLinkOf(await svc.mail.waitFor(isTaskEmailFor(taskId, APPROVER_1.email), 60_000)).url;
  const page = await fetch(link);
  const html = await page.text();
  // The page offers the draft document and the forms to hand the task over.
  expect(html).toContain('/document?lang=');
  expect(html).toContain('/delegate"');
  expect(html).toContain('/out-of-office"');
  const refused = await svc.form(link, { decision: 'reject', comment: '   ' });
  expect(refused.status).toBe(400);
  expect(refused.text).toContain('a rejection needs a comment');
  expect(refused.text).toContain('<form method="post">');
  expect(refused.text).toContain('aria-describedby="comment-error"');
  expect((await call('GET', `/api/partnerships/${id}`)).body.status).toBe('awaiting-approval');
});
