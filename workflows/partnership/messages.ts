import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ApprovalDecision, ApprovalState, DecideInput, DelegateInput, Handover } from '../../domain/human-tasks/approval-state';
import type { CarriedState } from '../../domain/partnership/carry-over';
import type { Completion, PartnershipState, PendingTask, ReviewRef, RoleChange } from '../../domain/partnership/state';
import type { PartnershipView } from '../../domain/partnership/read-model';
import type { PhaseDocumentFacts } from '../../domain/partnership/document-facts';
import type { PhaseId } from '../../domain/partnership/phases';
import type { SectionId, SectionView, SectionWrite } from '../../domain/partnership/sections';
import type { StakeholderUpsert } from '../../domain/partners/partner-map';
import type { Stakeholder } from '../../domain/partners/stakeholders';
import type { ProgressRecord } from '../../domain/resources/activity-progress';
import type { ChannelProposal, ChannelVersion, FiduciaryRule, RoadmapActivity } from '../../domain/resources/funding';
import type { SmartObjective } from '../../domain/resources/objectives';
import type { ExpectedVersion } from '../../domain/versions';
import type { ActivityProgressRequest, ResourceStrategy, RoadmapActivityInput, SmartObjectiveInput } from '../../domain/resources/schemas';
import type { AdvanceRequest, CompleteItemRequest, PartnershipInput } from '../../domain/partnership/schemas';
import type { ChangeRoleRequest, InvitePartnerRequest, StakeholderInput, WithdrawPartnerRequest } from '../../domain/partners/schemas';
import type { ReviewDecisionRequest } from '../../domain/reviews/schemas';
import type { Text } from '../../domain/said';

/**
 * What one can say to a partnership workflow, and what it says to the work it
 * started: its Updates, queries and signals with their argument and result
 * types, and the workflow's own input and result. The workflow, the
 * activities and the API import these; none of them imports the workflow's
 * implementation for a message. Names are stable strings: running
 * partnerships receive them by name.
 */

/** What `partnershipWorkflow` is started with. */
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

/** What `partnershipWorkflow` answers once the partnership is closed. */
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

/** The workflow's signature, for clients that start it by its type name (`WORKFLOW_TYPES.partnership`). */
export type PartnershipWorkflow = (args: PartnershipWorkflowInput) => Promise<PartnershipSummary>;

// --- Queries ---------------------------------------------------------------

export const partnershipStateQuery = defineQuery<PartnershipView>('partnershipState');
/**
 * The facts the document of `phase` would be built from now (bounded, see
 * `phaseDocumentFacts`): the draft an approver reads before deciding a gate.
 */
export const phaseDocumentFactsQuery = defineQuery<PhaseDocumentFacts, [PhaseId]>('phaseDocumentFacts');
/** One gate task of the partnership (open, or among the last decided), for the page behind its link; null if none. */
export const gateTaskQuery = defineQuery<ApprovalState | null, [string]>('gateTask');

// --- Checklist, sections and gate requests ---------------------------------

export const completeItemUpdate = defineUpdate<Completion, [{ itemId: string } & CompleteItemRequest]>('completeItem');
export const requestAdvanceUpdate = defineUpdate<PendingTask, [AdvanceRequest]>('requestAdvance');
export const requestReviewDecisionUpdate = defineUpdate<PendingTask, [ReviewDecisionRequest]>('requestReviewDecision');
/**
 * Writes one of the partnership's sections whole (domain/partnership/sections.ts),
 * from the version its writer read (`expectedVersion`, required: 428 without,
 * 409 when someone wrote it since). Answers the section with its new version.
 */
export const writeSectionUpdate = defineUpdate<SectionView, [{ sectionId: SectionId } & SectionWrite & ExpectedVersion]>('writeSection');

// --- Gates decided on the partnership (patch `gate-decided-on-partnership`) --

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

// --- Partners --------------------------------------------------------------

