import { Context, log } from '@temporalio/activity';
import { ApplicationFailure, WorkflowUpdateFailedError } from '@temporalio/client';
import { MAX_HANDOVERS, type Handover } from '../../domain/human-tasks/approval-state';
import { saidOfFailureDetails } from '../../domain/rule-error';
import type { Person } from '../../domain/schemas';
import { delegateUpdate } from '../../workflows/human-tasks/messages';
import { delegateGateUpdate } from '../../workflows/partnership/messages';
import type { TaskEmailInput } from './activities';
import type { RegistryClient } from '../registry-client';

/**
 * Before a task email goes to an assignee: if they are out of office today,
 * hand the task to their delegate instead (an Update on the workflow that
 * holds it; that workflow then emails the delegate their own link) and send
 * nothing to the person who is away.
 *
 * Safe under retry: if an earlier attempt already handed the task over, the
 * Update is refused because the person no longer holds it (its code
 * `refusals:task.handedOver`), and that counts as done. Any other refusal (the delegate already holds the task, too many
 * hand-overs, the task decided meanwhile) leaves the email to go out as usual.
 *
 * A delegate who is away too passes the task on in turn (their own email
 * hands it over), but only when the chain of delegates reaches someone who is
 * present: when it comes back round (A's delegate is B, B's is A) nobody in it
 * is there, so the task stays where it is and its email goes out, rather than
 * bouncing between them until the hand-over limit.
 *
 * Out-of-office records are the API's: they are asked of it through
 * `registry` (one GET per person in the chain).
 *
 * @returns the hand-over, `'already'` when an earlier attempt made it, or undefined when the email should be sent
 * @throws ApplicationFailure (retryable) when the API cannot be asked; nothing is handed over or sent
 */
export async function handOverIfAway(registry: Pick<RegistryClient, 'outOfOfficeOn'>, input: TaskEmailInput): Promise<Handover | 'already' | undefined> {
  const today = new Date().toISOString().slice(0, 10);
  const away = await registry.outOfOfficeOn(input.approver.email, today);
  if (!away) return undefined;
  if (await delegatesComeRound(registry, input.approver.email, away.delegate, today)) {
    log.warn('out-of-office delegates lead back round to someone away; emailing the assignee as usual', { taskId: input.taskId, to: input.approver.email });
    return undefined;
  }
  const { client } = Context.current();
  const handover = { fromEmail: input.approver.email, to: away.delegate, reason: away.reason ?? `out of office ${away.firstDay} to ${away.lastDay}`, kind: 'out-of-office' as const };
  try {
    const result = input.ownerWorkflowId
      ? await client.workflow.getHandle(input.ownerWorkflowId).executeUpdate(delegateGateUpdate, { args: [{ taskId: input.taskId, ...handover }] })
      : await client.workflow.getHandle(input.taskId).executeUpdate(delegateUpdate, { args: [handover] });
    log.info('assignee out of office; task handed to their delegate', { taskId: input.taskId, from: input.approver.email, to: away.delegate.email });
    return result;
  } catch (err) {
    // The refusal's code, not its words: "this person handed the task on already" is `refusals:task.handedOver`.
    const refusal = err instanceof WorkflowUpdateFailedError ? saidOfFailureDetails(err.cause instanceof ApplicationFailure ? (err.cause.details ?? undefined) : undefined) : undefined;
    if (refusal?.code === 'refusals:task.handedOver') return 'already';
    const message = err instanceof WorkflowUpdateFailedError ? String(err.cause?.message ?? err.message) : String(err);
    log.warn('out-of-office hand-over refused; emailing the assignee as usual', { taskId: input.taskId, to: input.approver.email, reason: refusal?.code ?? message });
    return undefined;
  }
}

/**
 * Whether following out-of-office delegates from `from` (away) through
 * `delegate` comes back to someone already met before reaching a person who
 * is present on `day` (`YYYY-MM-DD`, UTC). Longer chains than a task's hand-over limit count
 * as coming round: the task could not get through them anyway.
 */
async function delegatesComeRound(registry: Pick<RegistryClient, 'outOfOfficeOn'>, from: string, delegate: Person, day: string): Promise<boolean> {
  const met = new Set([from.toLowerCase()]);
  let next = delegate.email.toLowerCase();
  for (let hops = 0; hops < MAX_HANDOVERS; hops++) {
    if (met.has(next)) return true;
    met.add(next);
    const away = await registry.outOfOfficeOn(next, day);
    if (!away) return false;
    next = away.delegate.email.toLowerCase();
  }
  return true;
}
