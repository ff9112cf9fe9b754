import { actorDisplay } from '../../domain/actor';
import { durationMs } from '../../domain/durations';
import { indicatorStatus, newPoints, type IndicatorPoint, type ReviewIndicator, type ReviewState } from '../../domain/reviews/review';
import type { ReviewRef } from '../../domain/partnership/state';
import type { PartnershipReadModel } from '../partnership/service';
import { documentLinks } from '../partnership/console-view';
import type { PageLocale } from '../console/locale';

/**
 * What the console's review pages show (guide II.2.D), from the partnership's
 * read model and, for one review, its workflow's state: built here, in the
 * reader's language and time zone, so the templates only lay it out.
 */

/** When the next review opens, in words: on a date during collaborative action, otherwise by what opens one. */
export function nextReview(p: PartnershipReadModel, locale: PageLocale): string {
  const { t, fmt } = locale;
  if (p.status === 'closed' || p.ended) return t('reviewPages.next.closed');
  const open = p.reviews.find((r) => r.status === 'in-progress');
  if (open) return t('reviewPages.next.inProgress', { number: open.number });
  const every = durationMs(p.timings.reviewEvery);
  if (p.phase === 'collaborative-action' && every !== undefined) {
    return t('reviewPages.next.scheduled', { at: fmt.dateTime(new Date(Date.parse(p.phaseEnteredAt) + every).toISOString()), every: p.timings.reviewEvery });
  }
  if (p.phase === 'reflective-monitoring') return t('reviewPages.next.monitoring');
  return t('reviewPages.next.later', { every: p.timings.reviewEvery });
}

/** The reviews of a partnership, newest first, for the list page and the partnership page's panel. */
export function reviewRows(p: PartnershipReadModel, locale: PageLocale) {
  const { t, fmt } = locale;
  return [...p.reviews].reverse().map((r) => ({
    number: r.number,
    cycle: r.cycle,
    href: reviewHref(p.id, r.number),
    startedAt: fmt.dateTime(r.startedAt),
    startedBy: actorDisplay(r.startedBy, false),
    status: t(`reviewStatus.${r.status}`),
    statusKind: r.status === 'in-progress' ? 'yellow' : r.status === 'decided' ? 'green' : 'grey',
    answered: r.asked === undefined ? undefined : t('reviews.answered', { answered: r.answered ?? 0, asked: r.asked }),
    decision: r.decision ? t(`decision.${r.decision.decision}`) : undefined,
  }));
}

export function reviewHref(partnershipId: string, number: number): string {
  return `/console/partnerships/${encodeURIComponent(partnershipId)}/reviews/${number}`;
}

/** The review's own page: where it stands, who has answered (each partner's focal point) and who has not, and the reminders sent. */
export function reviewPage(p: PartnershipReadModel, ref: ReviewRef, state: ReviewState | undefined, locale: PageLocale, now: number) {
  const { t, fmt } = locale;
  const partners = (state?.request.partners ?? []).map((x) => {
    const answer = state!.answers[x.id];
    return {
      id: x.id,
      organisation: x.organisation,
      contact: x.contact,
      indicators: x.indicators.length,
      answeredAt: answer ? fmt.dateTime(answer.at) : undefined,
    };
  });
  const waiting = partners.filter((x) => !x.answeredAt);
  const organisation = (id: string) => state?.request.partners.find((x) => x.id === id)?.organisation ?? id;
  const collecting = Boolean(state && state.step === 'collecting' && !state.closedWithPartnership && now <= Date.parse(state.deadlineAt));
  return {
    ref,
    step: state ? t(`reviewPages.step.${state.step}`) : t(`reviewStatus.${ref.status}`),
    stepKind: state?.step === 'collecting' ? 'yellow' : state?.step === 'decided' ? 'green' : state?.step === 'closed' ? 'grey' : 'blue',
    startedAt: fmt.dateTime(ref.startedAt),
    startedBy: actorDisplay(ref.startedBy, false),
    deadline: state ? fmt.dateTime(state.deadlineAt) : '',
    phaseNote: state && state.request.phase !== 'reflective-monitoring' ? t('reviewPages.adviceOnly') : '',
    partners,
    answeredCount: partners.length - waiting.length,
    waiting,
    canRemind: collecting && waiting.length > 0 && p.status !== 'closed' && !p.ended,
    autoReminded: Boolean(state?.reminded),
    reminders: [...(state?.reminders ?? [])].reverse().map((r) => ({
      by: actorDisplay(r.by, false),
      at: fmt.dateTime(r.at),
      to: r.partnerIds.map(organisation),
    })),
    report: ref.reportId ? documentLinks(p.id, ref.reportId) : state?.report ? documentLinks(p.id, state.report.id) : undefined,
    hasAnswers: partners.length > waiting.length,
    unreadable: !state,
  };
}

