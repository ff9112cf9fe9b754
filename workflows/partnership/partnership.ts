import { SEARCH_ATTRIBUTES, legacyPartnersSearchAttribute, partnershipSearchAttributes, searchAttributesFingerprint } from './search-attributes';
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  defineQuery,
  defineUpdate,
  executeChild,
  getExternalWorkflowHandle,
  log,
  ParentClosePolicy,
  patched,
  setCurrentDetails,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair, UpdateDefinition } from '@temporalio/common';
import { withinSearchAttributeLimits } from '../../domain/search-attribute-limits';
import { approverSearchValue, decide, delegate, initialApprovalState, type ApprovalDecision, type ApprovalRequest, type ApprovalState, type DecideInput, type DelegateInput, type Handover } from '../../domain/human-tasks/approval-state';
import { runHumanTask } from '../human-tasks/run-task';
import { durationMs } from '../../domain/durations';
import {
  addDocument,
  applyGovernanceDecision,
  checkGateDecision,
  checkGateDelegation,
  closeGateTask,
  gateTask,
  governanceDecisionReadiness,
  type ReviewRef,
  fundingOf,
  applyApproval,
  normaliseCarried,
  carryOver,
  decisionCount,
  transitionRecord,
  type CarriedState,
  type RoleChange,
  checkAdvance,
  checkCompleteItem,
  checkReviewDecision,
  completeItem,
  initialState,
  phaseDocumentFacts,
  phaseProgress,
  requestAdvance,
  requestReviewDecision,
  startScheduledReview,
  toView,
  type Completion,
  type DecisionRecord,
  type GateEffect,
  type PartnershipState,
  type PartnershipView,
  type PendingTask,
  type PhaseDocumentFacts,
} from '../../domain/partnership/partnership-state';
import {
  approvalTimings,
  applyReviewResult,
  checkStartReview,
  startReview,
  TREND_REVIEWS,
} from '../../domain/reviews/partnership-reviews';
import {
  applyChannelDecision,
  checkProposeChannel,
  proposeChannel,
  setFiduciaryRule,
  setResourceStrategy,
  type ExpectedVersion,
  upsertActivity,
  validateFiduciaryRule,
  validateResourceStrategy,
  validateUpsertActivity,
} from '../../domain/resources/partnership-resources';
import { upsertObjective, validateUpsertObjective, type SmartObjective } from '../../domain/resources/objectives';
import {
  applyPartnerStatus,
  changeRole,
  checkChangeRole,
  checkInvite,
  checkUpsertStakeholder,
  checkWithdraw,
  invitePartner,
  recordPartnerApproval,
  upsertStakeholder,
  type StakeholderUpsert,
} from '../../domain/partners/partner-map';
import { phaseLabel, type PhaseId } from '../../domain/partnership/phases';
import type {
  ActivityProgressRequest,
  AdvanceRequest,
  ChangeRoleRequest,
  CompleteItemRequest,
  InvitePartnerRequest,
  PartnershipInput,
  ResourceStrategy,
  ReviewDecisionRequest,
  RoadmapActivityInput,
  SmartObjectiveInput,
  StakeholderInput,
  WithdrawPartnerRequest,
} from '../../domain/schemas';
import { multiStakeholderCheck, type PartnerStatus, type Stakeholder } from '../../domain/partners/stakeholders';
import { approvedChannel, type ChannelProposal, type ChannelVersion, type FiduciaryRule, type RoadmapActivity } from '../../domain/resources/funding';
import { channelStatusSignal, fundingChannelWorkflow } from '../resources/funding-channel';
import { reflectiveReviewWorkflow, reviewCompletedSignal } from '../reviews/reflective-review';
import { partnerApprovalSignal, partnerOnboardingWorkflow, partnerStatusSignal, withdrawOnboardingSignal } from '../partners/partner-onboarding';
import { recordActivityProgress, validateActivityProgress, type ProgressRecord } from '../../domain/resources/activity-progress';
import { mail, registry } from '../activity-proxies';
import type { Activities } from '../../activities/create-activities';
import { approvalWorkflow } from '../human-tasks/approval';
import { closingReason, openWorkOf } from '../../domain/partnership/open-work';
import { partnershipClosedSignal, reviewDecidedByPartnershipSignal } from './messages';
import { checkItemSection, sectionOfItem, validateWriteSection, writeSection, type SectionId, type SectionView, type SectionWrite } from '../../domain/partnership/sections';
import { enforce } from '../rule-failure';

export const partnershipStateQuery = defineQuery<PartnershipView>('partnershipState');
/**
 * The facts the document of `phase` would be built from now (bounded, see
 * `phaseDocumentFacts`): the draft an approver reads before deciding a gate.
 */
export const phaseDocumentFactsQuery = defineQuery<PhaseDocumentFacts, [PhaseId]>('phaseDocumentFacts');
export const completeItemUpdate = defineUpdate<Completion, [{ itemId: string } & CompleteItemRequest]>('completeItem');
export const requestAdvanceUpdate = defineUpdate<PendingTask, [AdvanceRequest]>('requestAdvance');
export const requestReviewDecisionUpdate = defineUpdate<PendingTask, [ReviewDecisionRequest]>('requestReviewDecision');

