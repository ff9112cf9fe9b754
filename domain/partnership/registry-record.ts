import { nextPhase, type PhaseId } from './phases';
import type { TransitionRecord } from './schemas';
import type { DecisionRecord, ReviewDecision } from './state';
import { reviewDecisionTarget } from '../reviews/review-gates';

/**
 * A gate's decision as the registry keeps it (a transition,
 * `PUT /api/registry/transitions/<id>`) and read back: what the read model
 * shows for decisions a run no longer carries (see ./carry-over.ts).
 */

/**
 * The phase a gate asked for, whatever its outcome: what a decision's
 * `toPhase` holds. The next phase for an advance (null from reflective
 * monitoring, which has none), where the proposed decision leads for a review
 * (null for "exit" or when none is given), reflective monitoring for the
 * scheduled review. The registry keeps a phase only for a move, so the read
 * model rebuilds a rejected decision's from this.
 */
export function gateTarget(kind: DecisionRecord['kind'], fromPhase: PhaseId, proposedDecision?: ReviewDecision): PhaseId | null {
  if (kind === 'scheduled-review') return 'reflective-monitoring';
  if (kind === 'review') return proposedDecision ? reviewDecisionTarget(proposedDecision) : null;
  return nextPhase(fromPhase) ?? null;
}

/**
 * What the registry keeps of a decision (`PUT /api/registry/transitions/<id>`,
 * `TransitionRecordSchema`): the phase it moved to (null when it stayed), the
 * outcome with the proposed review decision (`rejected:adapt`), and the kind,
 * comment and hand-overs the timeline shows. `decisionFromTransition` reads it
 * back as the same decision.
 *
 * @param cycle the cycle the gate was decided in (the document's, for a gate that started a new one)
 */
export function transitionRecord(partnershipId: string, cycle: number, d: DecisionRecord): TransitionRecord {
  return {
    partnershipId,
    cycle,
    fromPhase: d.fromPhase,
    toPhase: d.outcome === 'approved' ? d.toPhase : null,
    outcome: d.proposedDecision ? `${d.outcome}:${d.proposedDecision}` : d.outcome,
    decidedBy: d.by,
    decidedAt: d.at,
    taskId: d.taskId,
    kind: d.kind,
    ...(d.comment ? { comment: d.comment } : {}),
    ...(d.handovers?.length ? { handovers: d.handovers } : {}),
  };
}

/**
 * A decision as the registry recorded it (see `transitionRecord`), for the
 * read model's decisions a run no longer carries. A record from before the
 * registry kept the kind (migration 0005-transition-details) has neither
 * comment nor hand-overs; its kind is told from the rest: only the periodic
 * review has no task, only a review decision a proposed decision.
 */
export function decisionFromTransition(r: TransitionRecord): DecisionRecord {
  const [outcome, proposed] = r.outcome.split(':') as [DecisionRecord['outcome'], ReviewDecision | undefined];
  const kind = r.kind ?? (r.taskId === null ? 'scheduled-review' : proposed ? 'review' : 'advance');
  return {
    taskId: r.taskId,
    kind,
    cycle: r.cycle,
    fromPhase: r.fromPhase,
    // The registry's to_phase is where the partnership moved (null when it stayed); a decision's toPhase is what the gate asked for.
    toPhase: r.toPhase ?? (outcome === 'rejected' ? gateTarget(kind, r.fromPhase, proposed) : null),
    outcome,
    ...(proposed ? { proposedDecision: proposed } : {}),
    by: r.decidedBy,
    at: r.decidedAt,
    ...(r.comment ? { comment: r.comment } : {}),
    ...(r.handovers?.length ? { handovers: r.handovers } : {}),
  };
}
