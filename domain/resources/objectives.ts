import { RuleError } from '../rule-error';
import { day, said, type Said } from '../said';
import type { SmartObjective, SmartObjectiveInput } from './schemas';
import { bumpVersion, checkVersion, type ExpectedVersion, requireVersion } from '../versions';
import { assertOpen, type PartnershipState } from '../partnership/state';

/**
 * The partnership's SMART objectives (guide II.2.B "Issues, situations,
 * challenges": a small working group drafts objectives from the common vision,
 * then all partners settle them). Each is specific, measurable, achievable,
 * reasonable and time-bound; the roadmap's activities say which objectives
 * they serve. Pure functions on `PartnershipState`, called from the
 * partnership workflow's `upsertObjective` Update.
 */
export type { SmartObjective };

export const SMART_CRITERIA = ['specific', 'measurable', 'achievable', 'reasonable', 'time-bound'] as const;
export type SmartCriterion = (typeof SMART_CRITERIA)[number];

/** The longest an objective may look ahead: beyond it, "time-bound" no longer bounds anything. */
export const MAX_OBJECTIVE_YEARS = 15;

/**
 * Which SMART criterion `o` fails, judged on `today` (YYYY-MM-DD), or
 * undefined when it meets all five. The schema already holds the shape (a
 * statement, an indicator with a numeric target and unit, the partners'
 * agreement that it is achievable, why it is reasonable, a date); what is
 * checked here is what the shape cannot see:
 * - specific: the statement says more than the indicator's name;
 * - measurable: the target is a number other than nothing to reach (not 0 when nothing changes);
 * - reasonable: the reason is not a copy of the statement;
 * - time-bound: the date is not in the past, and within MAX_OBJECTIVE_YEARS.
 * `dateChanged` is false for an objective whose date was kept: an objective
 * set last year keeps its date when its wording is corrected.
 */
export function smartProblem(o: SmartObjectiveInput, today: string, dateChanged = true): { criterion: SmartCriterion; said: Said } | undefined {
  const same = (a: string, b: string) => a.trim().toLocaleLowerCase() === b.trim().toLocaleLowerCase();
  if (same(o.statement, o.indicator)) {
    return { criterion: 'specific', said: said('refusals:objective.specific') };
  }
  if (Number(o.target) === 0) return { criterion: 'measurable', said: said('refusals:objective.measurable') };
  if (o.achievable !== true) return { criterion: 'achievable', said: said('refusals:objective.achievable') };
  if (same(o.relevance, o.statement)) return { criterion: 'reasonable', said: said('refusals:objective.reasonable') };
  if (dateChanged && o.date < today) return { criterion: 'time-bound', said: said('refusals:objective.datePassed', { date: day(o.date), today: day(today) }) };
  const latest = `${Number(today.slice(0, 4)) + MAX_OBJECTIVE_YEARS}${today.slice(4)}`;
  if (dateChanged && o.date > latest) return { criterion: 'time-bound', said: said('refusals:objective.dateTooFar', { date: day(o.date), years: MAX_OBJECTIVE_YEARS, latest: day(latest) }) };
  return undefined;
}

/** @throws RuleError Invalid `refusals:objective.<criterion>` (details.smart names it), and what `checkVersion` refuses */
export function checkUpsertObjective(state: PartnershipState, input: SmartObjectiveInput & ExpectedVersion, today: string): void {
  assertOpen(state);
  checkVersion(state, `objective:${input.id}`, input.expectedVersion);
  const existing = (state.objectives ?? []).find((o) => o.id === input.id);
  const problem = smartProblem(input, today, !existing || existing.date !== input.date);
  if (problem) throw new RuleError('Invalid', problem.said, { smart: problem.criterion });
}

/** The Update's validator: what `upsertObjective` refuses, and a change to an existing objective that names no version. */
export function validateUpsertObjective(state: PartnershipState, input: SmartObjectiveInput & ExpectedVersion, today: string): void {
  if ((state.objectives ?? []).some((o) => o.id === input.id)) requireVersion(`objective:${input.id}`, input.expectedVersion);
  checkUpsertObjective(state, input, today);
}

/** Adds the objective, or replaces the one with its id; answers it with its new version. */
export function upsertObjective(state: PartnershipState, input: SmartObjectiveInput & ExpectedVersion, today: string): SmartObjective & { version: number } {
  const { expectedVersion: _expected, ...fields } = input;
  checkUpsertObjective(state, input, today);
  const objective: SmartObjective = { ...fields, achievable: true };
  const objectives = (state.objectives ??= []);
  const i = objectives.findIndex((o) => o.id === objective.id);
  if (i >= 0) objectives[i] = objective;
  else objectives.push(objective);
  return { ...objective, version: bumpVersion(state, `objective:${objective.id}`) };
}