/** Maps a stakeholder, or changes a mapped one from the version its caller loaded (`expectedVersion`, required then). */
export const upsertStakeholderUpdate = defineUpdate<StakeholderUpsert, [StakeholderInput & ExpectedVersion]>('upsertStakeholder');
export const invitePartnerUpdate = defineUpdate<Stakeholder, [{ stakeholderId: string } & InvitePartnerRequest]>('invitePartner');
export const withdrawPartnerUpdate = defineUpdate<Stakeholder, [{ stakeholderId: string } & WithdrawPartnerRequest]>('withdrawPartner');
export const changeRoleUpdate = defineUpdate<RoleChange, [ChangeRoleRequest]>('changeRole');

/** Replace-style writes: each takes the version its caller loaded (`expectedVersion`, from If-Match) and answers the new one. */
/** Adds a SMART objective, or changes one from the version its caller loaded (`expectedVersion`, required then). */
export const upsertObjectiveUpdate = defineUpdate<SmartObjective & { version: number }, [SmartObjectiveInput & ExpectedVersion]>('upsertObjective');
export const upsertActivityUpdate = defineUpdate<RoadmapActivity & { version: number }, [RoadmapActivityInput & ExpectedVersion]>('upsertActivity');
export const setResourceStrategyUpdate = defineUpdate<ResourceStrategy & { version: number }, [ResourceStrategy & ExpectedVersion]>('setResourceStrategy');
export const setFiduciaryRuleUpdate = defineUpdate<{ rule: FiduciaryRule; version: number }, [{ rule: FiduciaryRule } & ExpectedVersion]>('setFiduciaryRule');
export const proposeChannelUpdate = defineUpdate<ChannelVersion, [{ activityId: string; proposal: ChannelProposal; by?: string }]>('proposeChannel');

export const startReviewUpdate = defineUpdate<ReviewRef, [{ by?: string }]>('startReview');

/**
 * Records progress on a roadmap activity (domain/resources/activity-progress.ts)
 * from the version its writer read (`expectedVersion`, required: 428 without,
 * 409 when someone recorded since). Answers the new record with its version.
 */
export const recordActivityProgressUpdate = defineUpdate<ProgressRecord, [{ activityId: string } & ActivityProgressRequest & ExpectedVersion]>('recordActivityProgress');

/**
 * Writes one of the partnership's sections whole (domain/partnership/sections.ts),
 * from the version its writer read (`expectedVersion`, required: 428 without,
 * 409 when someone wrote it since). Answers the section with its new version.
 */
export const writeSectionUpdate = defineUpdate<SectionView, [{ sectionId: SectionId } & SectionWrite & ExpectedVersion]>('writeSection');

export interface PartnershipWorkflowInput {
  id: string;
  input: PartnershipInput;
  /** State carried over by continue-as-new (`carryOver`: bounded, without the input); absent on the first run. */
  carried?: CarriedState;
  /**
   * When the API started it; the initial state is built from it so the API can
   * answer the start with the very read model the workflow holds, without a query.
   */
  startedAt?: string;
}

export interface PartnershipSummary {
  id: string;
  title: string;
  cycles: number;
  closedAt: string;
  /** Every decision of its life, counting those earlier runs left in the registry. */
  decisions: number;
  /** The ids of the documents the last run carried (`CARRIED.documents`); the registry lists every one. */
  documents: string[];
}

const nowIso = () => new Date(Date.now()).toISOString();

/**
 * Entering reflective monitoring starts a review workflow. Partnerships whose
 * histories predate this replay without it (test/histories/*-before-*.json).
 */
const AUTO_REVIEW_PATCH = 'auto-review-on-monitoring';

/**
 * A review's governance decision leaves reflective monitoring only once its
 * checklist is complete, as the manager's own request must (one gate check,
 * `governanceDecisionReadiness`). Runs from before applied it at once.
 */
const GOVERNANCE_CHECKLIST_PATCH = 'governance-decision-needs-checklist';
/**
 * While a gate decided on the partnership is open, `MspApprovers` names whoever
 * has held it (as on an approval task), so that a person who sets an
 * out-of-office delegate finds their open gates too; cleared once it is decided.
 */
const GATE_HOLDERS_SEARCHABLE_PATCH = 'gate-holders-searchable';
/** A gate whose document could not be written is still recorded in the registry (before it, the record was skipped). */
const RECORD_AFTER_FAILED_DOCUMENT_PATCH = 'gate-recorded-after-failed-document';
/**
 * A gate's document, registry record and manager email are scheduled together,
 * in the workflow task that applied the decision, and their completions
 * share workflow tasks; before it they ran one after another, one workflow
 * task each (npm run bench: 4 workflow tasks and 28 events per gate).
 */
const GATE_SIDE_EFFECTS_TOGETHER_PATCH = 'gate-side-effects-together';
/**
 * A partnership that closes tells the onboardings, review and channels it
 * started and that still wait for people (`openWorkOf`) that it closed, so
 * their links and Updates stop taking answers; before it they ran on (they
 * outlive a run) and a partner could still accept an invitation to a closed
 * partnership.
 */
const OPEN_WORK_CLOSES_PATCH = 'open-work-closes-with-partnership';
/**
 * A checklist item whose substance is a written section (the issue and its
 * context, the governance outline, …; domain/partnership/sections.ts) is
 * completed only once that section holds text: the validator refuses it, and
 * from this patch on the handler holds the same rule. Runs recorded before
 * ticked those items without any section and replay as they ran.
 */
