import type { PartnershipState } from './partnership-state';

/**
 * What a partnership started that may still wait for people when it closes:
 * onboardings of invited partners, the review in progress and channels under
 * review. Each is a workflow of its own (they outlive a run) with emailed
 * links; the partnership tells each it closed (`partnershipClosed`), so none
 * takes an answer for a partnership that no longer exists.
 *
 * @returns their workflow ids, in a stable order
 */
export function openWorkOf(state: PartnershipState): string[] {
  return [
    ...state.stakeholders.filter((s) => s.status === 'invited' && s.onboardingId).map((s) => s.onboardingId!),
    ...state.reviews.filter((r) => r.status === 'in-progress').map((r) => r.id),
    ...state.funding.flatMap((f) => f.versions.filter((v) => v.status === 'in-review').map((v) => v.channelId)),
  ];
}

/** Why the partnership closed, in the sentence its open work keeps on record: who decided the exit. */
export function closingReason(state: PartnershipState): string {
  const last = state.decisions[state.decisions.length - 1];
  return last ? `exit decided by ${last.by}` : 'the partnership closed';
}
