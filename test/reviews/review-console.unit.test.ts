import { checkReviewReminder, initialReviewState, recordReviewAnswer, recordReviewReminder, type ReviewRequest } from '../../domain/reviews/review';
import { niceMax, trendChart } from '../../api/reviews/console-view';
import { RuleError } from '../../domain/rule-error';

const contact = (org: string) => ({ name: `${org} focal point`, email: `${org}@partners.example.org` });
const request: ReviewRequest = {
  reviewId: 'msp-x.review-2',
  partnershipId: 'msp-x',
  partnershipTitle: 'Green jobs',
  cycle: 1,
  phase: 'reflective-monitoring',
  number: 2,
  monitoredBy: 'internal',
  partners: ['ministry', 'youth', 'union'].map((id) => ({ id, organisation: id, contact: contact(id), indicators: [] })),
  history: [],
  resourceUse: [],
  approvers: [{ name: 'Ari', email: 'ari@example.org' }],
  timings: { reminderAfter: '1 hour', escalateAfter: '2 hours', deadline: '1 day', onDeadline: 'reject' },
  requestedBy: 'Mona',
};
const T0 = Date.parse('2026-03-01T10:00:00Z');
const answer = { values: {}, treatedFairly: 4, importantIssuesDiscussed: 5, feedbackOnOrganisation: '', learning: '' };
const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    return { type: (err as RuleError).kind, message: (err as Error).message };
  }
  throw new Error('not refused');
};

describe("a manager's reminder to a review's partners", () => {
  it('goes to those who have not answered, and is recorded with who asked', () => {
    const state = initialReviewState(request, T0, 86_400_000);
    recordReviewAnswer(state, { email: contact('youth').email, ...answer }, T0 + 1000);
    const { reminder, partners } = recordReviewReminder(state, { key: 'click-0001', by: 'Mona' }, T0 + 2000);
    expect(partners.map((p) => p.id)).toEqual(['ministry', 'union']);
    expect(reminder).toEqual({ key: 'click-0001', by: 'Mona', at: new Date(T0 + 2000).toISOString(), partnerIds: ['ministry', 'union'] });
    expect(state.reminders).toHaveLength(1);
  });

  it('is the same reminder when its key comes again: nothing more to send, even once everyone has answered', () => {
    const state = initialReviewState(request, T0, 86_400_000);
    const first = recordReviewReminder(state, { key: 'click-0001', by: 'Mona' }, T0 + 1000);
    for (const id of ['ministry', 'youth', 'union']) recordReviewAnswer(state, { email: contact(id).email, ...answer }, T0 + 2000);
    const again = recordReviewReminder(state, { key: 'click-0001', by: 'Mona' }, T0 + 3000);
    expect(again).toEqual({ reminder: first.reminder, partners: [] });
    expect(state.reminders).toHaveLength(1);
    // A new key after everyone answered has nobody to remind.
    expect(refusal(() => checkReviewReminder(state, { key: 'click-0002', by: 'Mona' }, T0 + 3000))).toMatchObject({ type: 'Conflict' });
  });

  it('is refused once the review no longer takes answers', () => {
    const late = initialReviewState(request, T0, 60_000);
    expect(refusal(() => checkReviewReminder(late, { key: 'click-0001', by: 'Mona' }, T0 + 61_000))).toMatchObject({ type: 'Expired' });
    const reporting = { ...initialReviewState(request, T0, 86_400_000), step: 'reporting' as const };
    expect(refusal(() => checkReviewReminder(reporting, { key: 'click-0001', by: 'Mona' }, T0))).toMatchObject({ type: 'Closed' });
    const closed = { ...initialReviewState(request, T0, 86_400_000), closedWithPartnership: { at: 'x', reason: 'exit' } };
    expect(refusal(() => checkReviewReminder(closed, { key: 'click-0001', by: 'Mona' }, T0))).toMatchObject({ type: 'Closed' });
  });
});

describe('the trend chart of an indicator', () => {
  const chart = trendChart({
    reviews: [2, 1],
    target: 250,
    series: [
      { label: 'Ministry', points: [{ review: 2, value: 120 }, { review: 1, value: 60 }] },
      { label: 'Youth', points: [{ review: 2, value: 130 }] },
    ],
    reviewLabel: (n) => `R${n}`,
    number: String,
  });

  it('places reviews in order along the axis and values against a round scale above the target', () => {
    expect(chart.xTicks.map((x) => x.label)).toEqual(['R1', 'R2']);
    expect(chart.xTicks[0].x).toBe(chart.left);
    expect(chart.xTicks[1].x).toBe(chart.right);
    expect(chart.yTicks.map((y) => y.label)).toEqual(['0', '250', '500']);
    expect(chart.hasTarget).toBe(true);
    expect(chart.targetY).toBe(chart.yTicks[1].y);
  });

  it('draws one line per partner, oldest first, each told apart by colour, dash and mark', () => {
    expect(chart.lines.map((l) => l.label)).toEqual(['Ministry', 'Youth']);
    const [ministry, youth] = chart.lines;
    expect(ministry.points.map((p) => p.x)).toEqual([chart.left, chart.right]);
    expect(ministry.points[1].y).toBeLessThan(ministry.points[0].y);
    expect(youth.points).toHaveLength(1);
    expect(new Set(chart.lines.map((l) => `${l.colour}|${l.dash}|${l.mark}`)).size).toBe(2);
  });

  it('rounds the scale up to 1, 2 or 5 times a power of ten', () => {
    expect([1, 3, 7, 250, 251, 999, 1000].map(niceMax)).toEqual([1, 5, 10, 500, 500, 1000, 1000]);
  });
});