const SECTIONS_PATCH = 'partnership-sections';
/**
 * A review decision the manager took through the partnership's gate is sent
 * to the review still open (`reviewDecidedByPartnership`), which withdraws its
 * own decision task; before, that task stayed with the approvers into the
 * next cycle and kept its next review from opening.
 */
const REVIEW_DECIDED_BY_GATE_PATCH = 'review-decided-by-gate';

/**
 * One Multi-Stakeholder Partnership, for its whole life: the phase loop of
 * guide II.2. Checklist items are completed through Updates; every phase gate
 * is a child approval; each new review cycle continues-as-new with the state
 * carried over, so history stays bounded however long the partnership lives.
 */
export async function partnershipWorkflow(args: PartnershipWorkflowInput): Promise<PartnershipSummary> {
  const state = args.carried ? normaliseCarried(args.carried, args.input) : initialState(args.id, args.input, args.startedAt ?? nowIso());
  // An API that passes startedAt has set the initial search attributes itself (the same function, the same state).
  if (args.startedAt && !args.carried) lastPublished = searchAttributesFingerprint(searchAttributesToWrite(state));

  setHandler(partnershipStateQuery, () => toView(state));
  setHandler(phaseDocumentFactsQuery, (phase) => phaseDocumentFacts(state, phase));
  onUpdate(
    state,
    completeItemUpdate,
    ({ itemId }) => checkCompleteItem(state, itemId),
    ({ itemId, ...req }) => {
      // From the patch on, the handler holds the section rule too; runs recorded before ticked these items without a section and replay as they ran.
      if (sectionOfItem(itemId) && !state.completions.some((c) => c.itemId === itemId) && patched(SECTIONS_PATCH)) enforce(() => checkItemSection(state, itemId));
      return completeItem(state, itemId, req, nowIso());
    },
  );
  onUpdate(
    state,
    writeSectionUpdate,
    ({ sectionId, ...input }) => validateWriteSection(state, sectionId, input),
    ({ sectionId, ...input }) => writeSection(state, sectionId, input, nowIso()),
  );
  onUpdate(
    state,
    requestAdvanceUpdate,
    () => checkAdvance(state),
    (req) => requestAdvance(state, req.by ?? state.input.manager.name, nowIso(), req.note),
  );
  onUpdate(
    state,
    requestReviewDecisionUpdate,
    () => checkReviewDecision(state),
    (req) => requestReviewDecision(state, req, req.by ?? state.input.manager.name, nowIso()),
  );

  setPartnerHandlers(state);
  setResourceHandlers(state);
  setGateHandlers(state);
  setHandler(
    startReviewUpdate,
    async ({ by }) => {
      await launchReview(state, by ?? state.input.manager.name);
      return state.reviews[state.reviews.length - 1];
    },
    { validator: (_req) => enforce(() => checkStartReview(state)) },
  );
  setHandler(reviewCompletedSignal, (outcome) => {
    applyReviewResult(state, outcome);
    publish(state);
    const waiting = governanceDecisionReadiness(state);
    if (state.governanceDecision && !waiting.ready && patched(GOVERNANCE_CHECKLIST_PATCH)) {
      notifyManager(state, `${outcome.reviewId}/decision-waits`, `the review's decision "${state.governanceDecision.decision}" waits for the checklist`, [
        `The approvers decided "${state.governanceDecision.decision}". It takes effect once ${waiting.missing.length} checklist item(s) of Reflective monitoring are done:`,
        ...waiting.missing.map((m) => `- ${m.title} [${m.guideRef}]`),
      ]);
    }
    const ref = state.reviews.find((r) => r.id === outcome.reviewId);
    const d = outcome.decision;
    notifyManager(state, `${outcome.reviewId}/completed`, `review ${ref?.number ?? ''} ${d ? `decided: ${d.decision}` : 'closed without a decision'}`, [
      `${outcome.answered} of ${outcome.asked} partners answered.`,
      outcome.report ? `The MEL report is ready: ${outcome.report.title}.` : 'The MEL report could not be stored; see the review in the console.',
      d ? `Governance decision: ${d.decision} (by ${d.by}${d.notes ? `; notes: ${d.notes}` : ''}).` : 'The approvers made no governance decision before the deadline.',
    ]);
  });

  // Decided once per run: a run replayed from before the patch keeps applying decisions at once, as it did.
  const governanceNeedsChecklist = patched(GOVERNANCE_CHECKLIST_PATCH);
  publish(state);
  // Notifications the previous run could not finish (see SENDS_FINISH_PATCH).
  for (const n of state.outbox ?? []) notify(state, n);
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
      const effect = await runGate(state, task);
      await tellOpenReviewsOfDecision(state, task, effect);
      if (effect.type === 'new-cycle') break;
      if (effect.type === 'moved' && effect.to === 'reflective-monitoring' && patched(AUTO_REVIEW_PATCH)) await launchReview(state, 'review cadence');
    } else if (governanceReady()) {
      // The governance approvers decided in a review: apply it as an approved review decision.
      const effect = await passGate(state, () => applyGovernanceDecision(state));
      if (effect.type === 'new-cycle') break;
    } else if (reviewAt !== undefined && Date.now() >= reviewAt) {
      const effect = startScheduledReview(state, nowIso());
      publish(state);
      await afterTransition(state, effect, null);
      if (patched(AUTO_REVIEW_PATCH)) await launchReview(state, 'review cadence');
    } else if (workflowInfo().continueAsNewSuggested) {
      break;
    }
  }

  if (state.status !== 'closed') {
    // A new cycle (or a long history) starts a fresh run with the state carried over.
    await settleNotifications();
    await condition(allHandlersFinished);
    return continueAsNew<typeof partnershipWorkflow>({ id: state.id, input: state.input, carried: carryOver(state, TREND_REVIEWS) });
  }

  if (patched(OPEN_WORK_CLOSES_PATCH)) await closeOpenWork(state);
  await settleNotifications();
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

