import { checkReviewAnswer, indicatorStatus, initialReviewState, recordReviewAnswer, type ReviewRequest } from '../../domain/reviews/review';
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
  expect(() => checkReviewAnswer(s, { email: 'p@example.org', values: { 'b/0': '1' }, ...base }, T)).toThrow(/not one of yours/);
  expect(() => checkReviewAnswer(s, { email: 'p@example.org', values: {}, ...base }, T + 10_001)).toThrow(expect.objectContaining({ kind: 'Expired' }));
  recordReviewAnswer(s, { email: 'P@example.org', values: { 'a/0': '5' }, ...base }, T);
  expect(() => checkReviewAnswer(s, { email: 'p@example.org', values: {}, ...base }, T)).toThrow(expect.objectContaining({ kind: 'Conflict' }));
});
