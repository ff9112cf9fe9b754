import { CARRIED, carryOver, decisionCount, normaliseCarried, reviewCount } from '../../domain/partnership/carry-over';
import { capabilityStatus } from '../../domain/partnership/checklist';
import { initialState, type DecisionRecord, type PartnershipState } from '../../domain/partnership/state';
import { phaseDocumentFacts } from '../../domain/partnership/document-facts';
import { applyReviewResult, startReview, TREND_REVIEWS } from '../../domain/reviews/partnership-reviews';
import { partnershipInput } from '../support/fixtures';

/**
 * A partnership that lives for a hundred cycles: each cycle decides its gates,
 * stores its documents, changes its role once and runs one review with
 * indicator values, then continues as new with what `carryOver` hands on. The
 * carried state must stay the same size while the numbering goes on.
 */
const input = partnershipInput({ slug: 'carried' });
const at = (cycle: number, n: number) => new Date(Date.UTC(2027, 0, 1) + cycle * 86_400_000 * 30 + n * 60_000).toISOString();

function liveOneCycle(state: PartnershipState, cycle: number): void {
  for (const [fromPhase, toPhase] of [
    ['adaptive-planning', 'collaborative-action'],
    ['collaborative-action', 'reflective-monitoring'],
    ['reflective-monitoring', 'adaptive-planning'],
  ] as const) {
    const decision: DecisionRecord = {
      taskId: `${state.id}.task-${decisionCount(state) + 1}`,
      kind: 'advance',
      cycle,
      fromPhase,
      toPhase,
      outcome: 'approved',
      by: 'Approver One <approver1@example.org>',
      at: at(cycle, decisionCount(state)),
      comment: `Cycle ${cycle}: the roadmap holds; keep the pilots small and report on the two districts.`,
    };
    state.decisions.push(decision);
    state.documents.push({ id: `${state.id}.c${cycle}.${fromPhase}`, kind: 'workplan', title: `Workplan, cycle ${cycle}`, url: '/x', phase: fromPhase, cycle });
  }
  state.roleHistory.push({ role: 'convener', by: 'Manager', at: at(cycle, 9), reason: `re-elected for cycle ${cycle}` });
  const request = startReview(state, 'Manager', at(cycle, 10));
  applyReviewResult(state, {
    reviewId: request.reviewId,
    report: { id: `${request.reviewId}.mel-report`, kind: 'mel-report', title: `MEL report ${request.number}`, url: '/x', phase: 'reflective-monitoring', cycle },
    points: Array.from({ length: 6 }, (_, i) => ({ key: `pilot/${i}`, reviewNumber: request.number, at: at(cycle, 11), value: String(cycle * 10 + i), partnerId: 'ministry-of-labour' })),
    answered: 3,
    asked: 3,
    decision: { decision: 'continue', by: 'Approver One', at: at(cycle, 12) },
  });
  state.governanceDecision = undefined;
  state.cycle = cycle + 1;
}

test('the carried state stays the same size over 100 cycles while decisions and reviews keep their numbers', () => {
  let state = initialState('msp-carried', input, at(0, 0));
  const bytes: Record<number, number> = {};
  const reviewIds: string[] = [];
  for (let cycle = 1; cycle <= 100; cycle++) {
    liveOneCycle(state, cycle);
    reviewIds.push(state.reviews[state.reviews.length - 1].id);
    const carried = carryOver(state, TREND_REVIEWS);
    expect(carried).not.toHaveProperty('input');
    bytes[cycle] = Buffer.byteLength(JSON.stringify(carried));
    // The next run: the carried state comes back through a payload, the input beside it.
    state = normaliseCarried(JSON.parse(JSON.stringify(carried)), input);
  }
  // Flat: cycle 100 carries what cycle 40 did, give or take the digits of the counts and dates.
  expect(bytes[100]).toBeLessThan(bytes[40] * 1.02);
  expect(bytes[40]).toBeLessThan(30_000);
  expect(state.decisions).toHaveLength(CARRIED.decisions);
  expect(decisionCount(state)).toBe(300);
  expect(state.earlier).toEqual({ decisions: 300 - CARRIED.decisions, reviews: 100 - CARRIED.reviews, roleChanges: 101 - CARRIED.roleChanges });
  // Review numbers go on from the count, so a review workflow id is never reused.
  expect(new Set(reviewIds).size).toBe(100);
  expect(reviewCount(state)).toBe(100);
  expect(startReview(state, 'Manager', at(101, 0)).reviewId).toBe('msp-carried.review-101');
  // The trend charts still have the last TREND_REVIEWS reviews' values.
  expect(new Set(state.indicatorSeries.map((p) => p.reviewNumber)).size).toBe(TREND_REVIEWS);
  expect(state.input).toBe(input);
});

test('the review in progress and the one whose governance decision waits are carried, however old', () => {
  const state = initialState('msp-kept', input, at(0, 0));
  const first = startReview(state, 'Manager', at(1, 0));
  for (let cycle = 1; cycle <= 12; cycle++) {
    state.reviews.push({ id: `msp-kept.review-x${cycle}`, number: 100 + cycle, cycle, startedAt: at(cycle, 0), startedBy: 'M', status: 'decided' });
  }
  state.governanceDecision = { reviewId: state.reviews[1].id, decision: 'continue', by: 'A', at: at(2, 0) };
  const carried = carryOver(state, TREND_REVIEWS);
  expect(carried.reviews.map((r) => r.id)).toContain(first.reviewId);
  expect(carried.reviews.map((r) => r.id)).toContain(state.reviews[1].id);
  expect(reviewCount(normaliseCarried(carried, input))).toBe(13);
});

test('a state carried by an earlier version (with its input, no counts) reads as before', () => {
  const old = initialState('msp-old', input, at(0, 0));
  old.decisions.push({ taskId: 't', kind: 'advance', cycle: 1, fromPhase: 'initiating', toPhase: 'adaptive-planning', outcome: 'approved', by: 'A', at: at(0, 1) });
  const read = normaliseCarried(JSON.parse(JSON.stringify(old)), partnershipInput({ slug: 'other' }));
  expect(read.input.title).toBe(input.title);
  expect(decisionCount(read)).toBe(1);
  expect(reviewCount(read)).toBe(0);
});

test('what the checklist and a phase document say of the role and the reviews counts what earlier runs left behind', () => {
  let state = initialState('msp-counted', input, at(0, 0));
  for (let cycle = 1; cycle <= 30; cycle++) {
    liveOneCycle(state, cycle);
    state = normaliseCarried(JSON.parse(JSON.stringify(carryOver(state, TREND_REVIEWS))), input);
  }
  // 30 role changes after the role at the start, of which the state lists the last few.
  expect(capabilityStatus(state, 'role').summary).toBe('convener (30 changes)');
  // 30 reviews: the document lists those the state holds and says how many more there were.
  const facts = phaseDocumentFacts(state, 'reflective-monitoring');
  expect((facts.reviews ?? []).length + (facts.omitted?.reviews ?? 0)).toBe(30);
});