/**
 * The manager's review decision passed the gate while a review of this
 * partnership was still open: that review takes the decision as its own and
 * withdraws its approvers' task (patch REVIEW_DECIDED_BY_GATE_PATCH). An exit
 * is told by the closing instead (`closeOpenWork`).
 */
async function tellOpenReviewsOfDecision(state: PartnershipState, task: PendingTask, effect: GateEffect): Promise<void> {
  if (task.kind !== 'review' || !task.proposedDecision || effect.type === 'stayed' || effect.type === 'closed') return;
  const open = state.reviews.filter((r) => r.status === 'in-progress');
  if (open.length === 0 || !patched(REVIEW_DECIDED_BY_GATE_PATCH)) return;
  const decided = { decision: task.proposedDecision, ...(task.notes ? { notes: task.notes } : {}), by: task.requestedBy, at: nowIso() };
  await Promise.all(
    open.map((r) =>
      getExternalWorkflowHandle(r.id)
        .signal(reviewDecidedByPartnershipSignal, decided)
        .catch((err: unknown) => log.warn('the open review did not take the decision (ended already?)', { reviewId: r.id, err: String(err) })),
    ),
  );
}

/** Tells each workflow of `openWorkOf` that the partnership closed; one that has ended meanwhile is skipped. */
async function closeOpenWork(state: PartnershipState): Promise<void> {
  const closing = { at: state.closedAt ?? nowIso(), reason: closingReason(state) };
  await Promise.all(
    openWorkOf(state).map((id) =>
      getExternalWorkflowHandle(id)
        .signal(partnershipClosedSignal, closing)
        .catch((err: unknown) => log.warn('open work did not take the closing (ended already?)', { workflowId: id, err: String(err) })),
    ),
  );
}

/**
 * A synchronous Update: the validator runs the domain check (refusals become
 * typed failures), the handler applies the pure transition and republishes
 * what the Web UI shows.
 */
function onUpdate<Arg, Ret>(
  state: PartnershipState,
  update: UpdateDefinition<Ret, [Arg]>,
  check: (arg: Arg) => void,
  apply: (arg: Arg) => Ret,
): void {
  setHandler(
    update,
    (arg: Arg) => {
      const result = apply(arg);
      publish(state);
      return result;
    },
    { validator: (arg: Arg) => enforce(() => check(arg)) },
  );
}

/**
 * Stakeholder ids from names in any script, never merging two organisations
 * (domain/partners/stakeholders.ts). The stakeholder id becomes the onboarding child's
 * workflow id, so histories recorded before it replay with the legacy ids.
 */
const UNICODE_STAKEHOLDER_IDS_PATCH = 'unicode-stakeholder-ids';
/** A re-invitation gets an onboarding id of its own (see `onboardingIdFor`); runs from before reused the first one's. */
const ONBOARDING_ID_PER_INVITATION_PATCH = 'onboarding-id-per-invitation';

