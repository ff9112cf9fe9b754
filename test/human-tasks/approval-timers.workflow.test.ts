import type { ApprovalState } from '../../domain/human-tasks/approval-state';
import { APPROVER_1, APPROVER_2, completePhase, eventually, isTaskEmailFor, partnershipInput, refusalOf } from '../support/fixtures';
import { useStack } from '../support/stack';

const ctx = useStack('approval-timers');

async function pendingAdvance(timings: Record<string, string>, approvers = [APPROVER_1, APPROVER_2]) {
  const p = await ctx.service.partnership.start(partnershipInput({ approvers, timings: { reviewEvery: '1 day', ...timings } }));
  await completePhase(ctx.service, p.id, 'initiating');
  return { p, task: await ctx.service.partnership.requestAdvance(p.id, {}) };
}

test('an undecided task reminds its approver, then escalates to the next, who can decide', async () => {
  const { p, task } = await pendingAdvance({ reminderAfter: '1s', escalateAfter: '3s', deadline: '1 minute' });

  const reminder = await ctx.stack.mail.waitFor(isTaskEmailFor(task.id, APPROVER_1.email, 'Reminder'), 15_000);
  const escalated = await ctx.stack.mail.waitFor(isTaskEmailFor(task.id, APPROVER_2.email, 'Escalated'), 15_000);
  expect(Date.parse(escalated.receivedAt)).toBeGreaterThan(Date.parse(reminder.receivedAt));

  await ctx.service.tasks.decide(task.id, { approverEmail: APPROVER_2.email, decision: 'approve' });
  const after = await eventually(async () => {
    const v = await ctx.service.partnership.get(p.id);
    return v.phase === 'adaptive-planning' && v;
  });
  expect(after.decisions[0].by).toContain(APPROVER_2.email);

  const state: ApprovalState = await ctx.service.tasks.task(task.id);
  const events = state.events.map((e) => e.type);
  expect(events.slice(0, 3)).toEqual(['assigned', 'reminded', 'escalated']);
  expect(events.at(-1)).toBe('decided');
  // Each timer's email was delivered exactly once (a slow run may add a reminder of the escalated level, to both).
  const remindersTo1 = state.events.filter((e) => e.type === 'reminded' && e.to === APPROVER_1.email).length;
  expect(ctx.stack.mail.messages.filter((m) => isTaskEmailFor(task.id, APPROVER_1.email, 'Reminder')(m))).toHaveLength(remindersTo1);
  expect(ctx.stack.mail.messages.filter((m) => isTaskEmailFor(task.id, APPROVER_2.email, 'Escalated')(m))).toHaveLength(1);
});

test('at the deadline an undecided task is rejected and later answers are refused', async () => {
  const { p, task } = await pendingAdvance({ reminderAfter: '1s', escalateAfter: '2s', deadline: '3s' }, [APPROVER_1]);
  const after = await eventually(async () => {
    const v = await ctx.service.partnership.get(p.id);
    return v.decisions.length === 1 && v;
  }, 20_000);
  expect(after.phase).toBe('initiating');
  expect(after.decisions[0]).toMatchObject({ outcome: 'rejected', by: 'deadline (no decision)' });
  const state = await ctx.service.tasks.task(task.id);
  expect(state.events.map((e) => e.type)).toEqual(['assigned', 'reminded', 'expired']);
  const late = await refusalOf(ctx.service.tasks.decide(task.id, { approverEmail: APPROVER_1.email, decision: 'approve' }));
  expect(late).toMatchObject({ code: 'refusals:task.decidedAtDeadline', message: expect.stringMatching(/already decided when its deadline passed: rejected on /) });
});

test('with onDeadline "escalate" the deadline hands the task to the next approver with a fresh deadline', async () => {
  const third = { name: 'Cai Chair', email: 'cai@example.org' };
  const { p, task } = await pendingAdvance(
    { reminderAfter: '1500ms', escalateAfter: '1s', deadline: '2s', onDeadline: 'escalate' },
    [APPROVER_1, APPROVER_2, third],
  );
  await ctx.stack.mail.waitFor(isTaskEmailFor(task.id, APPROVER_2.email, 'Escalated'), 15_000);
  await ctx.stack.mail.waitFor(isTaskEmailFor(task.id, third.email, 'Escalated'), 15_000);
  await ctx.service.tasks.decide(task.id, { approverEmail: third.email, decision: 'approve' });
  const after = await eventually(async () => {
    const v = await ctx.service.partnership.get(p.id);
    return v.phase === 'adaptive-planning' && v;
  });
  expect(after.decisions[0].by).toContain(third.email);
});
