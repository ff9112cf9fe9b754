import type { HumanTaskKind } from '../task-kind';

/**
 * A partner's internal approval: after the organisation accepted and
 * completed due diligence (principles attested, conflicts of interest
 * declared), the approvers decide whether it joins. What they decide on is
 * on the page (the facts of the due diligence), not in a document; several
 * can be decided together in the approver's inbox. Guide II.2.A.
 */
export const partnerApproval: HumanTaskKind = {
  id: 'partner-approval',
  answeredBy: 'approvers',
  link: 'approval',
  answer: 'approve-reject',
  document: 'none',
  inbox: true,
  atDeadline: 'reject',
  guideRef: 'II.2.A',
};
