import { getExternalWorkflowHandle, log, ParentClosePolicy, patched, setHandler, startChild } from '@temporalio/workflow';
import { governanceDecisionReadiness } from '../../domain/reviews/review-gates';
import type { GateEffect } from '../../domain/partnership/gates';
import type { PendingTask } from '../../domain/partnership/state';
import { applyReviewResult, checkStartReview, startReview } from '../../domain/reviews/partnership-reviews';
import { patch } from '../patches';
import { reviewCompletedSignal } from '../reviews/messages';
import { reflectiveReviewWorkflow } from '../reviews/reflective-review';
import { enforce } from '../rule-failure';
import { reviewDecidedByPartnershipSignal, startReviewUpdate } from './messages';
import { notifyManager } from './outbox';
import { item, said, status } from '../../domain/said';
import { publish } from './publish';
import { nowIso, type PartnershipRun } from './run';

/**
 * The partnership's periodic reviews (guide II.2.D): each is a child
 * workflow that may outlive this run and reports back by signal; the
 * partnership starts one on request or by its cadence, takes its result,
 * and tells an open one when the manager's own review decision passed the
 * gate.
 */

/** `startReview` and the review's report back (`reviewCompleted`). */
export function setReviewHandlers(run: PartnershipRun): void {
  const { state } = run;
  setHandler(
    startReviewUpdate,
    async ({ by }) => {
      await launchReview(run, by ?? state.input.manager.name);
      return state.reviews[state.reviews.length - 1];
    },
    { validator: (_req) => enforce(() => checkStartReview(state)) },
  );
  setHandler(reviewCompletedSignal, (outcome) => {
    applyReviewResult(state, outcome);
    publish(run);
    const waiting = governanceDecisionReadiness(state);
    if (state.governanceDecision && !waiting.ready && patched(patch('governance-decision-needs-checklist'))) {
      const decision = status(state.governanceDecision.decision);
      notifyManager(run, `${outcome.reviewId}/decision-waits`, said('emails:notice.decisionWaits', { decision }), [
        said('emails:notice.decisionWaitsLine', { decision, count: waiting.missing.length }),
        ...waiting.missing.map((m) => said('emails:said.checklistItem', { item: item(m.id) })),
      ]);
    }
    const ref = state.reviews.find((r) => r.id === outcome.reviewId);
    const d = outcome.decision;
    const number = ref?.number ?? '';
    notifyManager(run, `${outcome.reviewId}/completed`, d ? said('emails:notice.reviewDecided', { number, decision: status(d.decision) }) : said('emails:notice.reviewUndecided', { number }), [
      said('emails:notice.answered', { answered: outcome.answered, asked: outcome.asked }),
      outcome.report ? said('emails:notice.reportReady', { title: outcome.report.title }) : said('emails:notice.reportMissing'),
      d
        ? d.notes
          ? said('emails:notice.governanceNotes', { decision: status(d.decision), by: d.by, notes: d.notes })
          : said('emails:notice.governance', { decision: status(d.decision), by: d.by })
        : said('emails:notice.noGovernance'),
    ]);
  });
}

/** Starts the next review (if none is running) as a child that reports back by signal and may outlive this run. */
export async function launchReview(run: PartnershipRun, by: string): Promise<void> {
  const { state } = run;
  if (state.reviews.some((r) => r.status === 'in-progress') || state.status === 'closed') return;
  const request = startReview(state, by, nowIso());
  publish(run);
  await startChild(reflectiveReviewWorkflow, {
    workflowId: request.reviewId,
    staticSummary: `${state.input.title}: review ${request.number} (cycle ${request.cycle})`,
    parentClosePolicy: ParentClosePolicy.ABANDON,
    args: [request],
  });
  // State only (no command): replays the same, and the read model shows the review from now on.
  const ref = state.reviews.find((r) => r.id === request.reviewId);
  if (ref) ref.opened = true;
}

/**
 * The manager's review decision passed the gate while a review of this
 * partnership was still open: that review takes the decision as its own and
 * withdraws its approvers' task (patch `review-decided-by-gate`). An exit
 * is told by the closing instead (`closeOpenWork`).
 */
export async function tellOpenReviewsOfDecision(run: PartnershipRun, task: PendingTask, effect: GateEffect): Promise<void> {
  const { state } = run;
  if (task.kind !== 'review' || !task.proposedDecision || effect.type === 'stayed' || effect.type === 'closed') return;
  const open = state.reviews.filter((r) => r.status === 'in-progress');
  if (open.length === 0 || !patched(patch('review-decided-by-gate'))) return;
  const decided = { decision: task.proposedDecision, ...(task.notes ? { notes: task.notes } : {}), by: task.requestedBy, at: nowIso() };
  await Promise.all(
    open.map((r) =>
      getExternalWorkflowHandle(r.id)
        .signal(reviewDecidedByPartnershipSignal, decided)
        .catch((err: unknown) => log.warn('the open review did not take the decision (ended already?)', { reviewId: r.id, err: String(err) })),
    ),
  );
}
