import type { PartnershipState } from './state';
import { said, type Said, type Text } from '../said';

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

/** Why the partnership closed, as a sentence its open work keeps and tells the partner's contact: who decided the exit. */
export function closingReason(state: PartnershipState): Said {
  const last = state.decisions[state.decisions.length - 1];
  return last ? said('emails:notice.exitDecidedBy', { who: last.by }) : said('emails:said.partnershipClosed');
}

/**
 * The closing reason in the English a record's free-text comment keeps (a
 * financial channel's decision): such comments are shown as written, like
 * an approver's. Runs from before codes sent the English itself.
 */
export function closingReasonText(reason: Text): string {
  if (typeof reason === 'string') return reason;
  return reason.code === 'emails:notice.exitDecidedBy' ? `exit decided by ${String(reason.params?.who)}` : 'the partnership closed';
}
