import type { HumanTaskKind } from '../task-kind';

/**
 * A funding channel: the financial arrangement of one roadmap activity
 * (source, amount and currency, fiduciary agent, disbursements), approved
 * before money moves. Its facts are on the page. Guide II.2.B, II.2.C.
 */
export const fundingChannel: HumanTaskKind = {
  id: 'funding-channel',
  answeredBy: 'approvers',
  link: 'approval',
  answer: 'approve-reject',
  document: 'none',
  inbox: false,
  atDeadline: 'reject',
  guideRef: 'II.2.B',
};
