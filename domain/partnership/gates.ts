import { catalogueItem, FIRST_EDITION, type CatalogueEdition } from './catalogue';
import { nextPhase, type PhaseId } from './phases';
import { checkDecision, checkDelegation, type ApprovalState, type DecideInput, type DelegateInput } from '../human-tasks/approval-state';
import { RuleError } from '../rule-error';
import { phase, said, type Said } from '../said';
import type { Person } from '../schemas';
import { assertOpen, type PartnershipState, type PendingTask } from './state';
import { missingItems } from './checklist';
import { MIN_COUNTED_GROUPS, MIN_PARTNERS, multiStakeholderCheck, type MultiStakeholderCheck } from '../partners/stakeholders';
import { unfundedActivities } from '../resources/funding-summary';

/**
 * The gates between phases (guide II.2): the checks and the request of an
 * advance, the human task that decides a gate (held by the partnership, with
 * the last decided ones kept for late clicks), and what an approvers' answer
 * changes — a move to the next phase, a new cycle or the close. The review
 * gates out of reflective monitoring (../reviews/review-gates.ts) build on
 * `assertCanRequestGate`, `nextTaskId` and `applyApproval`.
 */

export interface ApprovalOutcome {
  outcome: 'approved' | 'rejected';
  decidedBy: Person | null;
  at: string;
  comment?: string;
}

export type GateEffect =
  | { type: 'stayed' }
  | { type: 'moved'; from: PhaseId; to: PhaseId }
  | { type: 'new-cycle'; cycle: number }
  | { type: 'closed' };

/**
 * What every gate request needs: open, nothing pending, the checklist done (only `edition`'s items when given).
 * @throws RuleError Conflict `refusals:partnership.closed` | `refusals:gate.pending` | `refusals:gate.checklistIncomplete` {count, phase}
 */
export function assertCanRequestGate(state: PartnershipState, edition?: CatalogueEdition): void {
  assertOpen(state);
  if (state.pendingTask) {
    throw new RuleError('Conflict', said('refusals:gate.pending'), {
      taskId: state.pendingTask.id,
    });
  }
  const missing = missingItems(state, edition);
  if (missing.length > 0) {
    throw new RuleError('Conflict', said('refusals:gate.checklistIncomplete', { count: missing.length, phase: phase(state.phase) }), { missingItems: missing.map((m) => m.id) });
  }
}

/**
 * What every advance needs, now and in every past version: open, nothing
 * pending, checklist done. Handlers pass FIRST_EDITION: items added to the
 * catalogue later are checked by the validator only, so a recorded advance
 * that was accepted with fewer items still replays.
 */
function checkAdvanceBasics(state: PartnershipState, edition?: CatalogueEdition): void {
  if (state.phase === 'reflective-monitoring' && state.status !== 'closed') {
    throw new RuleError('Conflict', said('refusals:gate.reviewInsteadOfAdvance'));
  }
  assertCanRequestGate(state, edition);
}

/**
 * The full check, run by the Update validator. Policy rules added over time
 * (like the multi-stakeholder rule) live only here: validators are not
 * replayed, so histories of advances accepted before a rule existed still
 * replay. Handlers re-check only `checkAdvanceBasics`.
 * @throws RuleError Conflict `refusals:gate.reviewInsteadOfAdvance` | `refusals:gate.notMultiStakeholder.*` | `refusals:gate.unfunded` {count, titles}, and `assertCanRequestGate`'s
 */
export function checkAdvance(state: PartnershipState): void {
  checkAdvanceBasics(state);
  if (state.phase === 'adaptive-planning') {
    const check = multiStakeholderCheck(state.stakeholders);
    if (!check.met) {
      throw new RuleError('Conflict', notMultiStakeholder(check), {
        multiStakeholder: check,
      });
    }
    const unfunded = unfundedActivities(state);
    if (unfunded.length > 0) {
      throw new RuleError('Conflict', said('refusals:gate.unfunded', { count: unfunded.length, titles: unfunded.map((a) => `“${a.title}”`).join(', ') }), { unfundedActivities: unfunded.map((a) => a.id) });
    }
  }
}

/** What the multi-stakeholder rule still needs (`refusals:gate.notMultiStakeholder.<partners|groups|both>`), in counts. */
function notMultiStakeholder(check: MultiStakeholderCheck): Said {
  const partners = Math.max(0, MIN_PARTNERS - check.activePartners);
  const groups = Math.max(0, MIN_COUNTED_GROUPS - check.countedGroups.length);
  if (partners && groups) return said('refusals:gate.notMultiStakeholder.both', { partners, groups });
  return partners ? said('refusals:gate.notMultiStakeholder.partners', { count: partners }) : said('refusals:gate.notMultiStakeholder.groups', { count: groups });
}

/** The next gate task's id, unique and deterministic: `<msp id>.c<cycle>.<phase>.task-<n>`, counting `taskSeq`. */
export function nextTaskId(state: PartnershipState): string {
  state.taskSeq += 1;
  return `${state.id}.c${state.cycle}.${state.phase}.task-${state.taskSeq}`;
}