/** Stakeholder map, partner onboarding and the organisation's role (guide II.2, "Working with partners"). */
function setPartnerHandlers(state: PartnershipState): void {
  onUpdate(
    state,
    upsertStakeholderUpdate,
    (input) => checkUpsertStakeholder(state, input),
    (input) => upsertStakeholder(state, input, nowIso(), patched(UNICODE_STAKEHOLDER_IDS_PATCH) ? 'unicode' : 'legacy'),
  );
  setHandler(
    invitePartnerUpdate,
    async ({ stakeholderId: id, contact, by }) => {
      const s = invitePartner(state, id, nowIso(), contact, patched(ONBOARDING_ID_PER_INVITATION_PATCH));
      publish(state);
      await startChild(partnerOnboardingWorkflow, {
        workflowId: s.onboardingId!,
        staticSummary: `${state.input.title}: onboarding ${s.organisation}`,
        // Onboarding may outlive this run (continue-as-new at a new cycle); it reports to the partnership by id.
        parentClosePolicy: ParentClosePolicy.ABANDON,
        args: [
          {
            onboardingId: s.onboardingId!,
            partnershipId: state.id,
            partnershipTitle: state.input.title,
            partnershipGoal: state.input.goal,
            stakeholder: { id: s.id, organisation: s.organisation, group: s.group, coreGroup: s.coreGroup },
            contact: s.contact!,
            manager: state.input.manager,
            approvers: state.input.approvers,
            timings: approvalTimings(state),
            invitedBy: by ?? state.input.manager.name,
            invitedInPhase: state.phase,
            invitedInCycle: state.cycle,
          },
        ],
      });
      return s;
    },
    { validator: ({ stakeholderId: id, contact }) => enforce(() => checkInvite(state, id, contact)) },
  );
  setHandler(
    withdrawPartnerUpdate,
    async ({ stakeholderId: id, reason, by }) => {
      const s = checkWithdraw(state, id);
      if (s.status === 'invited') {
        // The onboarding ends itself and reports "withdrawn" back through partnerStatusSignal.
        await getExternalWorkflowHandle(s.onboardingId!).signal(withdrawOnboardingSignal, { reason, by: by ?? state.input.manager.name });
        return s;
      }
      const at = nowIso();
      applyPartnerStatus(state, id, 'withdrawn', at, reason);
      publish(state);
      notifyPartnerOutcome(state, id, 'withdrawn', reason);
      await registry.recordMembership.executeWithOptions({ summary: `register ${s.organisation} as withdrawn` }, [
        {
          partnerId: s.id,
          partnershipId: state.id,
          membership: { organisation: s.organisation, group: s.group, status: 'withdrawn', contact: s.contact ?? null, documentId: null, reason, at },
        },
      ]);
      return s;
    },
    { validator: ({ stakeholderId: id }) => enforce(() => void checkWithdraw(state, id)) },
  );
  onUpdate(
    state,
    changeRoleUpdate,
    (req) => checkChangeRole(state, req),
    (req) => changeRole(state, req, nowIso()),
  );
  // Who approved or rejected a partner, as its onboarding reports it (patch `partner-approval-reported` there): the history shows it.
  setHandler(partnerApprovalSignal, ({ stakeholderId: id, ...approval }) => {
    recordPartnerApproval(state, id, approval);
    publish(state);
  });
  setHandler(partnerStatusSignal, ({ stakeholderId: id, status, at, reason }) => {
    const before = state.stakeholders.find((x) => x.id === id)?.status;
    applyPartnerStatus(state, id, status, at, reason);
    publish(state);
    if (before !== status) notifyPartnerOutcome(state, id, status, reason);
  });
}

/**
 * Progress on roadmap activities (`recordActivityProgress`). No run recorded
 * before it carries the Update; the marker lets a later change to what a
 * record does tell the runs apart.
 */
const ACTIVITY_PROGRESS_PATCH = 'activity-progress';

/** Roadmap, resource strategy, fiduciary rule and financial channels (guide II.2.B "Resources"); progress on the activities (II.2.C). */
function setResourceHandlers(state: PartnershipState): void {
  onUpdate(
    state,
    recordActivityProgressUpdate,
    ({ activityId, ...input }) => validateActivityProgress(state, activityId, input),
    ({ activityId, ...input }) => {
      patched(ACTIVITY_PROGRESS_PATCH);
      return recordActivityProgress(state, activityId, input, nowIso());
    },
  );
  // The validators also require a version (validators do not run on replay, so earlier writes without one replay as they ran).
  onUpdate(state, upsertActivityUpdate, (input) => validateUpsertActivity(state, input), (input) => upsertActivity(state, input));
  // A new Update: histories from before it never carry one, so they replay unchanged.
  onUpdate(state, upsertObjectiveUpdate, (input) => validateUpsertObjective(state, input, nowIso().slice(0, 10)), (input) => upsertObjective(state, input, nowIso().slice(0, 10)));
  onUpdate(state, setResourceStrategyUpdate, (input) => validateResourceStrategy(state, input), (input) => setResourceStrategy(state, input));
  onUpdate(state, setFiduciaryRuleUpdate, ({ expectedVersion }) => validateFiduciaryRule(state, expectedVersion), ({ rule }) => setFiduciaryRule(state, rule));
  setHandler(
    proposeChannelUpdate,
    async ({ activityId, proposal, by }) => {
      const previous = approvedChannel(fundingOf(state, activityId));
      const v = proposeChannel(state, activityId, proposal, by ?? state.input.manager.name, nowIso());
      publish(state);
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
    publish(state);
    const title = state.roadmap.find((a) => a.id === activityId)?.title ?? activityId;
    notifyManager(state, `${state.id}/channel-${activityId}-v${version}/${decision.status}`, `financial channel for "${title}" (v${version}) ${decision.status}`, [
      `${decision.decidedBy} ${decision.status} the financial channel for "${title}" (version ${version}).`,
      ...(decision.comment ? [`Comment: ${decision.comment}`] : []),
    ]);
  });
}

