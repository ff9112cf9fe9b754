import type { PartnershipInput } from './schemas';
import { EMPTY_STRATEGY, type PartnershipState, type ReviewRef } from './state';

/**
 * What a run of the partnership workflow hands to the next when it continues
 * as new: the state cut to windows (`carryOver`), the counts of what was left
 * in the registry, and the state of an older run brought up to today's shape
 * (`normaliseCarried`).
 */

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