/** The partnership a gate task id (`<msp id>.c<cycle>.<phase>.task-<n>`, see nextTaskId) belongs to; undefined for other ids. */
export function gateTaskOwner(taskId: string): string | undefined {
  return /^(msp-[a-z0-9]+(?:-[a-z0-9]+)*)\.c\d+\.[a-z-]+\.task-\d+$/.exec(taskId)?.[1];
}

export function requestAdvance(state: PartnershipState, requestedBy: string, now: string, notes?: string): PendingTask {
  checkAdvanceBasics(state, FIRST_EDITION);
  const task: PendingTask = {
    id: nextTaskId(state),
    kind: 'advance',
    fromPhase: state.phase,
    toPhase: nextPhase(state.phase)!,
    requestedBy,
    requestedAt: now,
    ...(notes ? { notes } : {}),
  };
  state.pendingTask = task;
  state.status = 'awaiting-approval';
  return task;
}

/** How many decided gate tasks the partnership keeps, so a late or repeated click hears who decided. */
export const CLOSED_TASKS_KEPT = 10;

/** A gate task of this partnership, open or among the last decided ones; undefined if it has none by that id. */
export function gateTask(state: PartnershipState, taskId: string): ApprovalState | undefined {
  if (state.pendingTask?.id === taskId && state.pendingTask.approval) return state.pendingTask.approval;
  return (state.closedTasks ?? []).find((t) => t.request.taskId === taskId);
}

/**
 * The gate decision's validator: the task is this partnership's, open, and
 * the person is an assignee before the deadline (`checkDecision`). A decided
 * task answers who decided and when.
 *
 * @throws RuleError NotFound (no such task here), Conflict (decided), Forbidden (not assigned), Expired, Invalid
 */
export function checkGateDecision(state: PartnershipState, taskId: string, input: DecideInput, now: number): ApprovalState {
  const task = knownGateTask(state, taskId);
  checkDecision(task, input, now);
  return task;
}

/** The validator's check of a gate's hand-over (see `checkDelegation`). @throws RuleError NotFound and those of `checkDelegation` */
export function checkGateDelegation(state: PartnershipState, taskId: string, input: DelegateInput, now: number): ApprovalState {
  const task = knownGateTask(state, taskId);
  checkDelegation(task, input, now);
  return task;
}

function knownGateTask(state: PartnershipState, taskId: string): ApprovalState {
  const task = gateTask(state, taskId);
  if (!task) throw new RuleError('NotFound', said('refusals:task.notFound', { task: taskId, owner: state.id }));
  return task;
}

/** Keeps a decided gate task among the last CLOSED_TASKS_KEPT, for late clicks and their pages. */
export function closeGateTask(state: PartnershipState, task: ApprovalState): void {
  state.closedTasks = [...(state.closedTasks ?? []).filter((t) => t.request.taskId !== task.request.taskId), task].slice(-CLOSED_TASKS_KEPT);
}

/** Applies the approvers' answer to the pending task and says what changed. */
export function applyApproval(state: PartnershipState, result: ApprovalOutcome, byLabel?: string): GateEffect {
  const task = state.pendingTask;
  if (!task) throw new RuleError('Conflict', said('refusals:gate.nothingPending'));
  state.pendingTask = undefined;
  state.status = 'active';
  state.decisions.push({
    taskId: task.id,
    kind: task.kind,
    cycle: state.cycle,
    fromPhase: task.fromPhase,
    toPhase: task.toPhase,
    outcome: result.outcome,
    ...(task.proposedDecision ? { proposedDecision: task.proposedDecision } : {}),
    by: byLabel ?? (result.decidedBy ? `${result.decidedBy.name} <${result.decidedBy.email}>` : 'deadline (no decision)'),
    at: result.at,
    ...(result.comment ? { comment: result.comment } : {}),
    ...(task.approval?.handovers?.length
      ? {
          handovers: task.approval.handovers.map((h) => ({
            from: `${h.from.name} <${h.from.email}>`,
            to: `${h.to.name} <${h.to.email}>`,
            reason: h.reason,
            kind: h.kind,
            at: h.at,
          })),
        }
      : {}),
  });
  if (result.outcome === 'rejected') return { type: 'stayed' };

  if (task.kind === 'advance') {
    enterPhase(state, task.toPhase!, result.at);
    return { type: 'moved', from: task.fromPhase, to: task.toPhase! };
  }
  if (task.proposedDecision === 'exit') {
    state.status = 'closed';
    state.closedAt = result.at;
    return { type: 'closed' };
  }
  startNextCycle(state, result.at, task.proposedDecision === 'adapt' ? task.notes : undefined);
  return { type: 'new-cycle', cycle: state.cycle };
}

/** The partnership enters `phase` at `now` (an ISO instant). */
export function enterPhase(state: PartnershipState, phase: PhaseId, now: string): void {
  state.phase = phase;
  state.phaseEnteredAt = now;
}

/** A new cycle revisits planning, action and monitoring; initiating stays done. */
export function startNextCycle(state: PartnershipState, now: string, reviewNotes?: string): void {
  state.cycle += 1;
  state.completions = state.completions.filter((c) => catalogueItem(c.itemId)?.phase === 'initiating');
  state.reviewNotes = reviewNotes;
  enterPhase(state, 'adaptive-planning', now);
}