/** The colours, dash patterns and marks of a chart's lines, one per partner: told apart by more than colour (WCAG 1.4.1), each at least 3:1 on white (1.4.11). */
const LINE_STYLES = [
  { colour: '#1d70b8', dash: '', mark: 'circle' },
  { colour: '#d4351c', dash: '8 4', mark: 'square' },
  { colour: '#00703c', dash: '2 4', mark: 'triangle' },
  { colour: '#4c2c92', dash: '12 4 2 4', mark: 'diamond' },
  { colour: '#0b0c0c', dash: '4 4', mark: 'circle' },
  { colour: '#942514', dash: '1 3', mark: 'square' },
] as const;

const CHART = { width: 480, height: 230, left: 52, right: 16, top: 22, bottom: 36 } as const;

/**
 * One indicator's values across reviews as an inline SVG line chart: one line
 * per partner that reported it, the target dashed. Coordinates only: the
 * template draws it, and a table beside it says the same in text.
 */
export function trendChart(input: {
  reviews: number[];
  series: Array<{ label: string; points: Array<{ review: number; value: number }> }>;
  target: number;
  reviewLabel: (n: number) => string;
  number: (n: number) => string;
}) {
  const { width, height, left, right, top, bottom } = CHART;
  const reviews = [...new Set(input.reviews)].sort((a, b) => a - b);
  const values = input.series.flatMap((s) => s.points.map((pt) => pt.value));
  const target = Number.isFinite(input.target) ? input.target : 0;
  const max = niceMax(Math.max(target, ...values, 1));
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const x = (review: number) => {
    const i = reviews.indexOf(review);
    return left + (reviews.length <= 1 ? plotW / 2 : (i * plotW) / (reviews.length - 1));
  };
  const y = (v: number) => top + plotH - (Math.max(0, v) / max) * plotH;
  const round = (n: number) => Number(n.toFixed(1));
  return {
    width,
    height,
    left,
    right: width - right,
    top,
    bottom: height - bottom,
    xTicks: reviews.map((r) => ({ x: round(x(r)), label: input.reviewLabel(r) })),
    yTicks: [0, max / 2, max].map((v) => ({ y: round(y(v)), label: input.number(v) })),
    hasTarget: target > 0,
    targetY: target > 0 ? round(y(target)) : 0,
    lines: input.series.map((s, i) => {
      const style = LINE_STYLES[i % LINE_STYLES.length];
      const points = [...s.points].sort((a, b) => a.review - b.review).map((pt) => ({ x: round(x(pt.review)), y: round(y(pt.value)) }));
      return { label: s.label, ...style, path: points.map((pt) => `${pt.x},${pt.y}`).join(' '), points };
    }),
  };
}

/** A round upper bound for a chart's axis: 1, 2 or 5 times a power of ten, at or above `v`. */
export function niceMax(v: number): number {
  const power = 10 ** Math.floor(Math.log10(v));
  for (const step of [1, 2, 5, 10]) if (step * power >= v) return step * power;
  return 10 * power;
}

/** Every indicator point this review's report draws: earlier reviews' (the partnership's series and the review's own history) and this one's answers, each once. */
function pointsUpTo(p: PartnershipReadModel, state: ReviewState): IndicatorPoint[] {
  const number = state.request.number;
  const seen = new Set<string>();
  const out: IndicatorPoint[] = [];
  for (const pt of [...state.request.history, ...p.indicatorSeries, ...newPoints(state)]) {
    const id = `${pt.key}|${pt.reviewNumber}|${pt.partnerId}`;
    if (pt.reviewNumber > number || seen.has(id)) continue;
    seen.add(id);
    out.push(pt);
  }
  return out;
}

const statusKey = (s: string) => s.replace(/ /g, '-');

/**
 * The report of one review: each indicator's values against its target, with
 * its trend across reviews (chart and table), the meeting evaluation, what
 * partners learned and their feedback on the organisation.
 */
