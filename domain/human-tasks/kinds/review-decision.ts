import type { HumanTaskKind } from '../task-kind';

/**
 * A review's governance decision: after a periodic review the approvers read
 * the MEL report and choose to continue (next cycle), adapt (back to
 * planning, with notes) or exit (close the partnership). Guide II.2.D.
 */
export const reviewDecision: HumanTaskKind = {
  id: 'review-decision',
  answeredBy: 'approvers',
  link: 'approval',
  answer: 'choice',
  document: 'mel-report',
  inbox: false,
  atDeadline: 'reject',
  guideRef: 'II.2.D',
};
