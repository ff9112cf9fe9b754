import { condition, log, patched } from '@temporalio/workflow';
import {
  approvalTaskKind,
  escalate,
  expire,
  markReminded,
  nextApprover,
  type ApprovalDecision,
  type ApprovalState,
  type Handover,
} from '../../domain/human-tasks/approval-state';
import { durationMs } from '../../domain/durations';
import type { Person } from '../../domain/schemas';
import { mail } from '../activity-proxies';
import { patch } from '../patches';

export interface HumanTaskOptions {
  /** Send the emails through the approver's digest (routeTaskEmail) rather than one by one (sendTaskEmail). */
  viaDigest: boolean;
  /**
   * The workflow that takes the decision (its Update), when it is not the
   * task's own workflow: the link names it, so the page sends the decision
   * there.
   */
  ownerWorkflowId?: string;
  /** Called after every change of assignees (escalation), e.g. to republish search attributes. */
  onAssigneesChanged?: () => void;
  /** Called after every change the Web UI should show. */
  onChange?: () => void;
}

/**
 * The life of one human task, whichever workflow holds it: email the first
 * assignee, remind once per level after `reminderAfter`, escalate down the
 * approver list after `escalateAfter`, and at the deadline reject — or, with
 * `onDeadline: "escalate"`, hand it on with a fresh deadline. It returns once
 * `state.decision` is set, by an Update handler of the owning workflow
 * (`decide`) or by the deadline (`expire`).
 *
 * An assignee may hand the task to a colleague (`delegate`, by an Update of
 * the owning workflow); the loop then emails the delegate their own link.
 *
 * Sends run beside the timers, so a slow or unreachable SMTP server never
 * delays a reminder or the deadline; those still retrying when the task is
 * decided are moot and abandoned with the run.
 */
export async function runHumanTask(state: ApprovalState, options: HumanTaskOptions): Promise<ApprovalDecision> {
  const { request } = state;
  const reminderMs = durationMs(request.timings.reminderAfter)!;
  const escalateMs = durationMs(request.timings.escalateAfter)!;
  const deadlineMs = durationMs(request.timings.deadline)!;
  const taskKind = approvalTaskKind(request);

  function email(to: Person, reason: 'assigned' | 'reminder' | 'escalated' | 'delegated', handover?: { index: number; of: Handover }): void {
    const key = handover && patched(patch('delegated-email-per-handover')) ? `handover-${handover.index}` : `level-${state.level}`;
    const message = {
      deliveryKey: `${request.taskId}/${reason}/${key}/${to.email}`,
      reason,
      ...(handover ? { handover: { from: handover.of.from, reason: handover.of.reason, kind: handover.of.kind } } : {}),
      taskId: request.taskId,
      approver: to,
      partnershipTitle: request.partnershipTitle,
      summary: request.summary,
      details: request.details,
      requestedBy: request.requestedBy,
      expiresAt: state.deadlineAt,
      ...(options.ownerWorkflowId ? { ownerWorkflowId: options.ownerWorkflowId } : {}),
    };
    void (
      options.viaDigest && reason !== 'delegated'
        ? mail.routeTaskEmail.executeWithOptions({ summary: `${reason} email to ${to.email} (via digest)` }, [{ ...message, taskKind }])
        : mail.sendTaskEmail.executeWithOptions({ summary: `${reason} email to ${to.email}` }, [message])
    ).catch((err: unknown) => log.error('task email could not be sent', { to: to.email, reason, err: String(err) }));
  }

  // True only when list order would assign someone who holds the task or handed it on (see the patch).
  const skipHolders = () => nextApprover(state, true) !== nextApprover(state) && patched(patch('escalation-skips-holders'));

  options.onChange?.();
  email(state.assignees[0], 'assigned');

  while (!state.decision) {
    const levelStart = Date.parse(state.levelStartedAt);
    const reminderAt = state.remindedAtLevel ? Infinity : levelStart + reminderMs;
    const escalateAt = nextApprover(state, skipHolders()) ? levelStart + escalateMs : Infinity;
    const deadlineAt = Date.parse(state.deadlineAt);
    const wakeAt = Math.min(reminderAt, escalateAt, deadlineAt);
    const what = wakeAt === deadlineAt ? 'deadline' : wakeAt === escalateAt ? 'escalation' : 'reminder';
    const waitMs = wakeAt - Date.now();
    // A hand-over (an Update) wakes the loop to email the delegate; tasks that never had one wait as before.
    const woken = () => state.decision !== undefined || (state.toNotify?.length ?? 0) > 0;
    if (waitMs > 0 && (await condition(woken, waitMs, { summary: `wait for decision until ${what}` }))) {
      if (state.decision) break;
      for (const { to, handover } of state.toNotify!.splice(0)) email(to, 'delegated', { index: handover, of: state.handovers![handover]! });
      options.onAssigneesChanged?.();
      options.onChange?.();
      continue;
    }

    const now = Date.now();
    if (now >= deadlineAt) {
      const next = request.timings.onDeadline === 'escalate' ? escalate(state, now, skipHolders()) : undefined;
      if (next) {
        state.deadlineAt = new Date(now + deadlineMs).toISOString();
        options.onAssigneesChanged?.();
        email(next, 'escalated');
      } else {
        expire(state, now);
      }
    } else if (now >= escalateAt) {
      const next = escalate(state, now, skipHolders());
      if (next) {
        options.onAssigneesChanged?.();
        email(next, 'escalated');
      }
    } else if (now >= reminderAt) {
      markReminded(state, now);
      for (const person of state.assignees) email(person, 'reminder');
    }
    options.onChange?.();
  }
  return state.decision!;
}
