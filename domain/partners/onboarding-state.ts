import type { ApprovalDecision } from '../human-tasks/approval-state';
import type { DocumentRef } from '../documents/documents';
import type { PhaseId } from '../partnership/phases';
import { RuleError } from '../rule-error';
import { at, said } from '../said';
import type { Text } from '../said';
import type { PartnerAnswer } from './schemas';
import type { Person, Timings } from '../people';
import type { StakeholderGroup } from './stakeholders';

/**
 * One partner's onboarding (guide II.2.A–C, "Working with partners", and
 * II.2.B "Governance": letters of intent, memoranda of understanding). The
 * partner's contact answers through one emailed link whose page shows the
 * step the onboarding is at.
 */
export type OnboardingStep =
  | 'respond'
  | 'due-diligence'
  | 'approval'
  | 'signature'
  | 'registering'
  | 'active'
  | 'declined'
  | 'rejected'
  | 'expired'
  | 'withdrawn';

/** Steps that wait for the partner's contact. */
export const CONTACT_STEPS: readonly OnboardingStep[] = ['respond', 'due-diligence', 'signature'];
export const FINAL_STEPS: readonly OnboardingStep[] = ['active', 'declined', 'rejected', 'expired', 'withdrawn'];

export interface OnboardingRequest {
  onboardingId: string;
  partnershipId: string;
  partnershipTitle: string;
  partnershipGoal: string;
  stakeholder: { id: string; organisation: string; group: StakeholderGroup; coreGroup: boolean };
  contact: Person;
  manager: Person;
  approvers: Person[];
  timings: Pick<Timings, 'reminderAfter' | 'escalateAfter' | 'deadline' | 'onDeadline'>;
  invitedBy: string;
  /** Where the partnership stood at the invitation (documents are filed under it). */
  invitedInPhase: PhaseId;
  invitedInCycle: number;
}

export interface OnboardingEvent {
  step: OnboardingStep;
  at: string;
  /** Why the step was entered (an ending's reason): a code, or text a person wrote (and English of older runs). */
  note?: Text;
}

export interface OnboardingState {
  request: OnboardingRequest;
  step: OnboardingStep;
  stepStartedAt: string;
  stepDeadlineAt: string;
  remindedAtStep: boolean;
  events: OnboardingEvent[];
  attestations?: { principles: string[]; conflictsOfInterest: string; at: string };
  approval?: ApprovalDecision;
  document?: DocumentRef;
  signature?: { signatory: string; at: string };
  /** Why it ended, for declined/rejected/expired/withdrawn: a code the workflow wrote (`emails:notice.noAnswer`…), or what a person wrote (a decline, a rejection's comment). */
  reason?: Text;
  /** Set when its partnership closed before the onboarding finished: it then ends as withdrawn, with this reason. */
  closedWithPartnership?: { at: string; reason: Text };
  /** The manager's requests to send the open step's email again (`resendInvitation`), oldest first, the last MAX_RESENDS_KEPT; absent until the first. */
  resends?: OnboardingResend[];
}

/** A manager's "send the invitation again": the step whose email went out again, who asked and when. */
export interface OnboardingResend {
  /** The request's own key: the same key again is the same request (a double click, a retried request), not a second email. */
  key: string;
  step: OnboardingStep;
  by: string;
  at: string;
}

export interface OnboardingResendInput {
  key: string;
  by: string;
}

/** At most this many emails sent again for one step: beyond it the contact is better called than emailed. */
export const MAX_RESENDS_PER_STEP = 5;
const MAX_RESENDS_KEPT = 20;

export function initialOnboardingState(request: OnboardingRequest, now: number, deadlineMs: number): OnboardingState {
  const at = new Date(now).toISOString();
  return {
    request,
    step: 'respond',
    stepStartedAt: at,
    stepDeadlineAt: new Date(now + deadlineMs).toISOString(),
    remindedAtStep: false,
    events: [{ step: 'respond', at }],
  };
}

export function enterStep(state: OnboardingState, step: OnboardingStep, now: number, deadlineMs: number, note?: Text): void {
  const at = new Date(now).toISOString();
  state.step = step;
  state.stepStartedAt = at;
  state.stepDeadlineAt = new Date(now + deadlineMs).toISOString();
  state.remindedAtStep = false;
  state.events.push({ step, at, ...(note ? { note } : {}) });
}

export function isFinal(state: OnboardingState): boolean {
  return FINAL_STEPS.includes(state.step);
}

/** The steps an answer to each contact step leads to (`applyAnswer`); any other next step (expired, withdrawn) means it was not answered. */
const ANSWERED_INTO: Partial<Record<OnboardingStep, readonly OnboardingStep[]>> = {
  respond: ['due-diligence', 'declined'],
  'due-diligence': ['approval'],
  signature: ['registering'],
};

/**
 * When the contact answered `step`: the moment the step their answer led to
 * began (events record when each step was entered); undefined when it was
 * never answered (still open, expired, withdrawn, or not reached).
 */
export function answeredAt(state: OnboardingState, step: OnboardingStep): string | undefined {
  const i = state.events.findIndex((e) => e.step === step);
  const next = i >= 0 ? state.events[i + 1] : undefined;
  return next && ANSWERED_INTO[step]?.includes(next.step) ? next.at : undefined;
}

/**
 * The validator's check of the contact's answer to `answer.step`. Refusals
 * come in this order, so the loser of a double submission hears the truth:
 * someone else's link (Forbidden), the step already answered (Conflict, with
 * when), the partnership closed (Closed), the onboarding ended (Conflict), the
 * step not open (Conflict), the step's deadline passed (Expired).
 *
 * @throws RuleError Forbidden `refusals:invitation.notYours` | Conflict `refusals:invitation.stepAnswered` {at} | `refusals:invitation.ended` | `refusals:invitation.stepNotOpen`
 * @throws RuleError Closed `refusals:invitation.closedWithPartnership` {at} | Expired `refusals:invitation.stepExpired` {at}
 */