export function reportPage(p: PartnershipReadModel, ref: ReviewRef, state: ReviewState, locale: PageLocale, now: number) {
  const { t, fmt } = locale;
  const r = state.request;
  const organisation = (id: string) => r.partners.find((x) => x.id === id)?.organisation ?? p.stakeholders.find((s) => s.id === id)?.organisation ?? id;
  // An indicator's status depends on when it is read: while answers come in, now; after, when the last one came (or the deadline).
  const lastAnswer = Object.values(state.answers).map((a) => a.at).sort().pop();
  const at = state.step === 'collecting' ? new Date(now).toISOString() : (lastAnswer ?? state.deadlineAt);
  const points = pointsUpTo(p, state);
  // Each indicator once, with the partners asked about it in this review.
  const indicators = new Map<string, { i: ReviewIndicator; partners: string[] }>();
  for (const partner of r.partners) {
    for (const i of partner.indicators) {
      const entry = indicators.get(i.key) ?? { i, partners: [] };
      entry.partners.push(partner.id);
      indicators.set(i.key, entry);
    }
  }
  // A value with its unit (the partnership's own words) isolated, so it reads in its order inside a right-to-left sentence.
  const quantity = (value: string | number, unit: string) => `\u2068${fmt.number(Number(value))} ${unit}\u2069`;
  const percent = new Intl.NumberFormat(locale.language, { style: 'percent', maximumFractionDigits: 0 });
  const answered = r.partners.filter((x) => state.answers[x.id]);
  const average = (xs: number[]) => (xs.length ? fmt.number(Number((xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(1))) : '—');
  return {
    answered: answered.length,
    asked: r.partners.length,
    missing: r.partners.filter((x) => !state.answers[x.id]).map((x) => x.organisation),
    report: state.report ? documentLinks(p.id, state.report.id) : ref.reportId ? documentLinks(p.id, ref.reportId) : undefined,
    indicators: [...indicators.values()].map(({ i, partners }, n) => {
      const own = points.filter((pt) => pt.key === i.key && Number.isFinite(Number(pt.value)));
      const reviews = [...new Set([...own.map((pt) => pt.reviewNumber), r.number])];
      const reporters = [...new Set([...partners, ...own.map((pt) => pt.partnerId)])];
      const target = Number(i.target);
      const chart = trendChart({
        reviews,
        target,
        series: reporters
          .map((id) => ({ label: organisation(id), points: own.filter((pt) => pt.partnerId === id).map((pt) => ({ review: pt.reviewNumber, value: Number(pt.value) })) }))
          .filter((s) => s.points.length > 0),
        reviewLabel: (number) => t('reviewPages.report.reviewShort', { number }),
        number: fmt.number,
      });
      return {
        id: `indicator-${n + 1}`,
        indicator: i.indicator,
        activity: i.activityTitle,
        target: t('reviewPages.report.target', { target: quantity(i.target, i.unit), date: fmt.date(i.date) }),
        // This review's value from each partner asked, against the target.
        now: partners.map((id) => {
          const value = state.answers[id]?.values[i.key];
          const status = indicatorStatus(i, value, at);
          return {
            partner: organisation(id),
            value: value === undefined ? t('reviewPages.report.noValue') : quantity(value, i.unit),
            share: value !== undefined && target > 0 ? percent.format(Number(value) / target) : '—',
            status: t(`documents:mel.status.${statusKey(status)}`),
            statusKind: status === 'on track' ? 'green' : status === 'at risk' ? 'yellow' : status === 'off track' ? 'red' : 'grey',
          };
        }),
        chart,
        hasTrend: own.length > 0,
        // The chart in words: every value by review and partner, oldest first.
        table: [...own]
          .sort((a, b) => a.reviewNumber - b.reviewNumber || organisation(a.partnerId).localeCompare(organisation(b.partnerId)))
          .map((pt) => ({ review: t('reviewPages.report.reviewLong', { number: pt.reviewNumber }), partner: organisation(pt.partnerId), value: quantity(pt.value, i.unit) })),
        summary: t('reviewPages.report.chartSummary', { count: own.length, reviews: new Set(own.map((pt) => pt.reviewNumber)).size, target: quantity(i.target, i.unit) }),
      };
    }),
    meetings: {
      treatedFairly: average(answered.map((x) => state.answers[x.id].treatedFairly)),
      issuesDiscussed: average(answered.map((x) => state.answers[x.id].importantIssuesDiscussed)),
    },
    feedback: answered.map((x) => {
      const a = state.answers[x.id];
      return {
        organisation: x.organisation,
        at: fmt.dateTime(a.at),
        treatedFairly: fmt.number(a.treatedFairly),
        issuesDiscussed: fmt.number(a.importantIssuesDiscussed),
        learning: a.learning,
        feedback: a.feedbackOnOrganisation,
      };
    }),
    resourceUse: r.resourceUse.map((u) => ({ activity: u.activityTitle, approved: u.approved })),
    decision: state.decision && {
      decision: t(`decision.${state.decision.decision}`),
      by: actorDisplay(state.decision.by),
      at: fmt.dateTime(state.decision.at),
      notes: state.decision.notes,
    },
    deciding: state.step === 'deciding',
    approvers: r.approvers,
  };
}
