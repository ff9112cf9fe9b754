import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { OnboardingResend, OnboardingResendInput, OnboardingState, OnboardingStep } from '../../domain/partners/onboarding-state';
import type { PartnerStatus } from '../../domain/partners/stakeholders';
import type { PartnerAnswer } from '../../domain/partners/schemas';
import type { Text } from '../../domain/said';

/**
 * What one can say to a partner's onboarding, and what it tells its
 * partnership: Updates, query and signals with their argument types. The
 * workflows, the activities and the API import these, never the
 * onboarding's implementation. Names are stable strings: running
 * onboardings and partnerships receive them by name.
 */

export const partnerAnswerUpdate = defineUpdate<OnboardingStep, [{ email: string; answer: PartnerAnswer }]>('partnerAnswer');
export const withdrawOnboardingSignal = defineSignal<[{ reason: string; by: string }]>('withdrawOnboarding');
export const onboardingStateQuery = defineQuery<OnboardingState>('onboardingState');
/** A manager's request to email the open step's link to the contact again; idempotent by its key (see `checkResend`). */
export const resendInvitationUpdate = defineUpdate<OnboardingResend, [OnboardingResendInput]>('resendInvitation');
/** Sent to the partnership workflow (by workflow id) when the internal approval is decided, with who decided (patch `partner-approval-reported`). */
export const partnerApprovalSignal = defineSignal<[{ stakeholderId: string; onboardingId: string; outcome: 'approved' | 'rejected'; by: string | null; at: string; comment?: string }]>(
  'partnerApproval',
);
/** Sent to the partnership workflow (by workflow id, so it reaches the current run) on every outcome. */
export const partnerStatusSignal = defineSignal<[{ stakeholderId: string; status: PartnerStatus; at: string; reason?: Text }]>(
  'partnerStatus',
);
