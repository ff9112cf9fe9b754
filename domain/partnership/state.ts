import type { PhaseId } from './phases';
import type { ApprovalState } from '../human-tasks/approval-state';
import type { IndicatorPoint } from '../reviews/review';
import type { DocumentRef } from '../documents/documents';
import { RuleError } from '../rule-error';
import { said, type Text } from '../said';
import type { Person } from '../schemas';
import type { PartnershipInput } from './schemas';
import type { ReviewDecisionRequest } from '../reviews/schemas';
import type { ProgressRecord, ResourceStrategy, SmartObjective } from '../resources/schemas';
import type { ActivityFunding, FiduciaryRule, RoadmapActivity } from '../resources/funding';
import type { Stakeholder } from '../partners/stakeholders';
import type { SectionId, SectionRecord } from './sections';

/**
 * The partnership's state: the one typed object the workflow holds, its
 * creation, and the check every change makes first. The workflow changes it
 * only through the pure functions of the modules beside this one (carry-over,
 * checklist, gates, document facts, the read model; the partners', resources'
 * and reviews' own), so every rule is unit-tested without a Temporal server.
 * Timestamps are ISO strings passed in by the caller (workflow time), never
 * read from a clock here.
 */

export type PartnershipStatus = 'active' | 'awaiting-approval' | 'closed';
export type ReviewDecision = ReviewDecisionRequest['decision'];

export interface Completion {
  itemId: string;
  by: string;
  at: string;
  note?: string;
}

export interface PendingTask {
  /** The approval workflow's id; also the task id in links and the API. */
  id: string;
  kind: 'advance' | 'review';
  fromPhase: PhaseId;
  /** Where an approval leads; null for a review decision to exit. */
  toPhase: PhaseId | null;
  proposedDecision?: ReviewDecision;
  notes?: string;
  requestedBy: string;
  requestedAt: string;
  /**
   * The human task deciding it, held by the partnership itself: assignees,
   * reminders, escalations, deadline. Absent on gates of runs from before the
   * `gate-decided-on-partnership` patch, which an approval child decides.
   */
  approval?: ApprovalState;
}

export interface DecisionRecord {
  taskId: string | null;
  kind: 'advance' | 'review' | 'scheduled-review';
  cycle: number;
  fromPhase: PhaseId;
  toPhase: PhaseId | null;
  outcome: 'approved' | 'rejected';
  proposedDecision?: ReviewDecision;
  by: string;
  at: string;
  comment?: string;
  /** Hand-overs of the task before it was decided (`Name <email>` each way), for the audit. */
  handovers?: Array<{ from: string; to: string; reason: string; kind: 'hand-over' | 'out-of-office'; at: string }>;
}

