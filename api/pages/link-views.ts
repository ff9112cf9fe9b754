import type { ApprovalRequest, ApprovalState } from '../../domain/human-tasks/approval-state';
import type { OnboardingState } from '../../domain/partners/onboarding-state';
import type { ReviewPartner, ReviewState } from '../../domain/reviews/review';
import { say } from '../../infra/i18n/said';
import type { Text } from '../../domain/said';

/**
 * What each link page shows, as JSON for tools that send `Accept:
 * application/json`: the same facts as the HTML, for the person the link was
 * sent to, and whether the page would offer its form (`open`).
 */

/** A task's request as the JSON answers give it: its summary and details in English (the workflows hand them on as codes). */
export function requestInEnglish(r: ApprovalRequest): Omit<ApprovalRequest, 'summary' | 'details'> & { summary: string; details: string[] } {
  return { ...r, summary: say('en', r.summary), details: r.details.map((d) => say('en', d)) };
}

/** A stakeholder as the JSON answers give it: why its status changed in English (the workflows hand it on as a code). */
export function stakeholderInEnglish<S extends { history: Array<{ reason?: Text }> }>(s: S): S {
  return { ...s, history: s.history.map((h) => (h.reason === undefined ? h : { ...h, reason: say('en', h.reason) })) };
}

/** An onboarding's state as the JSON answers give it: why it ended, and its steps' notes, in English. */
export function onboardingInEnglish(state: OnboardingState): OnboardingState {
  return {
    ...state,
    ...(state.reason === undefined ? {} : { reason: say('en', state.reason) }),
    events: state.events.map((e) => (e.note === undefined ? e : { ...e, note: say('en', e.note) })),
  };
}

export function taskView(state: ApprovalState, approverName: string, now: number) {
  const r = state.request;
  const d = state.decision;
  const status = d ? 'decided' : now > Date.parse(state.deadlineAt) ? 'expired' : 'open';
  return {
    taskId: r.taskId,
    status,
    open: status === 'open',
    for: approverName,
    partnershipId: r.partnershipId,
    partnershipTitle: r.partnershipTitle,
    // In English, as the JSON answers have always given them (the page says them in the reader's language).
    summary: say('en', r.summary),
    details: r.details.map((d) => say('en', d)),
    requestedBy: r.requestedBy,
    deadlineAt: state.deadlineAt,
    ...(r.choices ? { choices: r.choices, choicesNeedingComment: r.choicesNeedingComment ?? [] } : {}),
    ...(d ? { decision: { outcome: d.outcome, ...(d.choice ? { choice: d.choice } : {}), by: d.by?.name ?? null, at: d.at, ...(d.comment ? { comment: d.comment } : {}) } } : {}),
  };
}

export function invitationView(state: OnboardingState, now: number) {
  const r = state.request;
  const awaitingContact = ['respond', 'due-diligence', 'signature'].includes(state.step);
  const expired = awaitingContact && now > Date.parse(state.stepDeadlineAt);
  return {
    onboardingId: r.onboardingId,
    step: state.step,
    open: awaitingContact && !expired,
    ...(expired ? { expired: true } : {}),
    stepDeadlineAt: state.stepDeadlineAt,
    partnershipTitle: r.partnershipTitle,
    partnershipGoal: r.partnershipGoal,
    organisation: r.stakeholder.organisation,
    invitedBy: r.invitedBy,
    ...(state.reason ? { reason: say('en', state.reason) } : {}),
    ...(state.document ? { agreement: state.document } : {}),
    ...(state.signature ? { signature: state.signature } : {}),
  };
}

export function reviewView(state: ReviewState, partner: ReviewPartner, now: number) {
  const r = state.request;
  const answer = state.answers[partner.id];
  const status = answer ? 'answered' : state.step !== 'collecting' || now > Date.parse(state.deadlineAt) ? 'closed' : 'open';
  return {
    reviewId: r.reviewId,
    number: r.number,
    status,
    open: status === 'open',
    partnershipTitle: r.partnershipTitle,
    organisation: partner.organisation,
    deadlineAt: state.deadlineAt,
    indicators: partner.indicators,
    ...(answer ? { answeredAt: answer.at } : {}),
  };
}
