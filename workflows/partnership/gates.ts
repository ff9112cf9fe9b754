import { TASK_KINDS } from '../../domain/human-tasks/kinds';
import { executeChild, log, patched, setHandler } from '@temporalio/workflow';
import { decide, delegate, initialApprovalState, type ApprovalDecision, type ApprovalRequest } from '../../domain/human-tasks/approval-state';
import { durationMs } from '../../domain/durations';
import { addDocument, phaseDocumentFacts, type PhaseDocumentFacts } from '../../domain/partnership/document-facts';
import { applyApproval, checkGateDecision, checkGateDelegation, closeGateTask, gateTask, type GateEffect } from '../../domain/partnership/gates';
import { decisionCount } from '../../domain/partnership/carry-over';
import { phaseProgress } from '../../domain/partnership/checklist';
import { transitionRecord } from '../../domain/partnership/registry-record';
import type { PartnershipState, PendingTask } from '../../domain/partnership/state';
import { phaseLabel, type PhaseId } from '../../domain/partnership/phases';
import { approvalTimings } from '../../domain/reviews/partnership-reviews';
import { registry } from '../activity-proxies';
import { approvalWorkflow } from '../human-tasks/approval';
import { runHumanTask } from '../human-tasks/run-task';
import { patch } from '../patches';
import { enforce } from '../rule-failure';
import { decideGateUpdate, delegateGateUpdate, gateTaskQuery } from './messages';
import { notifyGateOutcome } from './outbox';
import { describeTask, publish, taskSaid } from './publish';
import { phase, said } from '../../domain/said';
import { nowIso, type AppliedGate, type PartnershipRun } from './run';

/**
 * The partnership's gates (guide II.2): a phase move or the manager's review
 * decision, put to the approvers and, once decided, applied with its side
 * effects (the closed phase's document, the registry record, the manager's
 * email). Since patch `gate-decided-on-partnership` the gate is a human task
 * the partnership holds itself, decided by the `decideGate` Update; runs
 * from before keep their approval child.
 */

/** The gate task's query and the approvers' Updates: `decideGate` applies the decision in the same workflow task. */
export function setGateHandlers(run: PartnershipRun): void {
  const { state } = run;
  setHandler(gateTaskQuery, (taskId) => gateTask(state, taskId) ?? null);
  setHandler(
    decideGateUpdate,
    ({ taskId, ...input }) => {
      const task = state.pendingTask!;
      const approval = task.approval!;
      const decision = decide(approval, input, Date.now());
      closeGateTask(state, approval);
      run.gateApplied = applyAtGate(run, () => ({ effect: applyApproval(state, toOutcome(decision)), task }));
      return { taskId, decision, phase: state.status === 'closed' ? null : state.phase, cycle: state.cycle, status: state.status, task: approval, language: state.input.language ?? null };
    },
    { validator: ({ taskId, ...input }) => enforce(() => void checkGateDecision(state, taskId, input, Date.now())) },
  );
  setHandler(
    delegateGateUpdate,
    ({ taskId, ...input }) => {
      const handover = delegate(checkGateDelegation(state, taskId, input, Date.now()), input, Date.now());
      publish(run);
      return handover;
    },
    { validator: ({ taskId, ...input }) => enforce(() => void checkGateDelegation(state, taskId, input, Date.now())) },
  );
}

/** Puts `task` to the approvers and applies their decision (or the deadline's) with its side effects. */
export async function runGate(run: PartnershipRun, task: PendingTask): Promise<GateEffect> {
  const { state } = run;
  if (patched(patch('gate-decided-on-partnership'))) return runGateOnPartnership(run, task);
  let decision: ApprovalDecision;
  try {
    decision = await executeChild(approvalWorkflow, {
      workflowId: task.id,
      args: [approvalRequestFor(state, task)],
      staticSummary: `${state.input.title}: ${describeTask(task)}`,
    });
  } catch (err) {
    // An operator terminated or cancelled the task: the request simply did not pass.
    log.warn('approval task ended without a decision', { taskId: task.id, err: String(err) });
    decision = { outcome: 'rejected', by: null, at: nowIso(), comment: 'The approval task ended without a decision' };
  }
  return passGate(run, () => ({ effect: applyApproval(state, toOutcome(decision)), task }));
}

/** The gate as a task of the partnership itself: `decideGate` applied it already, or no one decided before the deadline. */
async function runGateOnPartnership(run: PartnershipRun, task: PendingTask): Promise<GateEffect> {
  const { state } = run;
  task.approval ??= initialApprovalState(approvalRequestFor(state, task), Date.now(), durationMs(state.input.timings.deadline)!);
  const decision = await runHumanTask(task.approval, { viaDigest: false, ownerWorkflowId: state.id, onChange: () => publish(run) });
  const applied = run.gateApplied;
  run.gateApplied = undefined;
  if (applied) {
    await afterTransition(run, applied.effect, applied.task, applied.facts);
    return applied.effect;
  }
  // No one decided before the deadline: the task expired itself.
  closeGateTask(state, task.approval);
  return passGate(run, () => ({ effect: applyApproval(state, toOutcome(decision)), task }));
}

