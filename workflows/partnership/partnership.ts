import { allHandlersFinished, condition, continueAsNew, getExternalWorkflowHandle, log, patched, workflowInfo } from '@temporalio/workflow';
import { durationMs } from '../../domain/durations';
import { closingReason, openWorkOf } from '../../domain/partnership/open-work';
import { applyGovernanceDecision, governanceDecisionReadiness, startScheduledReview } from '../../domain/reviews/review-gates';
import { carryOver, decisionCount, normaliseCarried } from '../../domain/partnership/carry-over';
import { initialState } from '../../domain/partnership/state';
import { TREND_REVIEWS } from '../../domain/reviews/partnership-reviews';
import { patch } from '../patches';
import { afterTransition, passGate, runGate, setGateHandlers } from './gates';
import { setPartnershipHandlers } from './handlers';
import { partnershipClosedSignal, type PartnershipSummary, type PartnershipWorkflowInput } from './messages';
import { notify, settleNotifications } from './outbox';
import { setPartnerHandlers } from './partner-handlers';
import { publish, searchAttributesToWrite } from './publish';
import { setResourceHandlers } from './resource-handlers';
import { launchReview, setReviewHandlers, tellOpenReviewsOfDecision } from './review-handlers';
import { newRun, nowIso, type PartnershipRun } from './run';
import { searchAttributesFingerprint } from './search-attributes';

/**
 * One Multi-Stakeholder Partnership, for its whole life: the phase loop of
 * guide II.2. Checklist items are completed through Updates; every phase gate
 * is a human task the partnership holds (gates.ts); each new review cycle
 * continues-as-new with the state carried over, so history stays bounded
 * however long the partnership lives. The run's state is one object
 * (`PartnershipRun`, run.ts) made here and handed to the handlers, the gate
 * runners, the outbox and publishing.
 */
export async function partnershipWorkflow(args: PartnershipWorkflowInput): Promise<PartnershipSummary> {
  const state = args.carried ? normaliseCarried(args.carried, args.input) : initialState(args.id, args.input, args.startedAt ?? nowIso());
  const run = newRun(state);
  // An API that passes startedAt has set the initial search attributes itself (the same function, the same state).
  if (args.startedAt && !args.carried) run.lastPublished = searchAttributesFingerprint(searchAttributesToWrite(state));

  setPartnershipHandlers(run);
  setPartnerHandlers(run);
  setResourceHandlers(run);
  setGateHandlers(run);
  setReviewHandlers(run);

  // Decided once per run: a run replayed from before the patch keeps applying decisions at once, as it did.
  const governanceNeedsChecklist = patched(patch('governance-decision-needs-checklist'));
  publish(run);
  // Notifications the previous run could not finish (see outbox.ts).
  for (const n of state.outbox ?? []) notify(run, n);
  const reviewEveryMs = durationMs(state.input.timings.reviewEvery)!;

  while (state.status !== 'closed') {
    const reviewAt =
      state.phase === 'collaborative-action' ? Date.parse(state.phaseEnteredAt) + reviewEveryMs : undefined;
    const governanceReady = () => state.governanceDecision !== undefined && (!governanceNeedsChecklist || governanceDecisionReadiness(state).ready);
    const woken = () => state.pendingTask !== undefined || governanceReady() || workflowInfo().continueAsNewSuggested;
    if (reviewAt === undefined) {
      await condition(woken);
    } else {
      const waitMs = reviewAt - Date.now();
      if (waitMs > 0) await condition(woken, waitMs, { summary: 'wait for the next periodic review' });
    }

    if (state.pendingTask) {
      const task = state.pendingTask;
      const effect = await runGate(run, task);
      await tellOpenReviewsOfDecision(run, task, effect);
      if (effect.type === 'new-cycle') break;
      if (effect.type === 'moved' && effect.to === 'reflective-monitoring' && patched(patch('auto-review-on-monitoring'))) await launchReview(run, 'review cadence');
    } else if (governanceReady()) {
      // The governance approvers decided in a review: apply it as an approved review decision.
      const effect = await passGate(run, () => applyGovernanceDecision(state));
      if (effect.type === 'new-cycle') break;
    } else if (reviewAt !== undefined && Date.now() >= reviewAt) {
      const effect = startScheduledReview(state, nowIso());
      publish(run);
      await afterTransition(run, effect, null);
      if (patched(patch('auto-review-on-monitoring'))) await launchReview(run, 'review cadence');
    } else if (workflowInfo().continueAsNewSuggested) {
      break;
    }
  }

  if (state.status !== 'closed') {
    // A new cycle (or a long history) starts a fresh run with the state carried over.
    await settleNotifications(run);
    await condition(allHandlersFinished);
    return continueAsNew<typeof partnershipWorkflow>({ id: state.id, input: state.input, carried: carryOver(state, TREND_REVIEWS) });
  }

  if (patched(patch('open-work-closes-with-partnership'))) await closeOpenWork(run);
  await settleNotifications(run);
  await condition(allHandlersFinished);
  return {
    id: state.id,
    title: state.input.title,
    cycles: state.cycle,
    closedAt: state.closedAt!,
    decisions: decisionCount(state),
    documents: state.documents.map((d) => d.id),
  };
}

/** Tells each workflow of `openWorkOf` that the partnership closed; one that has ended meanwhile is skipped. */
async function closeOpenWork({ state }: PartnershipRun): Promise<void> {
  const closing = { at: state.closedAt ?? nowIso(), reason: closingReason(state) };
  await Promise.all(
    openWorkOf(state).map((id) =>
      getExternalWorkflowHandle(id)
        .signal(partnershipClosedSignal, closing)
        .catch((err: unknown) => log.warn('open work did not take the closing (ended already?)', { workflowId: id, err: String(err) })),
    ),
  );
}
