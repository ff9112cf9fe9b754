import type { ApprovalState } from '../../domain/human-tasks/approval-state';
import type { OnboardingState } from '../../domain/partners/onboarding-state';
import type { ReviewPartner, ReviewState } from '../../domain/reviews/review';

/**
 * What each link page shows, as JSON for tools that send `Accept:
 * application/json`: the same facts as the HTML, for the person the link was
 * sent to, and whether the page would offer its form (`open`).
 */

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
    summary: r.summary,
    details: r.details,
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
    ...(state.reason ? { reason: state.reason } : {}),
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
