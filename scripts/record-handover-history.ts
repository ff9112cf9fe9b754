import { createServices } from '../api/services';
import { ensureTemporalCli } from '../infra/temporal-cli';
import { APPROVER_1, APPROVER_2, completePhase, eventually, isTaskEmailFor, partnershipInput } from '../test/support/fixtures';
import { startStack } from '../test/support/stack';
import { refuseToOverwrite, replaceFlag, saveHistory } from './history-file';

/**
 * `npx tsx scripts/record-handover-history.ts [--replace] <file>`: a phase gate handed
 * from the first approver to the second (who is also the next on the list),
 * left past its escalation time, handed on to a colleague and back to the
 * first approver, who decides; saves the partnership's history to
 * test/histories/<file>. Recorded once with the code before the
 * `escalation-skips-holders` and `delegated-email-per-handover` patches (the
 * second approver assigned twice) and once after, so the replay test covers
 * both branches.
 */
async function main(): Promise<void> {
  const { replace, rest: [file] } = replaceFlag(process.argv.slice(2));
  const usage = `npx tsx scripts/record-handover-history.ts [--replace] <new-name>.json`;
  if (!file?.endsWith('.json')) throw new Error(`usage: ${usage} (saved under test/histories/)`);
  refuseToOverwrite([file], replace, usage);
  process.env.TEMPORAL_CLI ??= ensureTemporalCli();
  const stack = await startStack('record-handover');
  const service = createServices(stack.env.client, stack.taskQueue);
  const colleague = { name: 'Chidi Okafor', email: 'chidi@example.org' };
  try {
    const p = await service.partnership.start(
      partnershipInput({ slug: 'recorded-handover', timings: { reminderAfter: '1s', escalateAfter: '2s', deadline: '1 hour', reviewEvery: '1 day' } }),
    );
    await completePhase(service, p.id, 'initiating');
    const taskId = (await service.partnership.requestAdvance(p.id, {})).id;
    const handed = (who: { email: string }) => stack.mail.waitFor(isTaskEmailFor(taskId, who.email, 'Handed to you'), 30_000);
    await stack.mail.waitFor(isTaskEmailFor(taskId, APPROVER_1.email), 30_000);
    await service.tasks.delegateTask(taskId, { fromEmail: APPROVER_1.email, to: APPROVER_2, reason: 'on mission', kind: 'hand-over' });
    await handed(APPROVER_2);
    // Past the reminder and the escalation time, with the delegate being the next approver.
    await new Promise((r) => setTimeout(r, 4000));
    await service.tasks.delegateTask(taskId, { fromEmail: APPROVER_2.email, to: colleague, reason: 'conflict of interest', kind: 'hand-over' });
    await handed(colleague);
    await service.tasks.delegateTask(taskId, { fromEmail: colleague.email, to: APPROVER_1, reason: 'back from mission', kind: 'hand-over' });
    await handed(APPROVER_1);
    await service.tasks.decide(taskId, { approverEmail: APPROVER_1.email, decision: 'approve' });
    await eventually(async () => (await service.partnership.get(p.id)).phase === 'adaptive-planning', 30_000);
    saveHistory(stack.env.address, p.id, file, { replace });
  } finally {
    await stack.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
