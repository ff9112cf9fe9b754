import {
  CAPABILITIES,
  CATALOGUE,
  FIRST_EDITION,
  catalogueItem,
  itemsOfPhase,
  type CapabilityId,
  type CatalogueEdition,
  type CatalogueItem,
} from './catalogue';
import { nextPhase, phaseLabel, type PhaseId } from './phases';
import {
  checkDecision,
  checkDelegation,
  type ApprovalState,
  type DecideInput,
  type DelegateInput,
} from '../human-tasks/approval-state';
import type { IndicatorPoint } from '../reviews/review';
import type { DocumentRef } from '../documents/documents';
import { RuleError } from '../rule-error';
import type {
  CompleteItemRequest,
  PartnershipInput,
  Person,
  ResourceStrategy,
  ReviewDecisionRequest,
  ProgressRecord,
  SmartObjective,
  TransitionRecord,
} from '../schemas';
import {
  approvedChannel,
  pendingChannel,
  totalsByCurrency,
  type ActivityFunding,
  type ChannelProposal,
  type ChannelVersion,
  type Currency,
  type FiduciaryRule,
  type RoadmapActivity,
} from '../resources/funding';
import { multiStakeholderCheck, type MultiStakeholderCheck, type Stakeholder } from '../partners/stakeholders';
import { sectionSummary, sectionViews, SECTIONS_IN_DOCUMENT, type SectionId, type SectionRecord, type SectionView } from './sections';

/**
 * The partnership's state and the pure functions that change it. The workflow
 * holds one `PartnershipState` and changes it only through these functions, so
 * every rule here is unit-tested without a Temporal server. Timestamps are ISO
 * strings passed in by the caller (workflow time), never read from a clock here.
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

export type { DocumentRef } from '../documents/documents';

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
  /** Notification emails started but not yet sent; carried into the next run, which sends them again (same delivery key). */
  outbox?: Array<{ deliveryKey: string; to: Person; subject: string; lines: string[] }>;
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

export interface ApprovalOutcome {
  outcome: 'approved' | 'rejected';
  decidedBy: Person | null;
  at: string;
  comment?: string;
}

