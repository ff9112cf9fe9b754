import type { ApprovalRequest } from '../human-tasks/approval-state';
import type { DocumentRef } from '../documents/documents';
import type { PhaseId } from '../partnership/phases';
import { RuleError } from '../rule-error';
import type { Person } from '../people';

/**
 * Reflective monitoring (guide II.2.D): monitoring, evaluation and learning.
 * Each review asks every active partner's focal point for the values of the
 * indicators they own, for a meeting evaluation and for learning; compiles a
 * MEL report; and puts the continue/adapt/exit decision to governance.
 */
export interface ReviewIndicator {
  /** `<activity id>/<index of the target>`: stable across reviews, so values form a series. */
  key: string;
  activityId: string;
  activityTitle: string;
  indicator: string;
  target: string;
  unit: string;
  date: string;
  start: string;
}

export interface ReviewPartner {
  id: string;
  organisation: string;
  contact: Person;
  indicators: ReviewIndicator[];
}

export interface IndicatorPoint {
  key: string;
  reviewNumber: number;
  at: string;
  value: string;
  partnerId: string;
}

export interface PartnerReviewAnswer {
  values: Record<string, string>;
  treatedFairly: number;
  importantIssuesDiscussed: number;
  feedbackOnOrganisation: string;
  learning: string;
  at: string;
}

export interface ReviewRequest {
  reviewId: string;
  partnershipId: string;
  partnershipTitle: string;
  cycle: number;
  phase: PhaseId;
  number: number;
  monitoredBy: 'internal' | 'external';
  partners: ReviewPartner[];
  history: IndicatorPoint[];
  resourceUse: Array<{ activityId: string; activityTitle: string; approved: string | null }>;
  approvers: Person[];
  timings: ApprovalRequest['timings'];
  requestedBy: string;
}

export type ReviewStep = 'collecting' | 'reporting' | 'deciding' | 'decided';

export interface ReviewState {
  request: ReviewRequest;
  step: ReviewStep;
  startedAt: string;
  deadlineAt: string;
  reminded: boolean;
  answers: Record<string, PartnerReviewAnswer>;
  report?: DocumentRef;
  decision?: { decision: 'continue' | 'adapt' | 'exit'; notes?: string; by: string; at: string };
}

export function initialReviewState(request: ReviewRequest, now: number, deadlineMs: number): ReviewState {
  return {
    request,
    step: 'collecting',
    startedAt: new Date(now).toISOString(),
    deadlineAt: new Date(now + deadlineMs).toISOString(),
    reminded: false,
    answers: {},
  };
}

export interface ReviewAnswerInput {
  email: string;
  values: Record<string, string>;
  treatedFairly: number;
  importantIssuesDiscussed: number;
  feedbackOnOrganisation: string;
  learning: string;
}

export function partnerByEmail(state: ReviewState, email: string): ReviewPartner | undefined {
  return state.request.partners.find((p) => p.contact.email === email.toLowerCase());
}

export function checkReviewAnswer(state: ReviewState, input: ReviewAnswerInput, now: number): ReviewPartner {
  const partner = partnerByEmail(state, input.email);
  if (!partner) throw new RuleError('Forbidden', 'this review was not sent to you');
  if (state.step !== 'collecting' || now > Date.parse(state.deadlineAt)) {
    throw new RuleError('Expired', `answers were due by ${state.deadlineAt}; this review no longer takes answers`);
  }
  if (state.answers[partner.id]) throw new RuleError('Conflict', 'your answers for this review are already recorded');
  const own = new Set(partner.indicators.map((i) => i.key));
  for (const key of Object.keys(input.values)) {
    if (!own.has(key)) throw new RuleError('Invalid', `indicator "${key}" is not one of yours in this review`);
  }
  return partner;
}

export function recordReviewAnswer(state: ReviewState, input: ReviewAnswerInput, now: number): PartnerReviewAnswer {
  const partner = checkReviewAnswer(state, input, now);
  const { email: _email, ...rest } = input;
  const answer: PartnerReviewAnswer = { ...rest, at: new Date(now).toISOString() };
  state.answers[partner.id] = answer;
  return answer;
}

export function allAnswered(state: ReviewState): boolean {
  return state.request.partners.every((p) => state.answers[p.id]);
}

/** This review's values, as new points of the partnership's indicator series. */
export function newPoints(state: ReviewState): IndicatorPoint[] {
  return Object.entries(state.answers).flatMap(([partnerId, a]) =>
    Object.entries(a.values).map(([key, value]) => ({ key, reviewNumber: state.request.number, at: a.at, value, partnerId })),
  );
}

export type IndicatorStatus = 'on track' | 'at risk' | 'off track' | 'no value';

/**
 * Progress against plan: the share of the target reached, compared with the
 * share of the time elapsed between the activity's start and the target date.
 */
export function indicatorStatus(i: ReviewIndicator, value: string | undefined, at: string): IndicatorStatus {
  if (value === undefined) return 'no value';
  const target = Number(i.target);
  const reached = target === 0 ? 1 : Number(value) / target;
  if (reached >= 1) return 'on track';
  const start = Date.parse(i.start);
  const end = Date.parse(i.date);
  const now = Date.parse(at);
  if (now >= end) return 'off track';
  const elapsed = Math.max(0.01, Math.min(1, (now - start) / Math.max(1, end - start)));
  const pace = reached / elapsed;
  return pace >= 0.9 ? 'on track' : pace >= 0.6 ? 'at risk' : 'off track';
}
