import { PRINCIPLE_IDS } from '../../domain/partners/principles';
import {
  answeredAt,
  applyAnswer,
  checkAnswer,
  closeWithPartnership,
  endOnboarding,
  enterStep,
  initialOnboardingState,
  type OnboardingRequest,
} from '../../domain/partners/onboarding-state';
import { APPROVER_1, MANAGER } from '../support/fixtures';

/**
 * The contact's answers to an onboarding, refused in the order that tells the
 * loser of a double submission the truth: "already answered" before "ended",
 * "closed" or "expired" (issue 21).
 */
const contact = { name: 'Youth Network focal point', email: 'youth@partners.example.org' };
const request: OnboardingRequest = {
  onboardingId: 'msp-x.partner.youth',
  partnershipId: 'msp-x',
  partnershipTitle: 'X',
  partnershipGoal: 'Y',
  stakeholder: { id: 'youth', organisation: 'Youth Network', group: 'civil-society', coreGroup: false },
  contact,
  manager: MANAGER,
  approvers: [APPROVER_1],
  timings: { reminderAfter: '1 hour', escalateAfter: '2 hours', deadline: '1 day', onDeadline: 'reject' },
  invitedBy: 'Mona',
  invitedInPhase: 'initiating',
  invitedInCycle: 1,
};
const T = Date.parse('2026-12-07T17:48:00Z');
const DAY = 86_400_000;
const decline = { step: 'respond', answer: 'decline', reason: 'no capacity' } as const;

test('a decline sent twice at once: the second hears the step was answered, not that the onboarding "ended"', () => {
  const s = initialOnboardingState(request, T, DAY);
  checkAnswer(s, contact.email, decline, T);
  applyAnswer(s, decline, T + 1, DAY);
  expect(s.step).toBe('declined');
  expect(() => checkAnswer(s, contact.email, decline, T + 2)).toThrow(
    expect.objectContaining({ kind: 'Conflict', said: { code: 'refusals:invitation.stepAnswered', params: { at: { at: '2026-12-07T17:48:00.001Z' } } }, details: { step: 'respond', now: 'declined' } }),
  );
});

test('a signature confirmed twice, the first making the partner active: the second hears it was answered', () => {
  const s = initialOnboardingState(request, T, DAY);
  applyAnswer(s, { step: 'respond', answer: 'accept' }, T, DAY);
  applyAnswer(s, { step: 'due-diligence', principles: [...PRINCIPLE_IDS], conflictsOfInterest: 'none' }, T, DAY);
  enterStep(s, 'signature', T + 1000, DAY);
  const sign = { step: 'signature', signatory: 'Director' } as const;
  applyAnswer(s, sign, T + 2000, DAY);
  endOnboarding(s, 'active', T + 2001);
  expect(() => checkAnswer(s, contact.email, sign, T + 2002)).toThrow(expect.objectContaining({ kind: 'Conflict', code: 'refusals:invitation.stepAnswered' }));
});

test('a step that expired was not answered: posting it says the onboarding ended, never "already answered"', () => {
  const s = initialOnboardingState(request, T, DAY);
  applyAnswer(s, { step: 'respond', answer: 'accept' }, T, DAY);
  endOnboarding(s, 'expired', T + DAY + 1, 'due diligence not completed before the deadline');
  expect(answeredAt(s, 'due-diligence')).toBeUndefined();
  const dd = { step: 'due-diligence' as const, principles: [...PRINCIPLE_IDS], conflictsOfInterest: 'none' };
  expect(() => checkAnswer(s, contact.email, dd, T + DAY + 2)).toThrow(expect.objectContaining({ code: 'refusals:invitation.ended', details: { step: 'expired' } }));
});

test('closed with its partnership: the open step is refused as Closed, an answered one still as answered; the deadline comes last', () => {
  const s = initialOnboardingState(request, T, DAY);
  applyAnswer(s, { step: 'respond', answer: 'accept' }, T, DAY);
  expect(closeWithPartnership(s, '2026-12-07T18:00:00.000Z', 'exit decided by Ari')).toBe(true);
  const dd = { step: 'due-diligence' as const, principles: [...PRINCIPLE_IDS], conflictsOfInterest: 'none' };
  expect(() => checkAnswer(s, contact.email, dd, T + 2 * DAY)).toThrow(expect.objectContaining({ kind: 'Closed', code: 'refusals:invitation.closedWithPartnership' }));
  expect(() => checkAnswer(s, contact.email, { step: 'respond', answer: 'accept' }, T + 2 * DAY)).toThrow(expect.objectContaining({ kind: 'Conflict' }));
  endOnboarding(s, 'withdrawn', T + 10, 'the partnership closed');
  expect(closeWithPartnership(s, '2026-12-07T18:00:01.000Z', 'again')).toBe(false);
});
