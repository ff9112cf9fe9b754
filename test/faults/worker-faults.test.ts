import { gateTaskOwner } from '../../domain/partnership/gates';
import { request } from 'node:http';
import { APPROVER_1, MANAGER, eventually, isTaskEmailFor, partnershipRequest, taskLinkOf } from '../support/fixtures';
import { e2eSteps, useRunningService } from '../support/e2e';

/**
 * The worker dies (SIGKILL) or is stopped (SIGTERM) at the worst moments,
 * held there on purpose: an approval email half-sent, a document written but
 * not yet confirmed. Worker and API are real processes; so are Temporal and
 * the SMTP server.
 *
 * The worker is handed a database it cannot open (nothing listens there): the
 * API owns the database, and the worker, which reaches it only through the
 * API, starts and keeps every guarantee below without it.
 */
const svc = useRunningService({ workerEnv: { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/not-the-workers' } });
const steps = e2eSteps(svc);
jest.setTimeout(240_000);

const taskEmailsFor = (taskId: string) => svc.mail.messages.filter(isTaskEmailFor(taskId, APPROVER_1.email));

test('SIGKILL while the approval email is being sent, then while the phase document is being written: one email, one document', async () => {
  const id = await steps.readyForFirstGate();

  // The SMTP server has the whole message but has not said "250 accepted" when the worker dies.
  const sending = svc.holdMail((m) => m.to.includes(APPROVER_1.email) && m.subject.startsWith('Decision needed'));
  const advance = await svc.call('POST', `/api/partnerships/${id}/advance`, {});
  expect(advance.status).toBe(202);
  const taskId = advance.body.task.id as string;
  await sending.arrived();
  expect(await svc.processes.worker.stop('SIGKILL')).toBeNull();
  await svc.start('worker');
  sending.release();

  // Temporal retries the send once the dead attempt times out; the message arrives once.
  const email = await svc.mail.waitFor(isTaskEmailFor(taskId, APPROVER_1.email), 120_000);
  expect(sending.seen.length).toBe(2);

  // The API has stored the document; the worker dies before it hears so.
  const writing = svc.proxy.hold((r) => r.method === 'PUT' && r.path.startsWith('/api/documents/'));
  expect((await svc.form(taskLinkOf(email).url, { decision: 'approve', comment: 'ok' })).status).toBe(200);
  await writing.arrived();
  expect(await svc.processes.worker.stop('SIGKILL')).toBeNull();
  await svc.start('worker');
  writing.release();

  // The read model lists the stored document at once (it reads the registry too), so wait for the retry
  // itself: Temporal repeats the write once the dead attempt times out.
  await eventually(async () => writing.seen.length >= 2, 120_000); // the write really was repeated
  const view = await eventually(async () => {
    const v = (await svc.call('GET', `/api/partnerships/${id}`)).body;
    return v.phase === 'adaptive-planning' && v.documents.length === 1 && v;
  }, 120_000);
  const stored = (await svc.call('GET', `/api/documents?partnershipId=${id}`)).body.documents;
  expect(stored.map((d: { id: string }) => d.id)).toEqual([view.documents[0].id]);
  expect(taskEmailsFor(taskId)).toHaveLength(1);
  // The registry records the decision after the document write returns, so the record may trail the view.
  const transitions = await eventually(async () => {
    const t = (await svc.call('GET', `/api/registry/transitions?partnershipId=${id}`)).body.transitions;
    return t.length > 0 && t;
  }, 60_000);
  expect(transitions).toHaveLength(1);
});

test("SIGKILL after the API logged the email as sent, before the worker heard: the retry asks the API's sent-log and sends nothing", async () => {
  const id = await steps.readyForFirstGate();
  const sending = svc.holdMail((m) => m.to.includes(APPROVER_1.email) && m.subject.startsWith('Decision needed'));
  const taskId = (await svc.call('POST', `/api/partnerships/${id}/advance`, {})).body.task.id as string;
  const { messageId } = await sending.arrived();
  const sentLog = `/api/registry/sent-mail/${encodeURIComponent(messageId)}`;
  // The SMTP server accepts; the API records the send; the worker dies waiting for the API's answer.
  const recording = svc.proxy.hold((r) => r.method === 'PUT' && r.path === sentLog);
  sending.release();
  await recording.arrived();
  expect(taskEmailsFor(taskId)).toHaveLength(1);
  expect(await svc.processes.worker.stop('SIGKILL')).toBeNull();
  await svc.start('worker');
  recording.release();

  // Temporal retries the send once the dead attempt times out (30 s); the retry asks the sent-log first.
  const asked = svc.proxy.hold((r) => r.method === 'GET' && r.path === sentLog);
  asked.release(); // watched, not held
  await eventually(async () => asked.seen.length > 0, 120_000);
  const owner = svc.client.workflow.getHandle(gateTaskOwner(taskId)!);
  await eventually(async () => ((await owner.describe()).raw.pendingActivities ?? []).length === 0, 60_000);
  expect(taskEmailsFor(taskId)).toHaveLength(1);
});

test('SIGTERM on the worker lets the email it is sending finish; it exits 0 and nothing is sent twice', async () => {
  const id = await steps.readyForFirstGate();
  const sending = svc.holdMail((m) => m.to.includes(APPROVER_1.email) && m.subject.startsWith('Decision needed'));
  const taskId = (await svc.call('POST', `/api/partnerships/${id}/advance`, {})).body.task.id as string;
  await sending.arrived();

  const exited = svc.processes.worker.stop('SIGTERM');
  await new Promise((r) => setTimeout(r, 1000)); // shutting down, the send still in flight
  sending.release();
  expect(await exited).toBe(0);
  expect(taskEmailsFor(taskId)).toHaveLength(1);

  await svc.start('worker');
  // The send completed before the worker left: Temporal has nothing to retry.
  // A gate is a task of its partnership: the send was the partnership's activity.
  const owner = await svc.client.workflow.getHandle(gateTaskOwner(taskId)!).describe();
  expect(owner.raw.pendingActivities ?? []).toHaveLength(0);
  expect(taskEmailsFor(taskId)).toHaveLength(1);
});

test('SIGTERM on the API lets the request it is reading finish; it answers, then exits 0', async () => {
  const body = Buffer.from(JSON.stringify(partnershipRequest()));
  const half = Math.floor(body.length / 2);
  const url = new URL(`${svc.base}/api/partnerships`);
  const answered = new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', headers: { authorization: `Bearer ${svc.apiKey}`, 'content-type': 'application/json', 'content-length': body.length } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.write(body.subarray(0, half));
    // The request is mid-body when the API is told to stop; the rest follows half a second later.
    setTimeout(() => void svc.processes.api.stop('SIGTERM'), 300);
    setTimeout(() => req.end(body.subarray(half)), 800);
  });
  const result = await answered;
  expect(result.status).toBe(201);
  expect(await svc.processes.api.stop()).toBe(0);
  await svc.start('api');
  expect((await svc.call('GET', `/api/partnerships/${JSON.parse(result.text).id}`)).status).toBe(200);
});

test('a phase document the registry refuses for good costs the gate nothing else: it is recorded, the manager is told, the partnership moves on', async () => {
  const id = await steps.readyForFirstGate();
  const advance = await svc.call('POST', `/api/partnerships/${id}/advance`, {});
  const taskId = advance.body.task.id as string;
  const email = await svc.mail.waitFor(isTaskEmailFor(taskId, APPROVER_1.email), 60_000);
  // A 4xx from the registry is final (not retried): the document activity fails for good.
  svc.proxy.refuse((r) => r.method === 'PUT' && r.path.startsWith(`/api/documents/${encodeURIComponent(id)}`), 422);
  try {
    expect((await svc.form(taskLinkOf(email).url, { decision: 'approve', comment: 'ok' })).status).toBe(200);
    const transitions = await eventually(async () => {
      const t = (await svc.call('GET', `/api/registry/transitions?partnershipId=${id}`)).body.transitions;
      return t.length > 0 && t;
    }, 60_000);
    expect(transitions).toEqual([expect.objectContaining({ fromPhase: 'initiating', toPhase: 'adaptive-planning', outcome: 'approved' })]);
    await svc.mail.waitFor((m) => m.to.includes(MANAGER.email) && m.subject.includes('approved'), 60_000);
    const view = (await svc.call('GET', `/api/partnerships/${id}`)).body;
    expect([view.phase, view.status, view.documents]).toEqual(['adaptive-planning', 'active', []]);
  } finally {
    svc.proxy.refuse(() => false, 200);
  }
});
