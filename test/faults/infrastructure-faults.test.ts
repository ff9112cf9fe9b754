import { gateTaskOwner } from '../../domain/partnership/gates';
import { APPROVER_1, eventually, isTaskEmailFor, partnershipRequest, taskLinkOf } from '../support/fixtures';
import { workerPolledWithin } from '../../api/worker-presence';
import { e2eSteps, useRunningService } from '../support/e2e';

/**
 * What surrounds the worker goes away mid-partnership: the API process, the
 * Temporal server (with its SQLite file), the SMTP server. Nothing is lost,
 * nothing happens twice, and the approver's link keeps working exactly once.
 */
const svc = useRunningService();
const steps = e2eSteps(svc);
jest.setTimeout(240_000);

async function awaitingApproval(timings?: Record<string, string>): Promise<{ id: string; taskId: string }> {
  const id = await steps.readyForFirstGate(partnershipRequest(timings ? { timings } : {}));
  const advance = await svc.call('POST', `/api/partnerships/${id}/advance`, {});
  expect(advance.status).toBe(202);
  return { id, taskId: advance.body.task.id };
}

const movedOn = (id: string) =>
  eventually(async () => {
    const v = (await svc.call('GET', `/api/partnerships/${id}`)).body;
    return v.phase === 'adaptive-planning' && v.documents.length === 1 && v;
  }, 90_000);

test('the API is killed and restarted between the email and the click: the link works, once', async () => {
  const { id, taskId } = await awaitingApproval();
  const link = taskLinkOf(await svc.mail.waitFor(isTaskEmailFor(taskId, APPROVER_1.email), 60_000)).url;

  expect(await svc.processes.api.stop('SIGKILL')).toBeNull();
  await svc.start('api');

  expect((await fetch(link)).status).toBe(200);
  const first = await svc.form(link, { decision: 'approve', comment: 'after the restart' });
  expect(first.status).toBe(200);
  expect(first.text).toContain('your decision is recorded');
  const again = await svc.form(link, { decision: 'reject', comment: 'second click' });
  expect(again.status).toBe(409);
  expect(again.text).toContain('This request was already decided: approved by Ari Approver');

  const view = await movedOn(id);
  expect(view.decisions).toHaveLength(1);
  expect(view.decisions[0]).toMatchObject({ outcome: 'approved', comment: 'after the restart' });
});

test('the Temporal server stops and starts again on its SQLite file: the API says 503 meanwhile, then everything continues', async () => {
  const { id, taskId } = await awaitingApproval();
  const link = taskLinkOf(await svc.mail.waitFor(isTaskEmailFor(taskId, APPROVER_1.email), 60_000)).url;

  await svc.processes.temporal.stop('SIGTERM');
  const during = await svc.call('GET', `/api/partnerships/${id}`);
  expect(during.status).toBe(503);
  expect(during.body.message).toMatch(/not reachable/);
  await new Promise((r) => setTimeout(r, 3000)); // the worker's polls fail meanwhile
  await svc.start('temporal');

  // The worker and the API reconnect on their own; the open task and its timers were kept.
  const back = await eventually(async () => {
    const r = await svc.call('GET', `/api/partnerships/${id}`);
    return r.status === 200 && r.body;
  }, 60_000);
  expect(back).toMatchObject({ phase: 'initiating', status: 'awaiting-approval' });
  // A query can be answered through the worker's sticky queue before the restarted server has seen it poll the
  // task queue itself, and until it has, the link pages refuse with 503 "no worker" (api/worker-presence.ts).
  // On a loaded machine the worker's polls come back later than the query: wait for them as the API does.
  await eventually(() => workerPolledWithin(svc.client, svc.config.TEMPORAL_TASK_QUEUE, 90_000).catch(() => false), 120_000);
  expect((await svc.form(link, { decision: 'approve' })).status).toBe(200);
  await movedOn(id);
  expect(svc.processes.worker.proc.exitCode).toBeNull();
  expect(svc.mail.messages.filter(isTaskEmailFor(taskId, APPROVER_1.email))).toHaveLength(1);
});

test('SMTP is down for a while: sends retry with backoff, the reminder still fires, each email arrives once when it is back', async () => {
  await svc.stopMail();
  const { id, taskId } = await awaitingApproval({ reminderAfter: '6s', escalateAfter: '1 hour', deadline: '1 day', reviewEvery: '1 day' });
  // A gate is a task of its partnership: its sends are the partnership's activities.
  const approval = svc.client.workflow.getHandle(gateTaskOwner(taskId)!);

  // Both the task email and, after 6 s, the reminder are being retried against the dead server.
  const pending = await eventually(async () => {
    const sends = (await approval.describe()).raw.pendingActivities ?? [];
    return sends.length === 2 && sends.every((a) => (a.attempt ?? 0) >= 2) && sends;
  }, 60_000);
  for (const send of pending) {
    expect(send.activityType?.name).toBe('sendTaskEmail');
    expect(send.lastFailure?.message).toMatch(/ECONNREFUSED|connect/i);
  }

  await svc.startMail();
  const assigned = await svc.mail.waitFor(isTaskEmailFor(taskId, APPROVER_1.email, 'Decision needed'), 120_000);
  const reminder = await svc.mail.waitFor(isTaskEmailFor(taskId, APPROVER_1.email, 'Reminder: decision needed'), 120_000);
  await eventually(async () => ((await approval.describe()).raw.pendingActivities ?? []).length === 0, 30_000);
  expect(svc.mail.messages.filter(isTaskEmailFor(taskId, APPROVER_1.email, ''))).toHaveLength(2);

  expect((await svc.form(taskLinkOf(reminder).url, { decision: 'approve' })).status).toBe(200);
  expect(taskLinkOf(assigned).taskId).toBe(taskId);
  await movedOn(id);
});
