import { RuleError } from '../rule-error';
import type { Person, Timings } from '../people';
import { encodedBytes, SEARCH_ATTRIBUTE_VALUE_LIMIT_BYTES } from '../search-attribute-limits';

/**
 * State of one human decision (an approval task) and its pure rules. The
 * approval workflow owns one of these; its Update validator calls
 * `checkDecision`, which is what makes a double click yield one decision.
 */

export interface ApprovalRequest {
  /** Also the approval workflow's id. */
  taskId: string;
  partnershipId: string;
  partnershipTitle: string;
  kind: 'advance' | 'review';
  /** One line, e.g. "Move from Initiating to Adaptive planning". */
  summary: string;
  /** Plain-text lines shown on the task page and in the email. */
  details: string[];
  requestedBy: string;
  approvers: Person[];
  timings: Pick<Timings, 'reminderAfter' | 'escalateAfter' | 'deadline' | 'onDeadline'>;
  /** A choice among options instead of approve/reject (e.g. a governance decision: continue, adapt, exit). */
  choices?: string[];
  /** Choices that need a comment (e.g. "adapt" needs the notes of what to adapt). */
  choicesNeedingComment?: string[];
  /** What kind of decision this is, so an approver can list and decide all of one kind together. Absent on tasks started before kinds existed. */
  taskKind?: ApprovalTaskKind;
  /** For a partner approval: the facts to decide on, structured (the same facts are in `details` as text). */
  partner?: PartnerApprovalFacts;
}

export const APPROVAL_TASK_KINDS = ['partner-approval', 'gate', 'review-decision', 'funding-channel'] as const;
export type ApprovalTaskKind = (typeof APPROVAL_TASK_KINDS)[number];
/** Kinds an approver can decide many of on one page (approve/reject tasks; choice tasks such as review decisions stay one by one). */
export const INBOX_TASK_KINDS: readonly ApprovalTaskKind[] = ['partner-approval'];

/**
 * The assignees' emails for the `MspApprovers` attribute, kept under
 * Temporal's 2 KB limit per value (a larger value fails the workflow task).
 * Ten long addresses could pass it; the most recently assigned are kept,
 * since the task now waits on them.
 */
export function approverSearchValue(assignees: Person[], limitBytes = SEARCH_ATTRIBUTE_VALUE_LIMIT_BYTES): string[] {
  const kept: string[] = [];
  for (const email of assignees.map((p) => p.email.toLowerCase()).reverse()) {
    if (encodedBytes([email, ...kept]) > limitBytes) break;
    kept.unshift(email);
  }
  return kept;
}

export interface PartnerApprovalFacts {
  organisation: string;
  group: string;
  contact: Person;
  principlesAttested: number;
  principlesTotal: number;
  conflictsOfInterest: string;
}

/** The kind written to the task's `MspTaskKind` search attribute; tasks without one are gates or review decisions by their `kind`. */
export function approvalTaskKind(request: ApprovalRequest): ApprovalTaskKind {
  return request.taskKind ?? (request.kind === 'review' ? 'review-decision' : 'gate');
}

export type ApprovalEventType = 'assigned' | 'reminded' | 'escalated' | 'delegated' | 'decided' | 'expired';

export interface ApprovalEvent {
  type: ApprovalEventType;
  at: string;
  to?: string;
  /** For `delegated`: who handed the task on, and why. */
  from?: string;
  reason?: string;
}

/**
 * A hand-over of a task: an assignee passed it to a named colleague, by hand
 * or because they set an out-of-office delegate for the dates it fell in. The
 * delegate takes the assignee's place (same escalation level); the one who
 * handed it on can no longer decide it.
 */
export interface Handover {
  from: Person;
  to: Person;
  reason: string;
  kind: 'hand-over' | 'out-of-office';
  at: string;
}

export interface DelegateInput {
  /** The assignee handing the task on (from their signed link, or the out-of-office record). */
  fromEmail: string;
  to: Person;
  reason: string;
  kind: Handover['kind'];
}

export interface ApprovalDecision {
  outcome: 'approved' | 'rejected';
  choice?: string;
  by: Person | null;
  at: string;
  comment?: string;
}