/**
 * Applies a gate decision and its side effects. The document of the closed
 * phase is built from the state as it stood at the gate (a new cycle resets
 * the checklist), with the decision just recorded.
 */
export async function passGate(run: PartnershipRun, apply: () => { effect: GateEffect; task: PendingTask }): Promise<GateEffect> {
  const { effect, task, facts } = applyAtGate(run, apply);
  await afterTransition(run, effect, task, facts);
  return effect;
}

/**
 * Applies a gate decision and republishes; answers what it did and the facts
 * of the closed phase's document, taken as the state stood at the gate.
 */
function applyAtGate(run: PartnershipRun, apply: () => { effect: GateEffect; task: PendingTask }): AppliedGate {
  const { state } = run;
  // What a new cycle resets; apply() replaces these (never mutates them), so a shallow copy keeps the gate's view.
  const beforeGate = { cycle: state.cycle, reviewNotes: state.reviewNotes, completions: state.completions };
  const fromPhase = state.phase;
  const { effect, task } = apply();
  publish(run);
  return { effect, task, facts: phaseDocumentFacts({ ...state, ...beforeGate }, fromPhase) };
}

/** Side effects of a gate: document, registry record, manager notification. Failures are logged, never fatal. */
export async function afterTransition(
  run: PartnershipRun,
  effect: GateEffect,
  task: PendingTask | null,
  atGate: PhaseDocumentFacts = phaseDocumentFacts(run.state, run.state.decisions[run.state.decisions.length - 1].fromPhase),
): Promise<void> {
  const { state } = run;
  const last = state.decisions[state.decisions.length - 1];
  const fromPhase: PhaseId = last.fromPhase;
  const createDocument = () =>
    registry.createPhaseDocument.executeWithOptions({ summary: `create ${phaseLabel(fromPhase)} document` }, [{ facts: atGate, phase: fromPhase, at: last.at }]);
  const recordGate = () =>
    registry.recordTransition.executeWithOptions({ summary: 'record the decision in the registry' }, [
      { id: `${state.id}.decision-${decisionCount(state)}`, record: transitionRecord(state.id, atGate.cycle, last) },
    ]);
  const documentFailed = (err: unknown) => log.error('writing the phase document failed; the partnership goes on', { err: String(err), taskId: task?.id });
  const recordFailed = (err: unknown) => log.error('recording the gate failed; the partnership goes on', { err: String(err), taskId: task?.id });
  if (patched(patch('gate-side-effects-together'))) {
    // Each side effect is tried on its own: a document that cannot be written must not cost the registry its record.
    const written = Promise.all([
      last.outcome === 'approved' ? createDocument().then((doc) => addDocument(state, doc), documentFailed) : undefined,
      recordGate().catch(recordFailed),
    ]);
    notifyGateOutcome(run, effect, task, last);
    await written;
    publish(run);
    return;
  }
  // Runs from before the patch, awaited exactly as they were recorded: replay follows the order of the workflow's
  // promise continuations, so these awaits must stay where they are.
  let failed = false;
  if (last.outcome === 'approved') {
    try {
      addDocument(state, await createDocument());
    } catch (err) {
      documentFailed(err);
      failed = true;
    }
  }
  if (!failed || patched(patch('gate-recorded-after-failed-document'))) {
    try {
      await recordGate();
    } catch (err) {
      recordFailed(err);
    }
  }
  publish(run);
  notifyGateOutcome(run, effect, task, last);
}

function toOutcome(d: ApprovalDecision) {
  return { outcome: d.outcome, decidedBy: d.by, at: d.at, ...(d.comment ? { comment: d.comment } : {}) };
}

/** What the approvers are asked: the task, the partnership's goal and checklist progress, the requester's notes. */
function approvalRequestFor(state: PartnershipState, task: PendingTask): ApprovalRequest {
  const progress = phaseProgress(state);
  return {
    taskId: task.id,
    partnershipId: state.id,
    partnershipTitle: state.input.title,
    taskKind: task.kind === 'review' ? TASK_KINDS.reviewDecision.id : TASK_KINDS.gate.id,
    summary: taskSaid(task, 'request'),
    details: [
      said('pages:request.goal', { goal: state.input.goal }),
      said('pages:request.progress', { cycle: state.cycle, phase: phase(state.phase), done: progress.done, total: progress.total }),
      ...(task.notes ? [said('pages:request.notesFrom', { who: task.requestedBy, notes: task.notes })] : []),
    ],
    requestedBy: task.requestedBy,
    approvers: state.input.approvers,
    timings: approvalTimings(state),
  };
}
