import { ParentClosePolicy, patched, setHandler, startChild } from '@temporalio/workflow';
import { fundingOf } from '../../domain/resources/funding-summary';
import { recordActivityProgress, validateActivityProgress } from '../../domain/resources/activity-progress';
import { approvedChannel } from '../../domain/resources/funding';
import { upsertObjective, validateUpsertObjective } from '../../domain/resources/objectives';
import {
  applyChannelDecision,
  checkProposeChannel,
  proposeChannel,
  setFiduciaryRule,
  setResourceStrategy,
  upsertActivity,
  validateFiduciaryRule,
  validateResourceStrategy,
  validateUpsertActivity,
} from '../../domain/resources/partnership-resources';
import { approvalTimings } from '../../domain/reviews/partnership-reviews';
import { patch } from '../patches';
import { channelStatusSignal } from '../resources/messages';
import { fundingChannelWorkflow } from '../resources/funding-channel';
import { enforce } from '../rule-failure';
import {
  proposeChannelUpdate,
  recordActivityProgressUpdate,
  setFiduciaryRuleUpdate,
  setResourceStrategyUpdate,
  upsertActivityUpdate,
  upsertObjectiveUpdate,
} from './messages';
import { onUpdate } from './handlers';
import { notifyManager } from './outbox';
import { said, status } from '../../domain/said';
import { publish } from './publish';
import { nowIso, type PartnershipRun } from './run';

/**
 * Roadmap, SMART objectives, resource strategy, fiduciary rule and financial
 * channels (guide II.2.B "Resources"), and progress on the activities
 * (II.2.C). A proposed channel is a child workflow that may outlive this run
 * and reports back by signal.
 */
export function setResourceHandlers(run: PartnershipRun): void {
  const { state } = run;
  onUpdate(
    run,
    recordActivityProgressUpdate,
    ({ activityId, ...input }) => validateActivityProgress(state, activityId, input),
    ({ activityId, ...input }) => {
      // Marks the runs that recorded progress, so a later change to what a record does can tell them apart.
      patched(patch('activity-progress'));
      return recordActivityProgress(state, activityId, input, nowIso());
    },
  );
  // The validators also require a version (validators do not run on replay, so earlier writes without one replay as they ran).
  onUpdate(run, upsertActivityUpdate, (input) => validateUpsertActivity(state, input), (input) => upsertActivity(state, input));
  // A new Update: histories from before it never carry one, so they replay unchanged.
  onUpdate(run, upsertObjectiveUpdate, (input) => validateUpsertObjective(state, input, nowIso().slice(0, 10)), (input) => upsertObjective(state, input, nowIso().slice(0, 10)));
  onUpdate(run, setResourceStrategyUpdate, (input) => validateResourceStrategy(state, input), (input) => setResourceStrategy(state, input));
  onUpdate(run, setFiduciaryRuleUpdate, ({ expectedVersion }) => validateFiduciaryRule(state, expectedVersion), ({ rule }) => setFiduciaryRule(state, rule));
  setHandler(
    proposeChannelUpdate,
    async ({ activityId, proposal, by }) => {
      const previous = approvedChannel(fundingOf(state, activityId));
      const v = proposeChannel(state, activityId, proposal, by ?? state.input.manager.name, nowIso());
      publish(run);
      const activity = state.roadmap.find((a) => a.id === activityId)!;
      await startChild(fundingChannelWorkflow, {
        workflowId: v.channelId,
        staticSummary: `${state.input.title}: financial channel for ${activity.title} (v${v.version})`,
        parentClosePolicy: ParentClosePolicy.ABANDON,
        args: [
          {
            channelId: v.channelId,
            partnershipId: state.id,
            partnershipTitle: state.input.title,
            activity,
            version: v.version,
            proposal,
            fiduciaryAgent: v.fiduciaryAgent,
            fiduciaryRule: state.fiduciaryRule,
            previous: previous ? { amount: previous.proposal.amount, currency: previous.proposal.currency, fiduciaryAgent: previous.fiduciaryAgent } : null,
            proposedBy: v.proposedBy,
            approvers: state.input.approvers,
            timings: approvalTimings(state),
            cycle: state.cycle,
            phase: state.phase,
          },
        ],
      });
      return v;
    },
    { validator: ({ activityId, proposal }) => enforce(() => void checkProposeChannel(state, activityId, proposal)) },
  );
  setHandler(channelStatusSignal, ({ activityId, version, ...decision }) => {
    applyChannelDecision(state, activityId, version, decision);
    publish(run);
    const title = state.roadmap.find((a) => a.id === activityId)?.title ?? activityId;
    notifyManager(run, `${state.id}/channel-${activityId}-v${version}/${decision.status}`, said('emails:notice.channelSubject', { activity: title, version, status: status(decision.status) }), [
      said('emails:notice.channelLine', { by: decision.decidedBy, status: status(decision.status), activity: title, version }),
      ...(decision.comment ? [said('emails:notice.comment', { comment: decision.comment })] : []),
    ]);
  });
}
