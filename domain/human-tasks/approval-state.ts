import { RuleError } from '../rule-error';
import { at, said, status, type Said, type Text } from '../said';
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
  /** What kind of task this is: a code of the registry (domain/human-tasks/kinds), e.g. "partner-approval". */
  taskKind: string;
  /**
   * Written by runs from before the task-kind registry instead of `taskKind`
   * ("advance": a gate; "review": a review decision) — and, wrongly, "advance"
   * on partner and channel approvals, which carried `taskKind` only from
   * 2026-11-29 (test/histories/*-before-withdrawal-cancels-approval.json and
   * *-before-channel-closes-with-partnership.json hold ones without it).
   * Read only through `approvalTaskKind`.
   */
  kind?: 'advance' | 'review';
  /** One line, e.g. `said('pages:request.move', { from: phase('initiating'), to: phase('adaptive-planning') })`; English text on tasks of runs from before codes. */
  summary: Text;
  /** Lines shown on the task page and in the email (codes; English text on older tasks). */
  details: Text[];
  requestedBy: string;
  approvers: Person[];
  timings: Pick<Timings, 'reminderAfter' | 'escalateAfter' | 'deadline' | 'onDeadline'>;
  /** A choice among options instead of approve/reject (e.g. a governance decision: continue, adapt, exit). */
  choices?: string[];
  /** Choices that need a comment (e.g. "adapt" needs the notes of what to adapt). */
  choicesNeedingComment?: string[];
  /** For a partner approval: the facts to decide on, structured (the same facts are in `details` as text). */
  partner?: PartnerApprovalFacts;
}

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

/** Ids of partner and channel approvals (`<onboarding id>.approval-<n>`, `<channel id>.approval`), which older runs also sent as "advance". */
const LEGACY_PARTNER_APPROVAL_ID = /\.partner\.[a-z0-9-]+(?:\.invitation-\d+)?\.approval-\d+$/;
const LEGACY_CHANNEL_APPROVAL_ID = /\.funding\.[a-z0-9-]+\.v\d+\.approval$/;

/**
 * The task's kind (a registry code, written to `MspTaskKind`): its `taskKind`,
 * or for a task from before the registry that has none, a review decision by
 * its legacy `kind`, a partner or channel approval by its id (those were sent
 * as "advance" too), else a gate.
 */
export function approvalTaskKind(request: Pick<ApprovalRequest, 'taskKind' | 'kind' | 'taskId'>): string {
  const written = request.taskKind as string | undefined;
  if (written) return written;
  if (request.kind === 'review') return 'review-decision';
  if (LEGACY_PARTNER_APPROVAL_ID.test(request.taskId)) return 'partner-approval';
  if (LEGACY_CHANNEL_APPROVAL_ID.test(request.taskId)) return 'funding-channel';
  return 'gate';
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
  if (request.approvers.length === 0) throw new RuleError('Invalid', said('refusals:task.noApprover'));
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

/**
 * The validator's check of a decision: not decided already, by someone who
 * holds the task, before its deadline, with a comment where one is needed.
 *
 * @throws RuleError Conflict `refusals:task.alreadyDecided` {outcome, by, at}
 * @throws RuleError Forbidden `refusals:task.handedOver` | `refusals:task.notYours` (see `refuseUnlessAssignee`)
 * @throws RuleError Expired `refusals:task.expired` {at}
 * @throws RuleError Invalid `refusals:task.commentNeeded` | `refusals:task.chooseOne` | `refusals:task.choiceNeedsComment` {choice}
 */
export function checkDecision(state: ApprovalState, input: DecideInput, now: number): void {
  if (state.decision) throw new RuleError('Conflict', alreadyDecided(state.decision));
  refuseUnlessAssignee(state, input.approverEmail);
  if (now > Date.parse(state.deadlineAt)) {
    throw new RuleError('Expired', said('refusals:task.expired', { at: at(state.deadlineAt) }));
  }
  if (input.decision === 'reject' && !input.comment?.trim()) {
    throw new RuleError('Invalid', said('refusals:task.commentNeeded'));
  }
  const choices = state.request.choices;
  if (choices) {
    if (!input.choice || !choices.includes(input.choice)) throw new RuleError('Invalid', said('refusals:task.chooseOne'), { choices });
    if (state.request.choicesNeedingComment?.includes(input.choice) && !input.comment?.trim()) {
      throw new RuleError('Invalid', said('refusals:task.choiceNeedsComment', { choice: status(input.choice) }));
    }
  }
}

/**
 * "This request was already decided: approved by Ari Approver on <when>"
 * (`refusals:task.alreadyDecided` {outcome, by, at}) — the refusal every later
 * answer to a decided task gets (the validator's and the task page's); one
 * that nobody decided before its deadline is `refusals:task.decidedAtDeadline` {outcome, at}.
 */
export function alreadyDecided(decision: ApprovalDecision): Said {
  if (!decision.by) return said('refusals:task.decidedAtDeadline', { outcome: status(decision.outcome), at: at(decision.at) });
  return said('refusals:task.alreadyDecided', { outcome: status(decision.outcome), by: decision.by.name, at: at(decision.at) });
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
 * @throws RuleError Forbidden `refusals:task.handedOver` {to, holder} (names) | `refusals:task.notYours`
 */
export function refuseUnlessAssignee(state: ApprovalState, email: string): void {
  if (isAssignee(state, email)) return;
  const after = currentHolderAfter(state, email);
  if (after) {
    throw new RuleError('Forbidden', said('refusals:task.handedOver', { to: after.handover.to.name, holder: after.holder.name }));
  }
  throw new RuleError('Forbidden', said('refusals:task.notYours'));
}

/**
 * Checks a hand-over: the task is open and not past its deadline, `fromEmail`
 * holds it, the delegate is someone else who does not hold it already, and a
 * reason is given (the audit keeps it).
 * @throws RuleError Conflict `refusals:task.decidedNothingToHandOver` | `refusals:task.alreadyHolds` | `refusals:task.tooManyHandovers`
 * @throws RuleError Forbidden (see `refuseUnlessAssignee`) | Expired `refusals:task.expired`
 * @throws RuleError Invalid `refusals:task.handoverReason` | `refusals:task.handoverToSelf`
 */
export function checkDelegation(state: ApprovalState, input: DelegateInput, now: number): void {
  if (state.decision) throw new RuleError('Conflict', said('refusals:task.decidedNothingToHandOver', { at: at(state.decision.at) }));
  refuseUnlessAssignee(state, input.fromEmail);
  if (now > Date.parse(state.deadlineAt)) throw new RuleError('Expired', said('refusals:task.expired', { at: at(state.deadlineAt) }));
  if (!input.reason.trim()) throw new RuleError('Invalid', said('refusals:task.handoverReason'));
  const to = input.to.email.toLowerCase();
  if (to === input.fromEmail.toLowerCase()) throw new RuleError('Invalid', said('refusals:task.handoverToSelf'));
  if (isAssignee(state, to)) throw new RuleError('Conflict', said('refusals:task.alreadyHolds', { name: input.to.name }));
  if ((state.handovers?.length ?? 0) >= MAX_HANDOVERS) throw new RuleError('Conflict', said('refusals:task.tooManyHandovers', { count: MAX_HANDOVERS }));
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
