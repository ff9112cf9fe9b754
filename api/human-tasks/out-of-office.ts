import { coversDay } from '../../domain/human-tasks/approval-state';
import { taskKinds } from '../../domain/human-tasks/kinds';
import { RuleError } from '../../domain/rule-error';
import { day, said } from '../../domain/said';
import type { OutOfOffice } from '../../domain/human-tasks/schemas';
import type { Store } from '../../infra/store/store';
import type { Logger } from '../../infra/logger';
import type { HumanTaskService } from './service';

/** What setting an out-of-office did: the record kept, and the open tasks handed to the delegate now. */
export interface OutOfOfficeResult {
  email: string;
  outOfOffice: OutOfOffice;
  /** Open tasks handed over at once because the range covers today (task ids). */
  handedOver: string[];
}

/**
 * Records `email`'s out-of-office delegate. From then on, every task email
 * due to them on a covered day goes to the delegate instead (the worker's
 * `handOverIfAway`). If the range covers today, their open tasks are handed
 * over now as well: those visibility finds (approval workflows, and
 * partnerships with an open gate, naming them in `MspApprovers`) and
 * `alsoTask`, the task whose link they used (a gate that opened before its
 * partnership wrote its holders). A task that cannot be
 * handed over (decided meanwhile, the delegate holds it already) is skipped
 * and logged.
 *
 * @throws RuleError Invalid `refusals:away.delegateIsSelf` when the delegate is the person themselves, or `refusals:away.lastDayPassed` {day} when the
 *   range ended before today (either would be kept and never do anything)
 */
export async function setOutOfOffice(
  store: Store,
  service: HumanTaskService,
  email: string,
  outOfOffice: OutOfOffice,
  alsoTask?: { taskId: string; owner?: string },
  log?: Pick<Logger, 'warn'>,
  now = new Date(),
): Promise<OutOfOfficeResult> {
  const who = email.toLowerCase();
  if (outOfOffice.delegate.email.toLowerCase() === who) throw new RuleError('Invalid', said('refusals:away.delegateIsSelf'));
  if (outOfOffice.lastDay < now.toISOString().slice(0, 10)) throw new RuleError('Invalid', said('refusals:away.lastDayPassed', { day: day(outOfOffice.lastDay) }));
  await store.putOutOfOffice(who, outOfOffice, now);
  const handedOver: string[] = [];
  if (coversDay(outOfOffice, now)) {
    const [approvals, gates] = await Promise.all([
      Promise.all(taskKinds().filter((k) => k.answeredBy === 'approvers').map((k) => service.openTasksFor(who, k.id))),
      service.openGatesFor(who),
    ]);
    const open: Array<{ taskId: string; owner?: string }> = [...approvals.flat().map((t) => ({ taskId: t.request.taskId })), ...gates];
    const tasks = alsoTask && !open.some((t) => t.taskId === alsoTask.taskId) ? [alsoTask, ...open] : open;
    const input = { fromEmail: who, to: outOfOffice.delegate, reason: outOfOffice.reason ?? `out of office ${outOfOffice.firstDay} to ${outOfOffice.lastDay}`, kind: 'out-of-office' as const };
    for (const t of tasks) {
      try {
        await service.delegateTask(t.taskId, input, t.owner);
        handedOver.push(t.taskId);
      } catch (err) {
        log?.warn({ taskId: t.taskId, from: who, err: err instanceof Error ? err.message : String(err) }, 'out-of-office: task not handed over');
      }
    }
  }
  return { email: who, outOfOffice, handedOver };
}
