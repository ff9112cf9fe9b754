import type { ApprovalRequest } from '../human-tasks/approval-state';
import type { DocumentRef } from '../documents/documents';
import type { PhaseId } from '../partnership/phases';
import { RuleError } from '../rule-error';
import { at, said, type Text } from '../said';
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

/** `closed`: its partnership closed before the review finished; it takes no more answers and puts no decision. */
export type ReviewStep = 'collecting' | 'reporting' | 'deciding' | 'decided' | 'closed';

export interface ReviewState {
  request: ReviewRequest;
  step: ReviewStep;
  startedAt: string;
  deadlineAt: string;
  reminded: boolean;
  answers: Record<string, PartnerReviewAnswer>;
  report?: DocumentRef;
  decision?: { decision: 'continue' | 'adapt' | 'exit'; notes?: string; by: string; at: string };
  /** Set when its partnership closed while the review was open (see `closeWithPartnership`). */
  /** When its partnership closed, and why (a code; English in runs from before codes). */
  closedWithPartnership?: { at: string; reason: Text };
  /** Reminders a manager asked for (`remindReview`), oldest first; absent until the first. The cadence's own reminder is `reminded`. */
  reminders?: ReviewReminder[];
}

/** A manager's "remind those who have not answered": who asked, when, and whom it reached. */
export interface ReviewReminder {
  /** The request's own key: the same key again is the same reminder (a repeated click, a retried request), not a second one. */
  key: string;
  by: string;
  at: string;
  /** The partners (ids) who had not answered then, each sent a reminder. */
  partnerIds: string[];
}

export interface ReviewReminderInput {
  key: string;
  by: string;
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

/**
 * The validator's check of one focal point's answers. Refusals come in this
 * order, so the loser of a double submission hears the truth: not theirs
 * (Forbidden), already answered (Conflict, with when), the partnership closed
 * (Closed), the deadline passed (Expired) or the review moved on without them
 * (Closed), then what was typed (Invalid).
 *
 * @throws RuleError Forbidden `refusals:review.notYours` | Conflict `refusals:review.alreadyAnswered` {at}
 * @throws RuleError Closed `refusals:review.closedWithPartnership` {at} | `refusals:review.stopped`
 * @throws RuleError Expired `refusals:review.expired` {at} | Invalid `refusals:review.notYourIndicator` {indicator}
 */
export function checkReviewAnswer(state: ReviewState, input: ReviewAnswerInput, now: number): ReviewPartner {
  const partner = partnerByEmail(state, input.email);
  if (!partner) throw new RuleError('Forbidden', said('refusals:review.notYours'));
  const answered = state.answers[partner.id];
  if (answered) throw new RuleError('Conflict', said('refusals:review.alreadyAnswered', { at: at(answered.at) }));
  const closed = state.closedWithPartnership;
  // The reason an operator gave for ending the partnership is internal: the partner hears only when.
  if (closed) throw new RuleError('Closed', said('refusals:review.closedWithPartnership', { at: at(closed.at) }));
  if (now > Date.parse(state.deadlineAt)) {
    throw new RuleError('Expired', said('refusals:review.expired', { at: at(state.deadlineAt) }));
  }
  if (state.step !== 'collecting') throw new RuleError('Closed', said('refusals:review.stopped'), { step: state.step });
  const own = new Set(partner.indicators.map((i) => i.key));
  for (const key of Object.keys(input.values)) {
    if (!own.has(key)) throw new RuleError('Invalid', said('refusals:review.notYourIndicator', { indicator: key }));
  }
  return partner;
}

/**
 * The partnership closed while this review was open: it takes no more
 * answers. Returns false (and changes nothing) when the review had already
 * passed its decision, so there was nothing left to close.
 */
export function closeWithPartnership(state: ReviewState, at: string, reason: Text): boolean {
  if (state.step === 'decided' || state.step === 'closed' || state.closedWithPartnership) return false;
  state.closedWithPartnership = { at, reason };
  return true;
}

/**
 * The validator's check of a manager's reminder: the same key as an earlier
 * reminder is that reminder again (answered as it was, nothing sent); otherwise
 * the review must still take answers and someone must not have answered yet.
 * Answers the earlier reminder, or the partners to remind.
 *
 * @throws RuleError Closed `refusals:review.closedNobodyToRemind` {at} | `refusals:review.stopped`
 * @throws RuleError Expired `refusals:review.expired` {at} | Conflict `refusals:review.everyoneAnswered`
 */
export function checkReviewReminder(state: ReviewState, input: ReviewReminderInput, now: number): { repeat: ReviewReminder } | { partners: ReviewPartner[] } {
  const repeat = (state.reminders ?? []).find((r) => r.key === input.key);
  if (repeat) return { repeat };
  const closed = state.closedWithPartnership;
  if (closed) throw new RuleError('Closed', said('refusals:review.closedNobodyToRemind', { at: at(closed.at) }));
  if (now > Date.parse(state.deadlineAt)) throw new RuleError('Expired', said('refusals:review.expired', { at: at(state.deadlineAt) }));
  if (state.step !== 'collecting') throw new RuleError('Closed', said('refusals:review.stopped'), { step: state.step });
  const partners = state.request.partners.filter((p) => !state.answers[p.id]);
  if (partners.length === 0) throw new RuleError('Conflict', said('refusals:review.everyoneAnswered'));
  return { partners };
}

/** Records a manager's reminder; `partners` are those to email now (none when the key was seen before). */
export function recordReviewReminder(state: ReviewState, input: ReviewReminderInput, now: number): { reminder: ReviewReminder; partners: ReviewPartner[] } {
  const checked = checkReviewReminder(state, input, now);
  if ('repeat' in checked) return { reminder: checked.repeat, partners: [] };
  const reminder: ReviewReminder = { key: input.key, by: input.by, at: new Date(now).toISOString(), partnerIds: checked.partners.map((p) => p.id) };
  (state.reminders ??= []).push(reminder);
  return { reminder, partners: checked.partners };
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