export function checkAnswer(state: OnboardingState, email: string, answer: PartnerAnswer, now: number): void {
  if (email.toLowerCase() !== state.request.contact.email) {
    throw new RuleError('Forbidden', said('refusals:invitation.notYours'));
  }
  const answered = answeredAt(state, answer.step);
  if (answered) {
    throw new RuleError('Conflict', said('refusals:invitation.stepAnswered', { at: at(answered) }), { step: answer.step, now: state.step });
  }
  const closed = state.closedWithPartnership;
  // The reason an operator gave for ending the partnership is internal: the contact hears only when.
  if (closed) throw new RuleError('Closed', said('refusals:invitation.closedWithPartnership', { at: at(closed.at) }));
  if (isFinal(state)) throw new RuleError('Conflict', said('refusals:invitation.ended'), { step: state.step });
  if (answer.step !== state.step) throw new RuleError('Conflict', said('refusals:invitation.stepNotOpen'), { step: answer.step, now: state.step });
  if (now > Date.parse(state.stepDeadlineAt)) throw new RuleError('Expired', said('refusals:invitation.stepExpired', { at: at(state.stepDeadlineAt) }));
}

/**
 * The validator's check of a manager's request to send the open step's email
 * again (the invitation, the due-diligence form, the signature): a key seen
 * before is that same request (`repeat`, nothing sent again); otherwise the
 * onboarding must wait for its contact, be open and before its step's deadline,
 * and the step must not have been sent again MAX_RESENDS_PER_STEP times.
 *
 * @throws RuleError Closed `refusals:invitation.closedNothingToSend` {at} | Expired `refusals:invitation.stepExpired` {at}
 * @throws RuleError Conflict `refusals:invitation.endedInviteAgain` | `refusals:invitation.waitsForApprovers` | `refusals:invitation.resentTooOften` {count}
 */
export function checkResend(state: OnboardingState, input: OnboardingResendInput, now: number): { repeat: OnboardingResend } | { step: OnboardingStep } {
  const repeat = (state.resends ?? []).find((r) => r.key === input.key);
  if (repeat) return { repeat };
  const closed = state.closedWithPartnership;
  if (closed) throw new RuleError('Closed', said('refusals:invitation.closedNothingToSend', { at: at(closed.at) }));
  if (isFinal(state)) throw new RuleError('Conflict', said('refusals:invitation.endedInviteAgain'), { step: state.step });
  if (!CONTACT_STEPS.includes(state.step)) throw new RuleError('Conflict', said('refusals:invitation.waitsForApprovers'), { step: state.step });
  if (now > Date.parse(state.stepDeadlineAt)) throw new RuleError('Expired', said('refusals:invitation.stepExpired', { at: at(state.stepDeadlineAt) }));
  const sent = (state.resends ?? []).filter((r) => r.step === state.step && r.at >= state.stepStartedAt).length;
  if (sent >= MAX_RESENDS_PER_STEP) throw new RuleError('Conflict', said('refusals:invitation.resentTooOften', { count: sent }));
  return { step: state.step };
}

/** Records a request to send the open step's email again; `send` is false for a key seen before (nothing to send). */
export function recordResend(state: OnboardingState, input: OnboardingResendInput, now: number): { resend: OnboardingResend; send: boolean } {
  const checked = checkResend(state, input, now);
  if ('repeat' in checked) return { resend: checked.repeat, send: false };
  const resend: OnboardingResend = { key: input.key, step: checked.step, by: input.by, at: new Date(now).toISOString() };
  state.resends = [...(state.resends ?? []), resend].slice(-MAX_RESENDS_KEPT);
  return { resend, send: true };
}

/** Records the contact's answer; returns the step the onboarding moves to. */
export function applyAnswer(state: OnboardingState, answer: PartnerAnswer, now: number, deadlineMs: number): OnboardingStep {
  const at = new Date(now).toISOString();
  switch (answer.step) {
    case 'respond':
      if (answer.answer === 'decline') {
        state.reason = answer.reason;
        enterStep(state, 'declined', now, 0, answer.reason);
      } else {
        enterStep(state, 'due-diligence', now, deadlineMs);
      }
      break;
    case 'due-diligence':
      state.attestations = { principles: answer.principles, conflictsOfInterest: answer.conflictsOfInterest, at };
      enterStep(state, 'approval', now, 0);
      break;
    case 'signature':
      state.signature = { signatory: answer.signatory, at };
      enterStep(state, 'registering', now, 0);
      break;
  }
  return state.step;
}

/**
 * The partnership closed while this onboarding was under way: it takes no
 * more answers (the workflow then ends it as withdrawn, with `reason`).
 * Returns false, changing nothing, when it had already ended.
 */
export function closeWithPartnership(state: OnboardingState, at: string, reason: Text): boolean {
  if (isFinal(state) || state.closedWithPartnership) return false;
  state.closedWithPartnership = { at, reason };
  return true;
}

export function endOnboarding(state: OnboardingState, step: OnboardingStep, now: number, reason?: Text): void {
  if (reason) state.reason = reason;
  enterStep(state, step, now, 0, reason);
}

/** Letters of intent for partners outside the core group; an MoU for core-group partners. */
export function agreementKind(request: OnboardingRequest): 'letter-of-intent' | 'mou' {
  return request.stakeholder.coreGroup ? 'mou' : 'letter-of-intent';
}