export interface ChecklistEntry extends CatalogueItem {
  done: boolean;
  /** For an item that belongs to a capability: what the partnership's data shows for it. */
  shows?: CapabilityStatus;
  doneBy?: string;
  doneAt?: string;
  note?: string;
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

const EMPTY_STRATEGY: ResourceStrategy = { pledges: [], ownSources: [], externalPartners: [] };

/**
 * How much of each long record a run carries into the next when it continues
 * as new. Older entries live on in the registry (decisions as transitions,
 * documents and MEL reports as documents), so the carried state, and the
 * history of every run, stays the same size however many cycles a partnership
 * lives (a decade of reviews is a few hundred gates).
 */
export const CARRIED = {
  /** Six cycles' gates and rejections: what a manager looks back on in the console. */
  decisions: 24,
  /** The read model lists every document from the registry; the workflow keeps the recent ones for its own summary. */
  documents: 24,
  /** Reviews beyond the trend window are never read by the workflow; the in-progress one is always kept. */
  reviews: 8,
  roleChanges: 20,
} as const;

/** The state a run hands to the next: without the input (sent beside it once) and with each long record cut to its window. */
export type CarriedState = Omit<PartnershipState, 'input'> & { input?: PartnershipInput };

/** The number the next decision takes (1-based, counting those left in the registry): part of its registry id and delivery key. */
export function decisionCount(state: PartnershipState): number {
  return (state.earlier?.decisions ?? 0) + state.decisions.length;
}

/** How many reviews the partnership has opened, counting those earlier runs left behind: the next review's number is one more. */
export function reviewCount(state: PartnershipState): number {
  return (state.earlier?.reviews ?? 0) + (state.reviews ?? []).length;
}

/**
 * What a run carries into the next (guide II.2.D: the loop runs for as long as
 * the partnership lives): the state without its input and with decisions,
 * documents, reviews, role changes and indicator points cut to their windows
 * (`CARRIED`, and the reviews the trend charts reach, `TREND_REVIEWS`).
 * Entries that are still acted on are always kept: the review in progress and
 * the one whose governance decision waits. Pure; the state is not changed.
 */
export function carryOver(state: PartnershipState, trendReviews: number): CarriedState {
  const { input: _input, ...rest } = state;
  const keepLast = <T>(list: T[] | undefined, n: number): [T[], number] => {
    const all = list ?? [];
    return [all.slice(-n), Math.max(0, all.length - n)];
  };
  const [decisions, decisionsLeft] = keepLast(state.decisions, CARRIED.decisions);
  const [documents] = keepLast(state.documents, CARRIED.documents);
  const [roleHistory, roleChangesLeft] = keepLast(state.roleHistory, CARRIED.roleChanges);
  const reviews = state.reviews ?? [];
  const stillActedOn = (r: ReviewRef) => r.status === 'in-progress' || r.id === state.governanceDecision?.reviewId;
  const firstKept = reviews.findIndex((r, i) => i >= reviews.length - CARRIED.reviews || stillActedOn(r));
  const keptReviews = firstKept < 0 ? [] : reviews.slice(firstKept);
  const lastReview = (state.indicatorSeries ?? []).reduce((max, p) => Math.max(max, p.reviewNumber), 0);
  return {
    ...rest,
    decisions,
    documents,
    roleHistory,
    reviews: keptReviews,
    indicatorSeries: (state.indicatorSeries ?? []).filter((p) => p.reviewNumber > lastReview - trendReviews),
    earlier: {
      decisions: (state.earlier?.decisions ?? 0) + decisionsLeft,
      reviews: (state.earlier?.reviews ?? 0) + (reviews.length - keptReviews.length),
      roleChanges: (state.earlier?.roleChanges ?? 0) + roleChangesLeft,
    },
  };
}

/**
 * State carried from runs written before a field existed gets that field's
 * empty value; a state carried without its input (see `carryOver`) gets the
 * run's own.
 */
export function normaliseCarried(carried: CarriedState, input: PartnershipInput): PartnershipState {
  const state = carried as PartnershipState;
  state.input ??= input;
  state.stakeholders ??= [];
  state.roleHistory ??= [];
  state.roadmap ??= [];
  state.resourceStrategy ??= EMPTY_STRATEGY;
  state.fiduciaryRule ??= 'lead-partner';
  state.funding ??= [];
  state.reviews ??= [];
  state.indicatorSeries ??= [];
  return state;
}

/** Throws RuleError `Conflict` when the partnership is closed: every change to it checks this first. */
export function assertOpen(state: PartnershipState): void {
  if (state.status === 'closed') throw new RuleError('Conflict', `partnership ${state.id} is closed`);
}

export function completionOf(state: PartnershipState, itemId: string): Completion | undefined {
  return state.completions.find((c) => c.itemId === itemId);
}

/** What completing an item needs, now and in every past version: open, a known item of the current phase. */
function checkCompleteItemBasics(state: PartnershipState, itemId: string): CatalogueItem {
  assertOpen(state);
  const item = catalogueItem(itemId);
  if (!item) throw new RuleError('NotFound', `no checklist item "${itemId}"`);
  if (item.phase !== state.phase) {
    throw new RuleError(
      'Conflict',
      `item "${itemId}" belongs to ${phaseLabel(item.phase)}; the partnership is in ${phaseLabel(state.phase)}`,
    );
  }
  return item;
}

/**
 * The full check, run by the Update validator: also refuses an item whose
 * capability is a precondition and not done yet (no stakeholder mapped, no
 * roadmap activity, no SMART target). Handlers re-check only the basics, so
 * histories recorded before this rule still replay.
 */
export function checkCompleteItem(state: PartnershipState, itemId: string): void {
  const item = checkCompleteItemBasics(state, itemId);
  if (item.requiresCapability && item.capability && !completionOf(state, itemId)) {
    const status = capabilityStatus(state, item.capability);
    if (!status.done) {
      throw new RuleError('Conflict', `item "${itemId}" cannot be completed yet: ${status.needed}`, { capability: status });
    }
  }
}

/** Completing an item twice keeps the first completion, so a retried request is harmless. */
export function completeItem(
  state: PartnershipState,
  itemId: string,
  req: CompleteItemRequest,
  now: string,
): Completion {
  checkCompleteItemBasics(state, itemId);
  const existing = completionOf(state, itemId);
  if (existing) return existing;
  const completion: Completion = { itemId, by: req.by, at: now, ...(req.note ? { note: req.note } : {}) };
  state.completions.push(completion);
  return completion;
}

export interface CapabilityStatus {
  id: CapabilityId;
  label: string;
  done: boolean;
  /** What the partnership's own data shows. */
  summary: string;
  /** What is missing while not done. */
  needed?: string;
}

/** Whether a capability's data shows the work done, and what it shows (beside its items in the read model). */
export function capabilityStatus(state: PartnershipState, id: CapabilityId): CapabilityStatus {
  const label = CAPABILITIES.find((c) => c.id === id)!.label;
  const stakeholders = state.stakeholders ?? [];
  const roadmap = state.roadmap ?? [];
  const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
  const status = (done: boolean, summary: string, needed: string): CapabilityStatus => ({
    id,
    label,
    done,
    summary,
    ...(done ? {} : { needed }),
  });
  switch (id) {
    case 'stakeholder-map': {
      const core = stakeholders.filter((s) => s.coreGroup).length;
      return status(
        stakeholders.length > 0,
        `${plural(stakeholders.length, 'stakeholder')} mapped, ${core} in the core group`,
        'map at least one stakeholder first (POST …/stakeholders)',
      );
    }
    case 'roadmap':
      return status(roadmap.length > 0, `${plural(roadmap.length, 'activity', 'activities')} on the roadmap`, 'add at least one roadmap activity first (POST …/roadmap)');
    case 'smart-targets': {
      // The partnership's SMART objectives; an activity's SMART target also counts (partnerships planned before objectives had their own list).
      const objectives = (state.objectives ?? []).length;
      const targets = roadmap.reduce((n, a) => n + a.targets.length, 0);
      return status(
        objectives + targets > 0,
        `${objectives ? `${plural(objectives, 'SMART objective')}; ` : ''}${plural(targets, 'SMART target')} across ${plural(roadmap.length, 'activity', 'activities')}`,
        'set at least one SMART objective (POST …/objectives), or give a roadmap activity a SMART target (indicator, target, unit, date), first',
      );
    }
    case 'resource-strategy': {
      const { pledges, ownSources, externalPartners } = state.resourceStrategy ?? EMPTY_STRATEGY;
      return status(
        pledges.length + ownSources.length + externalPartners.length > 0,
        `${plural(pledges.length, 'pledge')}, ${plural(ownSources.length, 'own source')}, ${plural(externalPartners.length, 'external financial partner')}`,
        'record the resource strategy first (PUT …/resource-strategy)',
      );
    }
    case 'fiduciary-rule':
      return status(true, state.fiduciaryRule === 'rotating-core' ? 'fiduciary agent rotates among core partners' : 'the lead partner is the fiduciary agent', '');
    case 'funding-channels': {
      const funded = roadmap.length - unfundedActivities(state).length;
      return status(
        roadmap.length > 0 && funded === roadmap.length,
        `${funded} of ${plural(roadmap.length, 'activity', 'activities')} with an approved channel`,
        'every roadmap activity needs an approved financial channel',
      );
    }
    case 'mel': {
      const reviews = (state.reviews ?? []).filter((r) => r.cycle === state.cycle && r.opened !== false);
      return status(
        true,
        `monitored ${state.input.monitoredBy === 'external' ? 'externally' : 'internally'}; ${plural(reviews.length, 'review')} this cycle`,
        '',
      );
    }
    case 'issue-context':
    case 'core-group':
    case 'governance-outline':
    case 'resource-outline':
    case 'communication-plan':
    case 'reporting-lines':
    case 'own-resources':
    case 'governance-structure':
    case 'staffing-plan': {
      const written = sectionSummary(state, id);
      const core = id === 'core-group' ? `; ${plural(stakeholders.filter((s) => s.coreGroup).length, 'stakeholder')} marked core group on the map` : '';
      return status(written.done, `${written.summary}${core}`, written.needed ?? '');
    }
    case 'role': {
      const history = state.roleHistory ?? [];
      const role = history.at(-1)?.role ?? state.input.organisationRole;
      // The first entry is the role at the start; those earlier runs left behind count too.
      const changes = (state.earlier?.roleChanges ?? 0) + history.length - 1;
      return status(true, `${role}${changes > 0 ? ` (${plural(changes, 'change')})` : ''}`, '');
    }
  }
}

/** The current phase's items not yet done; with `edition`, only among the items that edition had. */
export function missingItems(state: PartnershipState, edition?: CatalogueEdition): CatalogueItem[] {
  return itemsOfPhase(state.phase, edition).filter((item) => !completionOf(state, item.id));
}

export function phaseProgress(state: PartnershipState): { done: number; total: number } {
  const items = itemsOfPhase(state.phase);
  return { done: items.filter((i) => completionOf(state, i.id)).length, total: items.length };
}

function assertCanRequestGate(state: PartnershipState, edition?: CatalogueEdition): void {
  assertOpen(state);
  if (state.pendingTask) {
    throw new RuleError('Conflict', `a decision is already pending (task ${state.pendingTask.id})`, {
      taskId: state.pendingTask.id,
    });
  }
  const missing = missingItems(state, edition);
  if (missing.length > 0) {
    throw new RuleError(
      'Conflict',
      `${missing.length} checklist item(s) of ${phaseLabel(state.phase)} are not complete: ${missing
        .map((m) => m.id)
        .join(', ')}`,
      { missingItems: missing.map((m) => m.id) },
    );
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
    throw new RuleError('Conflict', 'reflective monitoring ends with a review decision (continue, adapt or exit), not an advance');
  }
  assertCanRequestGate(state, edition);
}

/**
 * The full check, run by the Update validator. Policy rules added over time
 * (like the multi-stakeholder rule) live only here: validators are not
 * replayed, so histories of advances accepted before a rule existed still
 * replay. Handlers re-check only `checkAdvanceBasics`.
 */
export function checkAdvance(state: PartnershipState): void {
  checkAdvanceBasics(state);
  if (state.phase === 'adaptive-planning') {
    const check = multiStakeholderCheck(state.stakeholders);
    if (!check.met) {
      throw new RuleError('Conflict', `the partnership is not yet multi-stakeholder: it needs ${check.missing.join(' and ')}`, {
        multiStakeholder: check,
      });
    }
    const unfunded = unfundedActivities(state);
    if (unfunded.length > 0) {
      throw new RuleError(
        'Conflict',
        `collaborative action cannot start: no approved financial channel for ${unfunded.map((a) => `"${a.title}" (${a.id})`).join(', ')}`,
        { unfundedActivities: unfunded.map((a) => a.id) },
      );
    }
  }
}

export function unfundedActivities(state: PartnershipState): RoadmapActivity[] {
  return (state.roadmap ?? []).filter((a) => !approvedChannel(fundingOf(state, a.id)));
}

function nextTaskId(state: PartnershipState): string {
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
  if (!task) throw new RuleError('NotFound', `no task "${taskId}" on partnership ${state.id}`);
  return task;
}

/** Keeps a decided gate task among the last CLOSED_TASKS_KEPT, for late clicks and their pages. */
export function closeGateTask(state: PartnershipState, task: ApprovalState): void {
  state.closedTasks = [...(state.closedTasks ?? []).filter((t) => t.request.taskId !== task.request.taskId), task].slice(-CLOSED_TASKS_KEPT);
}

export function reviewDecisionTarget(decision: ReviewDecision): PhaseId | null {
  return decision === 'exit' ? null : 'adaptive-planning';
}

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

/** The validator's check (every item); the handler passes FIRST_EDITION, as for advances. */
export function checkReviewDecision(state: PartnershipState, edition?: CatalogueEdition): void {
  assertOpen(state);
  if (state.phase !== 'reflective-monitoring') {
    throw new RuleError(
      'Conflict',
      `a review decision is taken in Reflective monitoring; the partnership is in ${phaseLabel(state.phase)}`,
    );
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

export type GateEffect =
  | { type: 'stayed' }
  | { type: 'moved'; from: PhaseId; to: PhaseId }
  | { type: 'new-cycle'; cycle: number }
  | { type: 'closed' };

/** Applies the approvers' answer to the pending task and says what changed. */
export function applyApproval(state: PartnershipState, result: ApprovalOutcome, byLabel?: string): GateEffect {
  const task = state.pendingTask;
  if (!task) throw new RuleError('Conflict', 'no pending task to apply');
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

function enterPhase(state: PartnershipState, phase: PhaseId, now: string): void {
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



export function fundingOf(state: PartnershipState, activityId: string): ActivityFunding | undefined {
  return (state.funding ?? []).find((f) => f.activityId === activityId);
}


export interface FundingSummary {
  pledged: Record<string, string>;
  approved: Record<string, string>;
  approvedBySource: Record<string, Record<string, string>>;
  pledgedByPartner: Record<string, Record<string, string>>;
  inKind: Array<{ partnerId: string; type: string; description: string }>;
  /** Per activity: the channel in force, the one under review, and every decided version (approved or rejected, oldest first) for the history. */
  activities: Array<{ id: string; title: string; channel: ChannelVersion | null; pending: ChannelVersion | null; decided: ChannelVersion[] }>;
}

function sourceLabel(p: ChannelProposal): string {
  return p.source.kind === 'organisation' ? p.source.name : p.source.kind === 'partner' ? `partner:${p.source.partnerId}` : `external:${p.source.name}`;
}

export function fundingSummary(state: PartnershipState): FundingSummary {
  const financial = (state.resourceStrategy ?? EMPTY_STRATEGY).pledges.flatMap((p) => (p.type === 'financial' ? [p] : []));
  const approved = (state.roadmap ?? []).flatMap((a) => {
    const c = approvedChannel(fundingOf(state, a.id));
    return c ? [c] : [];
  });
  const group = <T>(items: T[], key: (t: T) => string, money: (t: T) => { amount: string; currency: Currency }) => {
    const keys = [...new Set(items.map(key))].sort();
    return Object.fromEntries(keys.map((k) => [k, totalsByCurrency(items.filter((i) => key(i) === k).map(money))]));
  };
  return {
    pledged: totalsByCurrency(financial),
    approved: totalsByCurrency(approved.map((c) => ({ amount: c.proposal.amount, currency: c.proposal.currency }))),
    approvedBySource: group(approved, (c) => sourceLabel(c.proposal), (c) => ({ amount: c.proposal.amount, currency: c.proposal.currency })),
    pledgedByPartner: group(financial, (p) => p.partnerId, (p) => p),
    inKind: (state.resourceStrategy ?? EMPTY_STRATEGY).pledges.flatMap((p) =>
      p.type === 'financial' ? [] : [{ partnerId: p.partnerId, type: p.type, description: p.description }],
    ),
    activities: (state.roadmap ?? []).map((a) => ({
      id: a.id,
      title: a.title,
      channel: approvedChannel(fundingOf(state, a.id)) ?? null,
      pending: pendingChannel(fundingOf(state, a.id)) ?? null,
      // A channel's decision is recorded with `at` (applyChannelDecision): given here as `decidedAt`, its typed name.
      decided: (fundingOf(state, a.id)?.versions ?? [])
        .filter((v) => v.decidedBy)
        .map((v) => ({ ...v, decidedAt: v.decidedAt ?? (v as ChannelVersion & { at?: string }).at })),
    })),
  };
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

/**
 * What a phase document is built from: the partnership's identity and input,
 * the closed phase's completions and its approving decision, and the parts of
 * its own data the document describes — the stakeholder map, the role, the
 * roadmap with its SMART targets, the resource strategy, the financial
 * channels and the reviews. Only this goes into the document activity's input,
 * not the whole state, and every list and free text in it is bounded (see
 * DOCUMENT_FACT_LIMITS), so the payload stays far below Temporal's 2 MB
 * however many partners, activities or reviews a partnership has. Facts from
 * runs before these fields existed lack them; their documents say "not
 * recorded yet".
 */
export interface PhaseDocumentFacts extends Pick<PartnershipState, 'id' | 'input' | 'cycle' | 'reviewNotes' | 'completions' | 'decisions'> {
  stakeholders?: StakeholderFact[];
  roleHistory?: RoleChange[];
  roadmap?: RoadmapActivity[];
  /** The SMART objectives (guide II.2.B): what each says, its indicator, target and date; absent from documents written before they were printed. */
  objectives?: Array<Pick<SmartObjective, 'id' | 'statement' | 'indicator' | 'target' | 'unit' | 'date'>>;
  resourceStrategy?: ResourceStrategy;
  fiduciaryRule?: FiduciaryRule;
  funding?: FundingFact[];
  reviews?: Array<Pick<ReviewRef, 'number' | 'cycle' | 'status' | 'startedAt' | 'answered' | 'asked'> & { decision?: ReviewDecision }>;
  /** The written sections this phase's document prints (SECTIONS_IN_DOCUMENT), in the guide's order, each as it stands at the gate with its last change. */
  sections?: SectionFact[];
  /** How many of each list were left out by the limits (absent when none were). */
  omitted?: { stakeholders?: number; roadmap?: number; funding?: number; reviews?: number };
}

/** A section as documents print it: its whole text (bounded by its schema), its fields and who changed it last. */
export type SectionFact = Pick<SectionView, 'id' | 'text' | 'sdgTargets' | 'bySource' | 'version'> & { by?: string; at?: string };

/** A stakeholder as documents show it: no contact details or history, free texts clipped. */
export type StakeholderFact = Pick<Stakeholder, 'id' | 'organisation' | 'group' | 'coreGroup' | 'status' | 'potentialRoles' | 'whyEngage' | 'engagementStrategy'>;

/** The channel of one roadmap activity as documents show it: the one in force, else the one in review. */
export interface FundingFact {
  activityId: string;
  version: number;
  status: ChannelVersion['status'];
  source: ChannelProposal['source'];
  amount: string;
  currency: Currency;
  fiduciaryAgent: string;
}

/**
 * Bounds on what a phase document carries: with every free text at its
 * schema's maximum, 300 stakeholders, 100 activities of 5 targets, 100
 * channels and 50 reviews stay under 600 kB of JSON (measured by
 * test/documents/documents-pdf.unit.test.ts).
 */
export const DOCUMENT_FACT_LIMITS = { stakeholders: 300, roadmap: 100, targetsPerActivity: 5, funding: 100, reviews: 50, text: 200 } as const;

/** `text` cut to `max` characters (whole code points) with an ellipsis, for documents' bounded facts. */
export function clipText(text: string, max: number = DOCUMENT_FACT_LIMITS.text): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

function bounded<T>(list: readonly T[], max: number): { kept: T[]; omitted: number } {
  return { kept: list.slice(0, max), omitted: Math.max(0, list.length - max) };
}

/** The facts of `phase`'s document as the state stands at its gate (see PhaseDocumentFacts). */
export function phaseDocumentFacts(state: PartnershipState, phase: PhaseId): PhaseDocumentFacts {
  const decision = [...state.decisions].reverse().find((d) => d.fromPhase === phase && d.outcome === 'approved');
  const L = DOCUMENT_FACT_LIMITS;
  // The core group first, so a cut never drops a champion.
  const stakeholders = bounded([...(state.stakeholders ?? [])].sort((a, b) => Number(b.coreGroup) - Number(a.coreGroup)), L.stakeholders);
  const roadmap = bounded(state.roadmap ?? [], L.roadmap);
  const funding = bounded(
    (state.funding ?? []).flatMap((f) => {
      const v = approvedChannel(f) ?? pendingChannel(f) ?? f.versions[f.versions.length - 1];
      return v ? [{ activityId: f.activityId, version: v.version, status: v.status, source: v.proposal.source, amount: v.proposal.amount, currency: v.proposal.currency, fiduciaryAgent: v.fiduciaryAgent }] : [];
    }),
    L.funding,
  );
  const reviews = bounded((state.reviews ?? []).slice(-L.reviews), L.reviews);
  const omitted = Object.fromEntries(
    Object.entries({
      stakeholders: stakeholders.omitted,
      roadmap: roadmap.omitted,
      funding: funding.omitted,
      // Reviews earlier runs left behind (see `carryOver`) are not listed either.
      reviews: (state.earlier?.reviews ?? 0) + (state.reviews ?? []).length - reviews.kept.length,
    }).filter(([, n]) => n > 0),
  );
  return {
    id: state.id,
    input: state.input,
    cycle: state.cycle,
    ...(state.reviewNotes ? { reviewNotes: state.reviewNotes } : {}),
    completions: state.completions.filter((c) => catalogueItem(c.itemId)?.phase === phase),
    decisions: decision ? [decision] : [],
    stakeholders: stakeholders.kept.map((s) => ({
      id: s.id,
      organisation: s.organisation,
      group: s.group,
      coreGroup: s.coreGroup,
      status: s.status,
      potentialRoles: s.potentialRoles.slice(0, 5).map((r) => clipText(r, 80)),
      whyEngage: clipText(s.whyEngage),
      engagementStrategy: clipText(s.engagementStrategy),
    })),
    roleHistory: (state.roleHistory ?? []).slice(-10).map((r) => ({ ...r, ...(r.reason ? { reason: clipText(r.reason) } : {}) })),
    roadmap: roadmap.kept.map((a) => ({
      ...a,
      participatingPartners: a.participatingPartners.slice(0, 20),
      targets: a.targets.slice(0, L.targetsPerActivity).map((t) => ({ ...t, indicator: clipText(t.indicator) })),
    })),
    objectives: (state.objectives ?? []).slice(0, L.roadmap).map((o) => ({ id: o.id, statement: clipText(o.statement), indicator: clipText(o.indicator), target: o.target, unit: o.unit, date: o.date })),
    resourceStrategy: {
      ...(state.resourceStrategy ?? EMPTY_STRATEGY),
      pledges: (state.resourceStrategy ?? EMPTY_STRATEGY).pledges.slice(0, L.funding).map((p) => (p.type === 'financial' ? p : { ...p, description: clipText(p.description) })),
      externalPartners: (state.resourceStrategy ?? EMPTY_STRATEGY).externalPartners.slice(0, L.funding),
    },
    fiduciaryRule: state.fiduciaryRule ?? 'lead-partner',
    funding: funding.kept,
    sections: sectionViews(state)
      .filter((v) => SECTIONS_IN_DOCUMENT[phase].includes(v.id))
      .sort((a, b) => SECTIONS_IN_DOCUMENT[phase].indexOf(a.id) - SECTIONS_IN_DOCUMENT[phase].indexOf(b.id))
      .map(({ id, text, sdgTargets, bySource, version, changes }) => ({
        id,
        text,
        version,
        ...(sdgTargets ? { sdgTargets } : {}),
        ...(bySource ? { bySource } : {}),
        ...(changes.at(-1) ? { by: changes.at(-1)!.by, at: changes.at(-1)!.at } : {}),
      })),
    reviews: reviews.kept.map((r) => ({
      number: r.number,
      cycle: r.cycle,
      status: r.status,
      startedAt: r.startedAt,
      ...(r.answered !== undefined ? { answered: r.answered } : {}),
      ...(r.asked !== undefined ? { asked: r.asked } : {}),
      ...(r.decision ? { decision: r.decision.decision } : {}),
    })),
    ...(Object.keys(omitted).length ? { omitted } : {}),
  };
}

export function addDocument(state: PartnershipState, doc: DocumentRef): void {
  if (!state.documents.some((d) => d.id === doc.id)) state.documents.push(doc);
}

export function checklistView(state: PartnershipState): ChecklistEntry[] {
  return CATALOGUE.map((item) => {
    const c = completionOf(state, item.id);
    return {
      ...item,
      done: Boolean(c),
      ...(item.capability ? { shows: capabilityStatus(state, item.capability) } : {}),
      ...(c ? { doneBy: c.by, doneAt: c.at, ...(c.note ? { note: c.note } : {}) } : {}),
    };
  });
}

/** The read model the API serves: everything a manager or tool needs about one partnership. */
export interface PartnershipView {
  id: string;
  title: string;
  /** The partnership's working language (BCP 47), in which its documents are written; absent means English. */
  language?: string;
  goal: string;
  drivers: string[];
  organisationRole: string;
  manager: Person;
  /** Who else may manage it in the console; empty for partnerships started without co-managers. */
  coManagers: Person[];
  approvers: Person[];
  timings: PartnershipInput['timings'];
  phase: PhaseId;
  cycle: number;
  status: PartnershipStatus;
  phaseEnteredAt: string;
  progress: { done: number; total: number };
  checklist: ChecklistEntry[];
  pendingTasks: PendingTask[];
  /** The recent decisions; `earlier.decisions` more are in the registry (the API's read model puts them back in front). */
  decisions: DecisionRecord[];
  earlier?: EarlierRecords;
  documents: DocumentRef[];
  reviewNotes?: string;
  closedAt?: string;
  stakeholders: Stakeholder[];
  multiStakeholder: MultiStakeholderCheck;
  roleHistory: RoleChange[];
  objectives: SmartObjective[];
  roadmap: RoadmapActivity[];
  resourceStrategy: ResourceStrategy;
  fiduciaryRule: FiduciaryRule;
  funding: FundingSummary;
  monitoredBy: 'internal' | 'external';
  /** Versions of the replace-style records (see `PartnershipState.versions`); send one back as If-Match. */
  versions: Record<string, number>;
  /** Every section (./sections.ts), written or not, with its version and last changes. */
  sections: SectionView[];
  /** Progress on each roadmap activity, by activity id, newest last; an activity without any record is absent. */
  activityProgress: Record<string, ProgressRecord[]>;
  reviews: ReviewRef[];
  indicatorSeries: IndicatorPoint[];
}

export function toView(state: PartnershipState): PartnershipView {
  const { input } = state;
  return {
    id: state.id,
    title: input.title,
    ...(input.language ? { language: input.language } : {}),
    goal: input.goal,
    drivers: input.drivers,
    organisationRole: input.organisationRole,
    manager: input.manager,
    coManagers: input.coManagers ?? [],
    approvers: input.approvers,
    timings: input.timings,
    phase: state.phase,
    cycle: state.cycle,
    status: state.status,
    phaseEnteredAt: state.phaseEnteredAt,
    progress: phaseProgress(state),
    checklist: checklistView(state),
    pendingTasks: state.pendingTask ? [state.pendingTask] : [],
    decisions: state.decisions,
    ...(state.earlier ? { earlier: state.earlier } : {}),
    documents: state.documents,
    ...(state.reviewNotes ? { reviewNotes: state.reviewNotes } : {}),
    ...(state.closedAt ? { closedAt: state.closedAt } : {}),
    stakeholders: state.stakeholders ?? [],
    multiStakeholder: multiStakeholderCheck(state.stakeholders ?? []),
    roleHistory: state.roleHistory ?? [],
    objectives: state.objectives ?? [],
    roadmap: state.roadmap ?? [],
    resourceStrategy: state.resourceStrategy ?? EMPTY_STRATEGY,
    fiduciaryRule: state.fiduciaryRule ?? 'lead-partner',
    funding: fundingSummary(state),
    monitoredBy: input.monitoredBy ?? 'internal',
    versions: state.versions ?? {},
    sections: sectionViews(state),
    activityProgress: state.activityProgress ?? {},
    reviews: (state.reviews ?? []).filter((r) => r.opened !== false).map(({ opened: _opened, ...r }) => r),
    indicatorSeries: state.indicatorSeries ?? [],
  };
}

