import {
  allHandlersFinished,
  condition,
  defineQuery,
  defineUpdate,
  log,
  patched,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import {
  approvalTaskKind,
  approverSearchValue,
  checkDecision,
  decide,
  escalate,
  expire,
  initialApprovalState,
  markReminded,
  nextApprover,
  type ApprovalDecision,
  type ApprovalRequest,
  type ApprovalState,
  type DecideInput,
} from '../domain/approval-state';
import { durationMs } from '../domain/durations';
import { SEARCH_ATTRIBUTES } from '../domain/names';
import type { Person } from '../domain/schemas';
import { mail } from './activity-proxies';
import { enforce } from './rule-failure';

export const decideUpdate = defineUpdate<ApprovalDecision, [DecideInput]>('decide');
export const approvalStateQuery = defineQuery<ApprovalState>('approvalState');

/**
 * Tasks started with this patch are findable by approver and kind (the
 * approver's inbox page) and send their emails through the approver's digest.
 * Runs recorded before it keep emailing directly and write no attributes.
 */
export const APPROVER_INBOX_PATCH = 'approver-inbox-and-digest';

/**
 * One human decision, asked by email. Reminds, escalates down the approver
 * list, and at the deadline rejects (or escalates, if configured). The
 * decision arrives as an Update whose validator refuses a second decision, a
 * wrong approver or an expired task.
 */
export async function approvalWorkflow(request: ApprovalRequest): Promise<ApprovalDecision> {
  const reminderMs = durationMs(request.timings.reminderAfter)!;
  const escalateMs = durationMs(request.timings.escalateAfter)!;
  const deadlineMs = durationMs(request.timings.deadline)!;
  const state = initialApprovalState(request, Date.now(), deadlineMs);
  // Sends run beside the timers so a slow or unreachable SMTP server never delays a reminder or the deadline.
  const sends: Promise<unknown>[] = [];
  const inbox = patched(APPROVER_INBOX_PATCH);
  const taskKind = approvalTaskKind(request);
  const approversAttribute = () => {
    const value = approverSearchValue(state.assignees);
    if (value.length < state.assignees.length) log.warn('approver list too long for the MspApprovers search attribute; earlier approvers left out');
    return { key: SEARCH_ATTRIBUTES.approvers, value };
  };
  const publishAssignees = () => {
    if (inbox) upsertSearchAttributes([approversAttribute()]);
  };
  if (inbox) upsertSearchAttributes([{ key: SEARCH_ATTRIBUTES.taskKind, value: taskKind }, approversAttribute()]);

  setHandler(approvalStateQuery, () => state);
  setHandler(
    decideUpdate,
    (input) => {
      const decision = decide(state, input, Date.now());
      showDetails(state);
      return decision;
    },
    { validator: (input) => enforce(() => checkDecision(state, input, Date.now())) },
  );

  function email(to: Person, reason: 'assigned' | 'reminder' | 'escalated'): void {
    const message = {
      deliveryKey: `${request.taskId}/${reason}/level-${state.level}/${to.email}`,
      reason,
      taskId: request.taskId,
      approver: to,
      partnershipTitle: request.partnershipTitle,
      summary: request.summary,
      details: request.details,
      requestedBy: request.requestedBy,
      expiresAt: state.deadlineAt,
    };
    // With the patch the email goes through the approver's digest, which sends it now or lists it in the next digest.
    const send = (
      inbox
        ? mail.routeTaskEmail.executeWithOptions({ summary: `${reason} email to ${to.email} (via digest)` }, [{ ...message, taskKind }])
        : mail.sendTaskEmail.executeWithOptions({ summary: `${reason} email to ${to.email}` }, [message])
    )
      .catch((err: unknown) => log.error('task email could not be sent', { to: to.email, reason, err: String(err) }));
    sends.push(send);
  }

  showDetails(state);
  email(state.assignees[0], 'assigned');

  while (!state.decision) {
    const levelStart = Date.parse(state.levelStartedAt);
    const reminderAt = state.remindedAtLevel ? Infinity : levelStart + reminderMs;
    const escalateAt = nextApprover(state) ? levelStart + escalateMs : Infinity;
    const deadlineAt = Date.parse(state.deadlineAt);
    const wakeAt = Math.min(reminderAt, escalateAt, deadlineAt);
    const what = wakeAt === deadlineAt ? 'deadline' : wakeAt === escalateAt ? 'escalation' : 'reminder';
    const waitMs = wakeAt - Date.now();
    if (waitMs > 0 && (await condition(() => state.decision !== undefined, waitMs, { summary: `wait for decision until ${what}` }))) {
      break;
    }

    const now = Date.now();
    if (now >= deadlineAt) {
      const next = request.timings.onDeadline === 'escalate' ? escalate(state, now) : undefined;
      if (next) {
        state.deadlineAt = new Date(now + deadlineMs).toISOString();
        publishAssignees();
        email(next, 'escalated');
      } else {
        expire(state, now);
      }
    } else if (now >= escalateAt) {
      const next = escalate(state, now);
      if (next) {
        publishAssignees();
        email(next, 'escalated');
      }
    } else if (now >= reminderAt) {
      markReminded(state, now);
      for (const person of state.assignees) email(person, 'reminder');
    }
    showDetails(state);
  }

  await condition(allHandlersFinished);
  // Sends still retrying (e.g. a reminder while SMTP is down) are moot once decided; they are abandoned with the run.
  log.info('approval decided', { outcome: state.decision!.outcome, pendingSends: sends.length });
  return state.decision!;
}

function showDetails(state: ApprovalState): void {
  const r = state.request;
  const d = state.decision;
  setCurrentDetails(
    [
      `**${r.summary}** — ${r.partnershipTitle} (\`${r.partnershipId}\`)`,
      `Requested by ${r.requestedBy}`,
      d
        ? `**Decision:** ${d.outcome} by ${d.by ? d.by.name : 'deadline'} at ${d.at}${d.comment ? ` — “${d.comment}”` : ''}`
        : `**Waiting for:** ${state.assignees.map((p) => p.name).join(', ')} · deadline ${state.deadlineAt}`,
      `Events: ${state.events.map((e) => `${e.type}${e.to ? ` (${e.to})` : ''}`).join(' → ')}`,
    ].join('\n\n'),
  );
}
