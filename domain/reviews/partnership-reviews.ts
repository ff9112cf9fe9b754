import type { DocumentRef } from '../documents/documents';
import type { ApprovalRequest } from '../human-tasks/approval-state';
import { RuleError } from '../rule-error';
import { said } from '../said';
import type { IndicatorPoint, ReviewRequest } from './review';
import { addDocument } from '../partnership/document-facts';
import { assertOpen, type PartnershipState, type ReviewDecision } from '../partnership/state';
import { fundingSummary } from '../resources/funding-summary';
import { reviewCount } from '../partnership/carry-over';

/**
 * Reviews as the partnership sees them (guide II.2.D, reflective monitoring): opening one with what its workflow needs, and recording its result. Pure functions on `PartnershipState`.
 */

/** @throws RuleError Conflict `refusals:review.inProgress` {number} (the open review's id in details) */
export function checkStartReview(state: PartnershipState): void {
  assertOpen(state);
  const open = (state.reviews ?? []).find((r) => r.status === 'in-progress');
  if (open) throw new RuleError('Conflict', said('refusals:review.inProgress', { number: open.number }), { reviewId: open.id });
}

/** Opens the next review and returns what its workflow needs: the partners' own indicators, past values, resource use. */
export function startReview(state: PartnershipState, startedBy: string, now: string): ReviewRequest {
  checkStartReview(state);
  const number = reviewCount(state) + 1;
  const reviewId = `${state.id}.review-${number}`;
  state.reviews.push({ id: reviewId, number, cycle: state.cycle, startedAt: now, startedBy, status: 'in-progress', opened: false });
  const partners = state.stakeholders
    .filter((s) => s.status === 'active' && s.contact)
    .map((s) => ({
      id: s.id,
      organisation: s.organisation,
      contact: s.contact!,
      indicators: state.roadmap
        .filter((a) => a.leadPartner === s.id || a.participatingPartners.includes(s.id))
        .flatMap((a) =>
          a.targets.map((t, i) => ({ key: `${a.id}/${i}`, activityId: a.id, activityTitle: a.title, indicator: t.indicator, target: t.target, unit: t.unit, date: t.date, start: a.start })),
        ),
    }));
  const summary = fundingSummary(state);
  return {
    reviewId,
    partnershipId: state.id,
    partnershipTitle: state.input.title,
    cycle: state.cycle,
    phase: state.phase,
    number,
    monitoredBy: state.input.monitoredBy ?? 'internal',
    partners,
    history: recentIndicatorPoints(state.indicatorSeries, partners),
    resourceUse: summary.activities.map((a) => ({
      activityId: a.id,
      activityTitle: a.title,
      approved: a.channel ? `${a.channel.proposal.amount} ${a.channel.proposal.currency} via ${a.channel.fiduciaryAgent}` : null,
    })),
    approvers: state.input.approvers,
    timings: approvalTimings(state),
    requestedBy: startedBy,
  };
}

/** How many past reviews a MEL report's trend charts reach back: the review's input stays bounded however long the partnership lives. */
export const TREND_REVIEWS = 8;

/**
 * The points a review's trend charts draw: those of indicators someone is
 * asked about now, from the last TREND_REVIEWS reviews.
 */
export function recentIndicatorPoints(series: readonly IndicatorPoint[], partners: ReadonlyArray<{ indicators: ReadonlyArray<{ key: string }> }>): IndicatorPoint[] {
  const asked = new Set(partners.flatMap((p) => p.indicators.map((i) => i.key)));
  const lastReview = series.reduce((max, p) => Math.max(max, p.reviewNumber), 0);
  return series.filter((p) => asked.has(p.key) && p.reviewNumber > lastReview - TREND_REVIEWS);
}

/** The human-task timings of a partnership (its review cadence is its own). */
export function approvalTimings(state: PartnershipState): ApprovalRequest['timings'] {
  const { reminderAfter, escalateAfter, deadline, onDeadline } = state.input.timings;
  return { reminderAfter, escalateAfter, deadline, onDeadline };
}

export interface ReviewResult {
  reviewId: string;
  report: DocumentRef | null;
  points: IndicatorPoint[];
  answered: number;
  asked: number;
  decision: { decision: ReviewDecision; notes?: string; by: string; at: string } | null;
}

/**
 * Records a finished review. Its governance decision drives the phase loop
 * when the partnership is in reflective monitoring with nothing else pending;
 * otherwise (an on-demand review during action) it is recorded as advice.
 */
export function applyReviewResult(state: PartnershipState, result: ReviewResult): void {
  const ref = state.reviews.find((r) => r.id === result.reviewId);
  if (!ref || ref.status !== 'in-progress') return;
  ref.status = result.decision ? 'decided' : 'no-decision';
  ref.answered = result.answered;
  ref.asked = result.asked;
  if (result.report) {
    ref.reportId = result.report.id;
    addDocument(state, result.report);
  }
  if (result.decision) ref.decision = result.decision;
  state.indicatorSeries.push(...result.points);
  if (result.decision && state.phase === 'reflective-monitoring' && !state.pendingTask && state.status === 'active') {
    state.governanceDecision = { reviewId: result.reviewId, ...result.decision };
  }
}