export interface ApprovalState {
  request: ApprovalRequest;
  startedAt: string;
  deadlineAt: string;
  /** Everyone the task has been assigned to so far; any of them may decide. */
  assignees: Person[];
  level: number;
  levelStartedAt: string;
  remindedAtLevel: boolean;
  events: ApprovalEvent[];
  decision?: ApprovalDecision;
  /** Hand-overs in order (absent on tasks that never had one). */
  handovers?: Handover[];
  /** Delegates not yet emailed: the task's loop sends their link and empties this. */
  toNotify?: Array<{ to: Person; handover: number }>;
}

export interface DecideInput {
  approverEmail: string;
  decision: 'approve' | 'reject';
  comment?: string;
  choice?: string;
}

export function initialApprovalState(request: ApprovalRequest, now: number, deadlineMs: number): ApprovalState {
  if (request.approvers.length === 0) throw new RuleError('Invalid', 'an approval needs at least one approver');
  const at = new Date(now).toISOString();
  return {
    request,
    startedAt: at,
    deadlineAt: new Date(now + deadlineMs).toISOString(),
    assignees: [request.approvers[0]],
    level: 0,
    levelStartedAt: at,
    remindedAtLevel: false,
    events: [{ type: 'assigned', at, to: request.approvers[0].email }],
  };
}

export function isAssignee(state: ApprovalState, email: string): boolean {
  return state.assignees.some((p) => p.email === email.toLowerCase());
}

export function checkDecision(state: ApprovalState, input: DecideInput, now: number): void {
  if (state.decision) {
    const d = state.decision;
    throw new RuleError(
      'Conflict',
      `this task was already decided: ${d.outcome} by ${d.by ? d.by.name : 'the deadline'} at ${d.at}`,
    );
  }
  refuseUnlessAssignee(state, input.approverEmail);
  if (now > Date.parse(state.deadlineAt)) {
    throw new RuleError('Expired', `this task expired at ${state.deadlineAt}`);
  }
  if (input.decision === 'reject' && !input.comment?.trim()) {
    throw new RuleError('Invalid', 'a rejection needs a comment');
  }
  const choices = state.request.choices;
  if (choices) {
    if (!input.choice || !choices.includes(input.choice)) throw new RuleError('Invalid', `choose one of: ${choices.join(', ')}`);
    if (state.request.choicesNeedingComment?.includes(input.choice) && !input.comment?.trim()) {
      throw new RuleError('Invalid', `"${input.choice}" needs a comment`);
    }
  }
}

/**
 * Who holds the task now after `email` last handed it on (following the chain
 * of hand-overs that came after it), or undefined when `email` never handed it
 * over. Hand-overs are followed in the order they were made, not by their
 * times: those handled in one workflow activation share its clock.
 */
export function currentHolderAfter(state: ApprovalState, email: string): { handover: Handover; holder: Person } | undefined {
  const handovers = state.handovers ?? [];
  const who = email.toLowerCase();
  let first = handovers.length - 1;
  while (first >= 0 && handovers[first]!.from.email !== who) first--;
  if (first < 0) return undefined;
  let holder = handovers[first]!.to;
  for (let i = first + 1; i < handovers.length; i++) {
    if (handovers[i]!.from.email === holder.email) holder = handovers[i]!.to;
  }
  return { handover: handovers[first]!, holder };
}

/**
 * Refuses someone who may not act on the task, saying who holds it now when
 * they handed it on (their old link is refused, the delegate's works).
 * @throws RuleError Forbidden
 */
export function refuseUnlessAssignee(state: ApprovalState, email: string): void {
  if (isAssignee(state, email)) return;
  const after = currentHolderAfter(state, email);
  if (after) {
    throw new RuleError(
      'Forbidden',
      `you handed this task to ${after.handover.to.name} <${after.handover.to.email}>; ${after.holder.name} <${after.holder.email}> holds it now`,
    );
  }
  throw new RuleError('Forbidden', 'this task is not assigned to you');
}

/**
 * Checks a hand-over: the task is open and not past its deadline, `fromEmail`
 * holds it, the delegate is someone else who does not hold it already, and a
 * reason is given (the audit keeps it).
 * @throws RuleError Conflict | Forbidden | Expired | Invalid
 */
