import { checkReviewAnswer, closeWithPartnership, indicatorStatus, initialReviewState, recordReviewAnswer, type ReviewRequest } from '../../domain/reviews/review';
import { APPROVER_1 } from '../support/fixtures';

const indicator = { key: 'a/0', activityId: 'a', activityTitle: 'A', indicator: 'Jobs', target: '100', unit: 'jobs', date: '2027-12-31', start: '2027-01-01' };

test('status compares the share of target reached with the share of time elapsed', () => {
  const mid = '2027-07-02T00:00:00Z';
  expect(indicatorStatus(indicator, '50', mid)).toBe('on track');
  expect(indicatorStatus(indicator, '35', mid)).toBe('at risk');
  expect(indicatorStatus(indicator, '10', mid)).toBe('off track');
  expect(indicatorStatus(indicator, '100', '2028-06-01T00:00:00Z')).toBe('on track');
  expect(indicatorStatus(indicator, '99', '2028-06-01T00:00:00Z')).toBe('off track');
  expect(indicatorStatus(indicator, undefined, mid)).toBe('no value');
});

test('answers: only the focal points asked, only their own indicators, once, before the deadline', () => {
  const request = {
    reviewId: 'r', partnershipId: 'msp-x', partnershipTitle: 'X', cycle: 1, phase: 'reflective-monitoring', number: 1, monitoredBy: 'internal',
    partners: [{ id: 'p', organisation: 'P', contact: { name: 'P', email: 'p@example.org' }, indicators: [indicator] }],
    history: [], resourceUse: [], approvers: [APPROVER_1], requestedBy: 'm',
    timings: { reminderAfter: '1s', escalateAfter: '2s', deadline: '10s', onDeadline: 'reject' },
  } as ReviewRequest;
  const T = Date.parse('2027-01-01T00:00:00Z');
  const s = initialReviewState(request, T, 10_000);
  const base = { treatedFairly: 3, importantIssuesDiscussed: 3, feedbackOnOrganisation: '', learning: '' };
  expect(() => checkReviewAnswer(s, { email: 'x@example.org', values: {}, ...base }, T)).toThrow(expect.objectContaining({ kind: 'Forbidden' }));
  expect(() => checkReviewAnswer(s, { email: 'p@example.org', values: { 'b/0': '1' }, ...base }, T)).toThrow(/refusals:review.notYourIndicator/);
  expect(() => checkReviewAnswer(s, { email: 'p@example.org', values: {}, ...base }, T + 10_001)).toThrow(expect.objectContaining({ kind: 'Expired' }));
  recordReviewAnswer(s, { email: 'P@example.org', values: { 'a/0': '5' }, ...base }, T);
  expect(() => checkReviewAnswer(s, { email: 'p@example.org', values: {}, ...base }, T)).toThrow(expect.objectContaining({ kind: 'Conflict' }));
});

describe('refusals say "already answered" before "deadline" or "closed" (issue 21)', () => {
  const T = Date.parse('2027-01-01T17:48:00Z');
  const HOUR = 3_600_000;
  const base = { values: {}, treatedFairly: 3, importantIssuesDiscussed: 3, feedbackOnOrganisation: '', learning: '' };
  const twoPartners = () =>
    initialReviewState(
      {
        reviewId: 'r', partnershipId: 'msp-x', partnershipTitle: 'X', cycle: 1, phase: 'reflective-monitoring', number: 1, monitoredBy: 'internal',
        partners: [
          { id: 'p', organisation: 'P', contact: { name: 'P', email: 'p@example.org' }, indicators: [] },
          { id: 'q', organisation: 'Q', contact: { name: 'Q', email: 'q@example.org' }, indicators: [] },
        ],
        history: [], resourceUse: [], approvers: [APPROVER_1], requestedBy: 'm',
        timings: { reminderAfter: '1s', escalateAfter: '2s', deadline: '1 hour', onDeadline: 'reject' },
      } as ReviewRequest,
      T,
      HOUR,
    );

  test('the same answers sent twice at once, the first closing the collection: the second hears "already recorded", not a deadline an hour away', () => {
    const s = twoPartners();
    recordReviewAnswer(s, { email: 'q@example.org', ...base }, T);
    recordReviewAnswer(s, { email: 'p@example.org', ...base }, T + 1);
    // Everyone has answered: the workflow moves to its report in the same workflow task, before the second copy's validator runs.
    s.step = 'reporting';
    expect(() => checkReviewAnswer(s, { email: 'p@example.org', ...base }, T + 2)).toThrow(
      expect.objectContaining({ kind: 'Conflict', said: { code: 'refusals:review.alreadyAnswered', params: { at: { at: '2027-01-01T17:48:00.001Z' } } } }),
    );
  });

  test('a review that stopped taking answers before its deadline says so, without naming the deadline as the reason', () => {
    const s = twoPartners();
    s.step = 'reporting';
    const refuse = () => checkReviewAnswer(s, { email: 'p@example.org', ...base }, T + 1);
    expect(refuse).toThrow(expect.objectContaining({ kind: 'Closed' }));
    expect(refuse).not.toThrow(/refusals:review.expired/);
  });

  test('closed with its partnership: answered partners still hear "already recorded"; the others, Closed', () => {
    const s = twoPartners();
    recordReviewAnswer(s, { email: 'p@example.org', ...base }, T);
    expect(closeWithPartnership(s, new Date(T + 5).toISOString(), 'exit decided by Ari')).toBe(true);
    expect(() => checkReviewAnswer(s, { email: 'p@example.org', ...base }, T + 6)).toThrow(expect.objectContaining({ kind: 'Conflict' }));
    expect(() => checkReviewAnswer(s, { email: 'q@example.org', ...base }, T + 6)).toThrow(
      expect.objectContaining({ kind: 'Closed', said: { code: 'refusals:review.closedWithPartnership', params: { at: expect.anything() } } }),
    );
    // Why the partnership ended is internal: the partner is not told.
    expect(() => checkReviewAnswer(s, { email: 'q@example.org', ...base }, T + 6)).not.toThrow(/exit decided/);
    expect(closeWithPartnership(s, new Date(T + 7).toISOString(), 'again')).toBe(false);
  });
});
