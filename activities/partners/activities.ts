import type { DocumentRef } from '../../domain/documents/documents';
import { pickLanguage } from '../../domain/language';
import { agreementKind, type OnboardingState } from '../../domain/partners/onboarding-state';
import type { PartnerMembership } from '../../domain/partners/schemas';
import type { Text } from '../../domain/said';
import { say } from '../../infra/i18n/said';
import type { ActivityContext } from '../activity-context';

/* A partner's onboarding: its agreement (letter of intent or MoU) written and stored, and its membership recorded in the registry. */

/** A membership as the onboarding reports it: its reason a code or what a person wrote. */
export type MembershipInput = Omit<PartnerMembership, 'reason'> & { reason: Text | null };

/** Partner agreement and membership (activity names are stable: running workflows schedule them by name). */
export function partnerActivities(ctx: ActivityContext) {
  const { deps, partnershipLanguage, storeDocument } = ctx;
  return {
    async createPartnerAgreement(input: { state: OnboardingState; at: string }): Promise<DocumentRef> {
      const r = input.state.request;
      const kind = agreementKind(r);
      const id = `${r.onboardingId}.${kind}`;
      const language = pickLanguage(await partnershipLanguage(r.partnershipId));
      return storeDocument(id, { kind: 'agreement', state: input.state }, language, { partnershipId: r.partnershipId, kind, cycle: r.invitedInCycle, phase: r.invitedInPhase });
    },

    /**
     * The partner's membership in the registry. The onboarding hands on why it
     * ended as a code (or what a person wrote); the registry's record keeps it
     * in English, as the JSON answers have always given it.
     */
    async recordMembership(input: { partnerId: string; partnershipId: string; membership: MembershipInput }): Promise<{ created: boolean }> {
      const { reason, ...rest } = input.membership;
      return deps.registry.putMembership(input.partnerId, input.partnershipId, { ...rest, reason: reason === null ? null : say('en', reason) });
    },
  };
}