export interface PartnershipState {
  id: string;
  input: PartnershipInput;
  phase: PhaseId;
  cycle: number;
  status: PartnershipStatus;
  phaseEnteredAt: string;
  /** Checklist items completed in the current cycle (initiating's carry over: it is done once). */
  completions: Completion[];
  pendingTask?: PendingTask;
  decisions: DecisionRecord[];
  documents: DocumentRef[];
  /** Notes of an "adapt" review decision, carried into the new planning cycle. */
  reviewNotes?: string;
  /** Counts gate requests so task ids stay unique and deterministic. */
  taskSeq: number;
  closedAt?: string;
  /** The stakeholder map; partners are stakeholders that were invited. */
  stakeholders: Stakeholder[];
  /** Every change of the organisation's role (guide II.2.A: the role may evolve). */
  roleHistory: RoleChange[];
  /** The SMART objectives (guide II.2.B); absent on runs from before they had their own list. */
  objectives?: SmartObjective[];
  /** Adaptive planning's roadmap of activities, each with SMART targets. */
  roadmap: RoadmapActivity[];
  resourceStrategy: ResourceStrategy;
  fiduciaryRule: FiduciaryRule;
  /** Financial channel versions per roadmap activity. */
  funding: ActivityFunding[];
  reviews: ReviewRef[];
  /** Every indicator value reported in a review: the time series the MEL reports chart. */
  indicatorSeries: IndicatorPoint[];
  /**
   * Version of each replace-style record (`resource-strategy`, `fiduciary-rule`,
   * `activity:<id>`): bumped on every write, so a write from a stale copy can be
   * refused instead of silently undoing another manager's change. Absent on
   * runs from before versions existed (every record then reads as version 0).
   */
  versions?: Record<string, number>;
  /** The last decided gate tasks (see CLOSED_TASKS_KEPT). */
  closedTasks?: ApprovalState[];
  /** The partnership's written sections (./sections.ts), each with its last changes; absent on runs from before sections. */
  sections?: Partial<Record<SectionId, SectionRecord>>;
  /** Progress on each roadmap activity, by activity id, newest last (../resources/activity-progress.ts); absent until the first record. */
  activityProgress?: Record<string, ProgressRecord[]>;
  /**
   * Notification emails started but not yet sent; carried into the next run, which sends them again (same delivery key).
   * Subject and lines are codes (the subject after `title`); runs from before codes carried English, the title in the subject.
   */
  outbox?: Array<{ deliveryKey: string; to: Person; subject: Text; title?: string; lines: Text[] }>;
  /** A governance decision from a review, waiting for the main loop to apply it. */
  governanceDecision?: { reviewId: string; decision: ReviewDecision; notes?: string; by: string; at: string };
  /**
   * How many entries of each long record earlier runs left behind when they
   * continued as new (see `carryOver`): they are in the registry, not in this
   * state. Absent on runs that never left anything behind.
   */
  earlier?: EarlierRecords;
}

/** Counts of the entries `carryOver` left out of the carried state, per record. */
export interface EarlierRecords {
  /** Decisions 1…n: the registry's transitions `<partnershipId>.decision-<n>` hold them. */
  decisions: number;
  /** Reviews 1…n: their MEL reports are documents in the registry. */
  reviews: number;
  /** Role changes that are no longer listed. */
  roleChanges: number;
}

export interface ReviewRef {
  id: string;
  number: number;
  cycle: number;
  startedAt: string;
  startedBy: string;
  status: 'in-progress' | 'decided' | 'no-decision';
  answered?: number;
  asked?: number;
  reportId?: string;
  decision?: { decision: ReviewDecision; notes?: string; by: string; at: string };
  /**
   * False from the moment the review is decided on until its workflow has
   * started; the read model leaves it out meanwhile, so nobody is handed an id
   * that does not answer yet. Absent on reviews from before: opened.
   */
  opened?: boolean;
}

export interface RoleChange {
  role: string;
  by: string;
  at: string;
  reason?: string;
}

export function initialState(id: string, input: PartnershipInput, now: string): PartnershipState {
  return {
    id,
    input,
    phase: 'initiating',
    cycle: 1,
    status: 'active',
    phaseEnteredAt: now,
    completions: [],
    decisions: [],
    documents: [],
    taskSeq: 0,
    stakeholders: [],
    roleHistory: [{ role: input.organisationRole, by: input.manager.name, at: now, reason: 'role at the start' }],
    roadmap: [],
    resourceStrategy: EMPTY_STRATEGY,
    fiduciaryRule: 'lead-partner',
    funding: [],
    reviews: [],
    indicatorSeries: [],
  };
}

/** The resource strategy of a partnership that has recorded none yet. */
export const EMPTY_STRATEGY: ResourceStrategy = { pledges: [], ownSources: [], externalPartners: [] };

/** Throws RuleError `Conflict` (`refusals:partnership.closed`) when the partnership is closed: every change to it checks this first. */
export function assertOpen(state: PartnershipState): void {
  if (state.status === 'closed') throw new RuleError('Conflict', said('refusals:partnership.closed'), { partnership: state.id });
}