export function checkDelegation(state: ApprovalState, input: DelegateInput, now: number): void {
  if (state.decision) throw new RuleError('Conflict', `this task was already decided at ${state.decision.at}; there is nothing to hand over`);
  refuseUnlessAssignee(state, input.fromEmail);
  if (now > Date.parse(state.deadlineAt)) throw new RuleError('Expired', `this task expired at ${state.deadlineAt}`);
  if (!input.reason.trim()) throw new RuleError('Invalid', 'say why you hand the task over; the record keeps the reason');
  const to = input.to.email.toLowerCase();
  if (to === input.fromEmail.toLowerCase()) throw new RuleError('Invalid', 'name a colleague other than yourself');
  if (isAssignee(state, to)) throw new RuleError('Conflict', `${input.to.name} <${to}> already holds this task`);
  if ((state.handovers?.length ?? 0) >= MAX_HANDOVERS) throw new RuleError('Conflict', `this task has been handed over ${MAX_HANDOVERS} times; ask the partnership's manager to reassign it`);
}

/**
 * Whether an out-of-office range covers the day of `now`. Days are calendar
 * days in UTC (`YYYY-MM-DD`), both ends included, so "until Friday" means
 * through Friday.
 */
export function coversDay(range: { firstDay: string; lastDay: string }, now: Date): boolean {
  const day = now.toISOString().slice(0, 10);
  return range.firstDay <= day && day <= range.lastDay;
}

/** A task passes through at most this many hands: the hand-over record stays small and a loop of hand-overs ends. */
export const MAX_HANDOVERS = 10;

/**
 * Hands the task from `fromEmail` to `to` (see `checkDelegation`): the
 * delegate takes the assignee's place, the event and the hand-over are
 * recorded, and the delegate is queued for their email.
 */
export function delegate(state: ApprovalState, input: DelegateInput, now: number): Handover {
  checkDelegation(state, input, now);
  const at = new Date(now).toISOString();
  const index = state.assignees.findIndex((p) => p.email === input.fromEmail.toLowerCase());
  const from = state.assignees[index]!;
  const to: Person = { ...input.to, email: input.to.email.toLowerCase() };
  state.assignees[index] = to;
  const handover: Handover = { from, to, reason: input.reason.trim(), kind: input.kind, at };
  (state.handovers ??= []).push(handover);
  (state.toNotify ??= []).push({ to, handover: state.handovers.length - 1 });
  state.events.push({ type: 'delegated', at, from: from.email, to: to.email, reason: handover.reason });
  return handover;
}

export function decide(state: ApprovalState, input: DecideInput, now: number): ApprovalDecision {
  checkDecision(state, input, now);
  const approver = state.assignees.find((p) => p.email === input.approverEmail.toLowerCase())!;
  const at = new Date(now).toISOString();
  state.decision = {
    outcome: input.decision === 'approve' ? 'approved' : 'rejected',
    ...(input.choice ? { choice: input.choice } : {}),
    by: approver,
    at,
    ...(input.comment?.trim() ? { comment: input.comment.trim() } : {}),
  };
  state.events.push({ type: 'decided', at, to: approver.email });
  return state.decision;
}

/**
 * The approver an escalation would add next, or undefined when the list is
 * exhausted. With `skipHolders`, approvers who hold the task already (a
 * delegate who is also further down the list) or handed it on (they gave it
 * away on purpose, e.g. for a conflict of interest) are passed over, so nobody
 * is assigned twice or handed back what they passed on; runs from before that
 * rule escalate in list order (see `runHumanTask`).
 */
export function nextApprover(state: ApprovalState, skipHolders = false): Person | undefined {
  const later = state.request.approvers.slice(state.level + 1);
  return skipHolders ? later.find((p) => !isAssignee(state, p.email) && !currentHolderAfter(state, p.email)) : later[0];
}

/** Assigns the next approver (see `nextApprover`) at their level of the list; undefined when there is none. */
export function escalate(state: ApprovalState, now: number, skipHolders = false): Person | undefined {
  const next = nextApprover(state, skipHolders);
  if (!next) return undefined;
  const at = new Date(now).toISOString();
  state.level = state.request.approvers.indexOf(next, state.level + 1);
  state.levelStartedAt = at;
  state.remindedAtLevel = false;
  state.assignees.push(next);
  state.events.push({ type: 'escalated', at, to: next.email });
  return next;
}

export function expire(state: ApprovalState, now: number): ApprovalDecision {
  const at = new Date(now).toISOString();
  state.decision = { outcome: 'rejected', by: null, at, comment: 'No decision before the deadline' };
  state.events.push({ type: 'expired', at });
  return state.decision;
}

export function markReminded(state: ApprovalState, now: number): void {
  state.remindedAtLevel = true;
  const at = new Date(now).toISOString();
  for (const p of state.assignees) state.events.push({ type: 'reminded', at, to: p.email });
}
