import { FIRST_EDITION, type CatalogueEdition, type CatalogueItem } from '../partnership/catalogue';
import type { PhaseId } from '../partnership/phases';
import { RuleError } from '../rule-error';
import { phase, said } from '../said';
import type { ReviewDecisionRequest } from './schemas';
import { assertOpen, type PartnershipState, type PendingTask, type ReviewDecision } from '../partnership/state';
import { missingItems } from '../partnership/checklist';
import { applyApproval, assertCanRequestGate, enterPhase, nextTaskId, type GateEffect } from '../partnership/gates';

/**
 * The gates into and out of reflective monitoring (guide II.2.D): the review
 * cadence that starts the periodic review, the review decision (continue,
 * adapt or exit) a manager requests, and the governance decision a review
 * takes, which passes the same checklist rule. Pure functions on
 * `PartnershipState`, beside the advance gates of ../partnership/gates.ts.
 */

export function reviewDecisionTarget(decision: ReviewDecision): PhaseId | null {
  return decision === 'exit' ? null : 'adaptive-planning';
}

/**
 * The validator's check (every item); the handler passes FIRST_EDITION, as for advances.
 * @throws RuleError Conflict `refusals:review.decisionOutsideReflective` {phase}, and what `assertCanRequestGate` refuses
 */
export function checkReviewDecision(state: PartnershipState, edition?: CatalogueEdition): void {
  assertOpen(state);
  if (state.phase !== 'reflective-monitoring') {
    throw new RuleError('Conflict', said('refusals:review.decisionOutsideReflective', { phase: phase(state.phase) }));
  }
  assertCanRequestGate(state, edition);
}

export function requestReviewDecision(
  state: PartnershipState,
  req: ReviewDecisionRequest,
  requestedBy: string,
  now: string,
): PendingTask {
  checkReviewDecision(state, FIRST_EDITION);
  const task: PendingTask = {
    id: nextTaskId(state),
    kind: 'review',
    fromPhase: state.phase,
    toPhase: reviewDecisionTarget(req.decision),
    proposedDecision: req.decision,
    requestedBy,
    requestedAt: now,
    ...(req.notes ? { notes: req.notes } : {}),
  };
  state.pendingTask = task;
  state.status = 'awaiting-approval';
  return task;
}

/** The review cadence fired during collaborative action: the periodic review begins. */
export function startScheduledReview(state: PartnershipState, now: string): GateEffect {
  if (state.status !== 'active' || state.phase !== 'collaborative-action') return { type: 'stayed' };
  state.decisions.push({
    taskId: null,
    kind: 'scheduled-review',
    cycle: state.cycle,
    fromPhase: state.phase,
    toPhase: 'reflective-monitoring',
    outcome: 'approved',
    by: 'review cadence',
    at: now,
  });
  enterPhase(state, 'reflective-monitoring', now);
  return { type: 'moved', from: 'collaborative-action', to: 'reflective-monitoring' };
}

/**
 * Whether a review's governance decision may move the partnership now: the
 * same checklist rule as the manager's own request (`missingItems`), so the two
 * ways out of reflective monitoring pass one gate check. Until it is met the
 * decision waits; the answer names what is missing.
 */
export function governanceDecisionReadiness(state: PartnershipState): { ready: boolean; missing: CatalogueItem[] } {
  if (!state.governanceDecision) return { ready: false, missing: [] };
  const missing = missingItems(state);
  return { ready: missing.length === 0, missing };
}

export function applyGovernanceDecision(state: PartnershipState): { effect: GateEffect; task: PendingTask } {
  const g = state.governanceDecision!;
  state.governanceDecision = undefined;
  const task: PendingTask = {
    id: `${g.reviewId}.decision`,
    kind: 'review',
    fromPhase: state.phase,
    toPhase: reviewDecisionTarget(g.decision),
    proposedDecision: g.decision,
    requestedBy: 'governance (review)',
    requestedAt: g.at,
    ...(g.notes ? { notes: g.notes } : {}),
  };
  state.pendingTask = task;
  const effect = applyApproval(state, { outcome: 'approved', decidedBy: null, at: g.at, ...(g.notes ? { comment: g.notes } : {}) }, g.by);
  return { effect, task };
}

export function nextReviewAt(state: PartnershipState, reviewEveryMs: number): string | undefined {
  return state.phase === 'collaborative-action' ? new Date(Date.parse(state.phaseEnteredAt) + reviewEveryMs).toISOString() : undefined;
}
