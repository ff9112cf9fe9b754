import type { PartnershipState } from '../partnership/state';
import { RuleError } from '../rule-error';
import { phase, said } from '../said';
import type { ActivityProgressRequest, ProgressRecord } from './schemas';

export type { ProgressRecord };
import { bumpVersion, checkVersion, requireVersion, type ExpectedVersion } from '../versions';

/**
 * Progress on the roadmap's activities during collaborative action (guide
 * II.2.C: partners carry out the joint activities and pilots agreed in
 * planning, and the partnership keeps track of them). Each activity keeps its
 * recent records, newest last: where it stands, what was done, by which
 * partners, who recorded it and when. A record is added from the version its
 * writer read (`progress:<activity id>`), so two people recording at once do
 * not each believe theirs is the latest word.
 */
/** How many records each activity keeps: a couple of years of monthly notes; older ones are left out of the state. */
export const PROGRESS_KEPT = 24;

/** Phases in which progress is recorded: the activities run in collaborative action and are looked back on in reflective monitoring. */
const PROGRESS_PHASES: ReadonlyArray<PartnershipState['phase']> = ['collaborative-action', 'reflective-monitoring'];

export const progressRecord = (activityId: string) => `progress:${activityId}` as const;

/**
 * What recording progress needs, now and on replay: the partnership open and
 * in collaborative action or reflective monitoring, the activity on the
 * roadmap, the partners named on the stakeholder map, and no newer record
 * than the one the writer read.
 *
 * @throws RuleError Conflict `refusals:partnership.closed` | `refusals:progress.notYet` {phase} | NotFound `refusals:activity.notFound` {id}
 * @throws RuleError Invalid `refusals:progress.notStakeholder` {id}, and what `checkVersion` refuses
 */
export function checkActivityProgress(state: PartnershipState, activityId: string, input: ActivityProgressRequest & ExpectedVersion): void {
  if (state.status === 'closed') throw new RuleError('Conflict', said('refusals:partnership.closed'), { partnership: state.id });
  if (!state.roadmap.some((a) => a.id === activityId)) throw new RuleError('NotFound', said('refusals:activity.notFound', { id: activityId }), { partnership: state.id });
  if (!PROGRESS_PHASES.includes(state.phase)) {
    throw new RuleError('Conflict', said('refusals:progress.notYet', { phase: phase(state.phase) }), { phase: state.phase });
  }
  for (const id of input.doneBy) {
    if (!state.stakeholders.some((s) => s.id === id)) throw new RuleError('Invalid', said('refusals:progress.notStakeholder', { id }), { field: 'doneBy' });
  }
  checkVersion(state, progressRecord(activityId), input.expectedVersion);
}

/** The Update's validator: what `recordActivityProgress` refuses, and a record that names no version (428). */
export function validateActivityProgress(state: PartnershipState, activityId: string, input: ActivityProgressRequest & ExpectedVersion): void {
  requireVersion(progressRecord(activityId), input.expectedVersion);
  checkActivityProgress(state, activityId, input);
}

/** Adds a progress record to the activity's history (the last PROGRESS_KEPT are kept) and answers it with its version. */
export function recordActivityProgress(state: PartnershipState, activityId: string, input: ActivityProgressRequest & ExpectedVersion, now: string): ProgressRecord {
  checkActivityProgress(state, activityId, input);
  const version = bumpVersion(state, progressRecord(activityId));
  const record: ProgressRecord = { status: input.status, note: input.note, doneBy: [...new Set(input.doneBy)], by: input.by, at: now, version };
  const progress = (state.activityProgress ??= {});
  progress[activityId] = [...(progress[activityId] ?? []), record].slice(-PROGRESS_KEPT);
  return record;
}
