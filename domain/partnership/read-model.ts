import type { PhaseId } from './phases';
import type { IndicatorPoint } from '../reviews/review';
import type { DocumentRef } from '../documents/documents';
import type { Person } from '../schemas';
import type { PartnershipInput } from './schemas';
import type { ProgressRecord, ResourceStrategy, SmartObjective } from '../resources/schemas';
import type { FiduciaryRule, RoadmapActivity } from '../resources/funding';
import { multiStakeholderCheck, type MultiStakeholderCheck, type Stakeholder } from '../partners/stakeholders';
import { sectionViews, type SectionView } from './sections';
import {
  EMPTY_STRATEGY,
  type DecisionRecord,
  type EarlierRecords,
  type PartnershipState,
  type PartnershipStatus,
  type PendingTask,
  type ReviewRef,
  type RoleChange,
} from './state';
import { checklistView, phaseProgress, type ChecklistEntry } from './checklist';
import { fundingSummary, type FundingSummary } from '../resources/funding-summary';

/**
 * The read model of one partnership (`PartnershipView`): what the API serves
 * and the console shows, built from the state by `toView`.
 */

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
