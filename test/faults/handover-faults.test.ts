import { APPROVER_1, isTaskEmailFor, taskLinkOf } from '../support/fixtures';
import { e2eSteps, useRunningService } from '../support/e2e';

/**
 * The worker dies (SIGKILL) after a hand-over was accepted, while the
 * delegate's email is on the wire: after the restart the delegate gets their
 * link exactly once. Worker, API, Temporal and SMTP are real processes.
 */
const svc = useRunningService();
const steps = e2eSteps(svc);
jest.setTimeout(240_000);

test('SIGKILL while the delegate’s email is being sent: one email after the restart, and its link decides', async () => {
  const id = await steps.readyForFirstGate();
  const taskId = (await svc.call('POST', `/api/partnerships/${id}/advance`, {})).body.task.id as string;
  const first = taskLinkOf(await svc.mail.waitFor(isTaskEmailFor(taskId, APPROVER_1.email), 60_000)).url;
  const colleague = { name: 'Chidi Okafor', email: 'chidi@example.org' };

  const sending = svc.holdMail((m) => m.to.includes(colleague.email) && m.subject.startsWith('Handed to you'));
  expect((await svc.form(`${first}/delegate`, { toName: colleague.name, toEmail: colleague.email, reason: 'on mission' })).status).toBe(200);
  await sending.arrived();
  expect(await svc.processes.worker.stop('SIGKILL')).toBeNull();
  await svc.start('worker');
  sending.release();

  const mail = await svc.mail.waitFor(isTaskEmailFor(taskId, colleague.email, 'Handed to you'), 120_000);
  expect(sending.seen.length).toBe(2);
  expect(svc.mail.messages.filter(isTaskEmailFor(taskId, colleague.email, 'Handed to you'))).toHaveLength(1);
  expect((await svc.form(taskLinkOf(mail).url, { decision: 'approve' })).status).toBe(200);
});