/** Starts the next review (if none is running) as a child that reports back by signal and may outlive this run. */
async function launchReview(state: PartnershipState, by: string): Promise<void> {
  if (state.reviews.some((r) => r.status === 'in-progress') || state.status === 'closed') return;
  const request = startReview(state, by, nowIso());
  publish(state);
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
 * Since this patch a phase gate (or the manager's review decision) is a human
 * task the partnership holds itself (`runHumanTask`), and the approver's
 * decision is the `decideGate` Update on the partnership: its validator checks
 * single use, the assignee and the deadline, its handler moves the phase in the
 * same workflow task, and its result is the new phase, so the page behind the
 * link shows it at once. Before it, an approval child decided and the phase
 * moved one workflow task after the child completed. Runs replayed from before
 * keep their child.
 */
const GATE_ON_PARTNERSHIP_PATCH = 'gate-decided-on-partnership';

/** What `decideGate` answers: the decision and where the partnership stands after it. */
export interface GateDecisionResult {
  taskId: string;
  decision: ApprovalDecision;
  /** The phase the partnership is in now; null once closed (an "exit" decision). */
  phase: PhaseId | null;
  /** The decided task, so the page behind the link can show it without reading it first. */
  task: ApprovalState;
  cycle: number;
  status: PartnershipState['status'];
  /** The partnership's working language (null: none named), so the page behind the link need not ask for it. Absent from runs before it was answered. */
  language?: string | null;
}

export const decideGateUpdate = defineUpdate<GateDecisionResult, [{ taskId: string } & DecideInput]>('decideGate');
/** An assignee hands an open gate task to a colleague (see `delegate`); answers the hand-over. */
export const delegateGateUpdate = defineUpdate<Handover, [{ taskId: string } & DelegateInput]>('delegateGate');
/** One gate task of the partnership (open, or among the last decided), for the page behind its link; null if none. */
export const gateTaskQuery = defineQuery<ApprovalState | null, [string]>('gateTask');

/** A gate the decideGate handler applied, waiting for the main loop to run its side effects (document, registry, email). */
let gateApplied: { effect: GateEffect; task: PendingTask; facts: PhaseDocumentFacts } | undefined;

function setGateHandlers(state: PartnershipState): void {
  setHandler(gateTaskQuery, (taskId) => gateTask(state, taskId) ?? null);
  setHandler(
    decideGateUpdate,
    ({ taskId, ...input }) => {
      const task = state.pendingTask!;
      const approval = task.approval!;
      const decision = decide(approval, input, Date.now());
      closeGateTask(state, approval);
      gateApplied = applyAtGate(state, () => ({ effect: applyApproval(state, toOutcome(decision)), task }));
      return { taskId, decision, phase: state.status === 'closed' ? null : state.phase, cycle: state.cycle, status: state.status, task: approval, language: state.input.language ?? null };
    },
    { validator: ({ taskId, ...input }) => enforce(() => void checkGateDecision(state, taskId, input, Date.now())) },
  );
  setHandler(
    delegateGateUpdate,
    ({ taskId, ...input }) => {
      const handover = delegate(checkGateDelegation(state, taskId, input, Date.now()), input, Date.now());
      publish(state);
      return handover;
    },
    { validator: ({ taskId, ...input }) => enforce(() => void checkGateDelegation(state, taskId, input, Date.now())) },
  );
}

/** The gate as a task of the partnership itself (see GATE_ON_PARTNERSHIP_PATCH). */
async function runGateOnPartnership(state: PartnershipState, task: PendingTask): Promise<GateEffect> {
  task.approval ??= initialApprovalState(approvalRequestFor(state, task), Date.now(), durationMs(state.input.timings.deadline)!);
  const decision = await runHumanTask(task.approval, { viaDigest: false, ownerWorkflowId: state.id, onChange: () => publish(state) });
  const applied = gateApplied;
  gateApplied = undefined;
  if (applied) {
    await afterTransition(state, applied.effect, applied.task, applied.facts);
    return applied.effect;
  }
  // No one decided before the deadline: the task expired itself.
  closeGateTask(state, task.approval);
  return passGate(state, () => ({ effect: applyApproval(state, toOutcome(decision)), task }));
}

async function runGate(state: PartnershipState, task: PendingTask): Promise<GateEffect> {
  if (patched(GATE_ON_PARTNERSHIP_PATCH)) return runGateOnPartnership(state, task);
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
  return passGate(state, () => ({ effect: applyApproval(state, toOutcome(decision)), task }));
}

/**
 * Applies a gate decision and its side effects. The document of the closed
 * phase is built from the state as it stood at the gate (a new cycle resets
 * the checklist), with the decision just recorded.
 */
async function passGate(state: PartnershipState, apply: () => { effect: GateEffect; task: PendingTask }): Promise<GateEffect> {
  const { effect, task, facts } = applyAtGate(state, apply);
  await afterTransition(state, effect, task, facts);
  return effect;
}

/**
 * Applies a gate decision and republishes; answers what it did and the facts
 * of the closed phase's document, taken as the state stood at the gate.
 */
function applyAtGate(
  state: PartnershipState,
  apply: () => { effect: GateEffect; task: PendingTask },
): { effect: GateEffect; task: PendingTask; facts: PhaseDocumentFacts } {
  // What a new cycle resets; apply() replaces these (never mutates them), so a shallow copy keeps the gate's view.
  const beforeGate = { cycle: state.cycle, reviewNotes: state.reviewNotes, completions: state.completions };
  const fromPhase = state.phase;
  const { effect, task } = apply();
  publish(state);
  return { effect, task, facts: phaseDocumentFacts({ ...state, ...beforeGate }, fromPhase) };
}

/** Side effects of a gate: document, registry record, manager notification. Failures are logged, never fatal. */
async function afterTransition(
  state: PartnershipState,
  effect: GateEffect,
  task: PendingTask | null,
  atGate: PhaseDocumentFacts = phaseDocumentFacts(state, state.decisions[state.decisions.length - 1].fromPhase),
): Promise<void> {
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
  if (patched(GATE_SIDE_EFFECTS_TOGETHER_PATCH)) {
    // Each side effect is tried on its own: a document that cannot be written must not cost the registry its record.
    const written = Promise.all([
      last.outcome === 'approved' ? createDocument().then((doc) => addDocument(state, doc), documentFailed) : undefined,
      recordGate().catch(recordFailed),
    ]);
    notifyGateOutcome(state, effect, task, last);
    await written;
    publish(state);
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
  if (!failed || patched(RECORD_AFTER_FAILED_DOCUMENT_PATCH)) {
    try {
      await recordGate();
    } catch (err) {
      recordFailed(err);
    }
  }
  publish(state);
  notifyGateOutcome(state, effect, task, last);
}

/** The manager's email about a gate: what was decided, where the partnership is now, and the approver's comment. */
function notifyGateOutcome(state: PartnershipState, effect: GateEffect, task: PendingTask | null, last: DecisionRecord): void {
  const outcomeLine =
    effect.type === 'moved'
      ? `The partnership moved from ${phaseLabel(effect.from)} to ${phaseLabel(effect.to)}.`
      : effect.type === 'new-cycle'
        ? `The partnership starts review cycle ${effect.cycle} in Adaptive planning.`
        : effect.type === 'closed'
          ? 'The partnership is now closed.'
          : `The request was rejected; the partnership stays in ${phaseLabel(state.phase)}.`;
  notify(state, {
    deliveryKey: `${state.id}/decision-${decisionCount(state)}/manager`,
    to: state.input.manager,
    subject: `${state.input.title}: ${last.outcome} — ${task ? describeTask(task) : 'periodic review started'}`,
    lines: [outcomeLine, ...(last.comment ? [`Comment from ${last.by}: ${last.comment}`] : [])],
  });
}

type Notification = Parameters<Activities['sendNotification']>[0];

/**
 * Runs recorded before this patch scheduled the "new cycle" and "closed"
 * emails in the same workflow task as continue-as-new or completion, so they
 * never started. Since it, every notification is kept in the state's outbox
 * until its send settles; the run waits a little for the outbox to empty
 * before it continues as new or closes, and what is still unsent travels in
 * the carried state and is sent again by the next run (the delivery key keeps
 * it to one email).
 */
const SENDS_FINISH_PATCH = 'notifications-finish-before-run-ends';
/** How long a run waits for its notifications before continuing as new (the rest go with it). */
const OUTBOX_WAIT = '1 minute';

// Module state is per workflow execution in the SDK's sandbox; rebuilt identically on replay.
let sendsInFlight = 0;

/** Email is fire-and-forget for the loop: an SMTP outage must not hold the partnership back. */
function notify(state: PartnershipState, n: Notification): void {
  const tracked = patched(SENDS_FINISH_PATCH);
  if (tracked) {
    state.outbox = [...(state.outbox ?? []).filter((o) => o.deliveryKey !== n.deliveryKey), n];
    sendsInFlight += 1;
  }
  mail.sendNotification
    // The partnership's language goes with it: the activity need not query the partnership for it.
    .executeWithOptions({ summary: `notify ${n.to.email}` }, [{ ...n, partnershipLanguage: state.input.language ?? null }])
    .then(() => {
      if (tracked) state.outbox = (state.outbox ?? []).filter((o) => o.deliveryKey !== n.deliveryKey);
    })
    .catch((err: unknown) => log.error('manager notification failed', { err: String(err) }))
    .finally(() => {
      if (tracked) sendsInFlight -= 1;
    });
}

/**
 * Runs recorded before this patch told the manager only of gate decisions,
 * although the pages told approvers and partners that the manager "is
 * notified": since it, the manager hears of every outcome (partner accepted,
 * declined, signed and active, rejected, withdrawn or expired; channel
 * approved or rejected; review report ready and its governance decision).
 */
const EVERY_OUTCOME_PATCH = 'manager-notified-of-every-outcome';

function notifyManager(state: PartnershipState, key: string, what: string, lines: string[]): void {
  if (!patched(EVERY_OUTCOME_PATCH)) return;
  notify(state, { deliveryKey: `${key}/manager`, to: state.input.manager, subject: `${state.input.title}: ${what}`, lines });
}

const PARTNER_OUTCOME: Record<PartnerStatus, string> = {
  mapped: 'is mapped',
  invited: 'is invited',
  active: 'signed its agreement and is now an active partner',
  declined: 'declined the invitation',
  rejected: 'was not approved as a partner',
  expired: 'did not answer before the deadline; the invitation expired',
  withdrawn: 'has withdrawn from the partnership',
};

function notifyPartnerOutcome(state: PartnershipState, id: string, status: PartnerStatus, reason?: string): void {
  const s = state.stakeholders.find((x) => x.id === id);
  if (!s) return;
  const n = s.history.filter((h) => h.status === status).length;
  notifyManager(state, `${state.id}/partner-${id}/${status}-${n}`, `${s.organisation} ${PARTNER_OUTCOME[status]}`, [
    `${s.organisation} (${s.group}) ${PARTNER_OUTCOME[status]}.`,
    ...(reason ? [`Reason: ${reason}`] : []),
  ]);
}

/** Before continue-as-new or completion: let notifications started in this run finish (bounded; see SENDS_FINISH_PATCH). */
async function settleNotifications(): Promise<void> {
  if (!patched(SENDS_FINISH_PATCH) || sendsInFlight === 0) return;
  await condition(() => sendsInFlight === 0, OUTBOX_WAIT, { summary: 'let notification emails finish' });
}

function toOutcome(d: ApprovalDecision) {
  return { outcome: d.outcome, decidedBy: d.by, at: d.at, ...(d.comment ? { comment: d.comment } : {}) };
}

function describeTask(task: PendingTask): string {
  if (task.kind === 'advance') return `move from ${phaseLabel(task.fromPhase)} to ${phaseLabel(task.toPhase!)}`;
  return `review decision "${task.proposedDecision}"`;
}

function approvalRequestFor(state: PartnershipState, task: PendingTask): ApprovalRequest {
  const progress = phaseProgress(state);
  return {
    taskId: task.id,
    partnershipId: state.id,
    partnershipTitle: state.input.title,
    kind: task.kind,
    summary: describeTask(task).replace(/^./, (c) => c.toUpperCase()),
    details: [
      `Goal: ${state.input.goal}`,
      `Cycle ${state.cycle}; ${phaseLabel(state.phase)} checklist: ${progress.done} of ${progress.total} items done.`,
      ...(task.notes ? [`Notes from ${task.requestedBy}: ${task.notes}`] : []),
    ],
    requestedBy: task.requestedBy,
    approvers: state.input.approvers,
    timings: approvalTimings(state),
  };
}

/**
 * Keeps the Web UI truthful: search attributes for listing, markdown details
 * for the workflow page. Search attributes are written only when one of them
 * changes: each write is a visibility update on the server, and most Updates
 * (a checklist item done) change none. Histories from before replay with a
 * write per publish.
 */
const PUBLISH_CHANGES_ONLY_PATCH = 'publish-changed-search-attributes-only';
// Module state is per workflow execution in the SDK's sandbox; rebuilt identically on replay.
let lastPublished: string | undefined;

/**
 * Runs recorded before this patch also wrote `MspPartners`, every active
 * partner's name in one list: at about 35 partners it passed Temporal's 2 KB
 * value limit and the server terminated the partnership. Which partnerships a
 * partner is in now comes from the registry. Since this patch, an attribute the
 * run carries but the state no longer has (the old partner list, a review date
 * once collaborative action is over) is removed rather than left stale.
 */
const PARTNERS_FROM_REGISTRY_PATCH = 'partners-from-registry';

function searchAttributesToWrite(state: PartnershipState): SearchAttributeUpdatePair[] {
  const attributes: SearchAttributeUpdatePair[] = partnershipSearchAttributes(state);
  const gate = state.pendingTask?.approval;
  if (gate && !gate.decision && patched(GATE_HOLDERS_SEARCHABLE_PATCH)) {
    attributes.push({ key: SEARCH_ATTRIBUTES.approvers, value: approverSearchValue(gate.assignees) });
  }
  if (!patched(PARTNERS_FROM_REGISTRY_PATCH)) {
    attributes.splice(4, 0, legacyPartnersSearchAttribute(state));
  } else {
    const carried = workflowInfo().typedSearchAttributes;
    for (const key of Object.values(SEARCH_ATTRIBUTES)) {
      if (carried.get(key) !== undefined && !attributes.some((a) => a.key.name === key.name)) attributes.push({ key, value: null } as SearchAttributeUpdatePair);
    }
  }
  const { fit, problems } = withinSearchAttributeLimits(attributes);
  for (const p of problems) log.error('search attribute left out: it is over Temporal\'s limit', { attribute: p.name, bytes: p.bytes, limit: p.limit });
  return fit;
}

function publish(state: PartnershipState): void {
  const attributes = searchAttributesToWrite(state);
  const fingerprint = searchAttributesFingerprint(attributes);
  if (fingerprint !== lastPublished || !patched(PUBLISH_CHANGES_ONLY_PATCH)) upsertSearchAttributes(attributes);
  lastPublished = fingerprint;
  const msp = multiStakeholderCheck(state.stakeholders);
  const progress = phaseProgress(state);
  const pending = state.pendingTask;
  const last = state.decisions[state.decisions.length - 1];
  setCurrentDetails(
    [
      `## ${state.input.title}`,
      `**Phase:** ${phaseLabel(state.phase)} · **Cycle:** ${state.cycle} · **Status:** ${state.status}`,
      `**Checklist:** ${progress.done}/${progress.total} items of ${phaseLabel(state.phase)} done`,
      `**Partners:** ${msp.activePartners} active (${msp.countedGroups.join(', ') || 'no counted group yet'})${msp.met ? '' : ` — needs ${msp.missing.join('; ')}`}`,
      pending ? `**Waiting for approval:** ${describeTask(pending)} (task \`${pending.id}\`)` : '',
      last ? `**Last decision:** ${last.outcome} by ${last.by} at ${last.at}${last.comment ? ` — “${last.comment}”` : ''}` : '',
      state.documents.length ? `**Documents:** ${state.documents.map((d) => d.title).join('; ')}` : '',
    ]
      .filter(Boolean)
      .join('\n\n'),
  );
}