/** Maps a stakeholder, or changes a mapped one from the version its caller loaded (`expectedVersion`, required then). */
export const upsertStakeholderUpdate = defineUpdate<StakeholderUpsert, [StakeholderInput & ExpectedVersion]>('upsertStakeholder');
export const invitePartnerUpdate = defineUpdate<Stakeholder, [{ stakeholderId: string } & InvitePartnerRequest]>('invitePartner');
export const withdrawPartnerUpdate = defineUpdate<Stakeholder, [{ stakeholderId: string } & WithdrawPartnerRequest]>('withdrawPartner');
export const changeRoleUpdate = defineUpdate<RoleChange, [ChangeRoleRequest]>('changeRole');

// --- Resources: replace-style writes take the version their caller loaded (`expectedVersion`, from If-Match) and answer the new one

/** Adds a SMART objective, or changes one from the version its caller loaded (`expectedVersion`, required then). */
export const upsertObjectiveUpdate = defineUpdate<SmartObjective & { version: number }, [SmartObjectiveInput & ExpectedVersion]>('upsertObjective');
export const upsertActivityUpdate = defineUpdate<RoadmapActivity & { version: number }, [RoadmapActivityInput & ExpectedVersion]>('upsertActivity');
export const setResourceStrategyUpdate = defineUpdate<ResourceStrategy & { version: number }, [ResourceStrategy & ExpectedVersion]>('setResourceStrategy');
export const setFiduciaryRuleUpdate = defineUpdate<{ rule: FiduciaryRule; version: number }, [{ rule: FiduciaryRule } & ExpectedVersion]>('setFiduciaryRule');
export const proposeChannelUpdate = defineUpdate<ChannelVersion, [{ activityId: string; proposal: ChannelProposal; by?: string }]>('proposeChannel');
/**
 * Records progress on a roadmap activity (domain/resources/activity-progress.ts)
 * from the version its writer read (`expectedVersion`, required: 428 without,
 * 409 when someone recorded since). Answers the new record with its version.
 */
export const recordActivityProgressUpdate = defineUpdate<ProgressRecord, [{ activityId: string } & ActivityProgressRequest & ExpectedVersion]>('recordActivityProgress');

// --- Reviews ---------------------------------------------------------------

export const startReviewUpdate = defineUpdate<ReviewRef, [{ by?: string }]>('startReview');

// --- What a partnership tells the work it started --------------------------

/** What a partnership tells the work it started when it closes: when, and why, in a sentence kept on the record. */
export interface PartnershipClosed {
  at: string;
  /** A code (`emails:notice.exitDecidedBy`…); runs from before codes sent the English sentence. */
  reason: Text;
}

/**
 * Sent by a partnership that closes (an approved "exit") to each onboarding,
 * review and financial channel it started that is still open (patch
 * `open-work-closes-with-partnership`): they stop taking answers at once, end,
 * and report nothing back to the closed partnership. A stable name: running
 * children receive it by this name.
 */
export const partnershipClosedSignal = defineSignal<[PartnershipClosed]>('partnershipClosed');

/** The governance decision a partnership took through its own gate while one of its reviews was still open. */
export interface ReviewDecidedByPartnership {
  decision: 'continue' | 'adapt' | 'exit';
  notes?: string;
  /** Who asked for it (the audit's `by`), and when the approvers approved it (ISO 8601). */
  by: string;
  at: string;
}

/**
 * Sent by a partnership to its open review when the manager's own review
 * decision passed the partnership's gate (patch `review-decided-by-gate`):
 * the review stops waiting for answers, compiles its report with what it
 * has, withdraws its own decision task from the approvers, and reports that
 * decision back as its outcome. Before, the review's task stayed open into
 * the next cycle and blocked its next review.
 */
export const reviewDecidedByPartnershipSignal = defineSignal<[ReviewDecidedByPartnership]>('reviewDecidedByPartnership');
