import type { HumanTaskKind } from '../task-kind';

/**
 * What a partner organisation's contact is asked, each by its own link:
 * the invitation (accept or decline), due diligence (attest the principles,
 * declare conflicts of interest), the signature of the MoU or letter of
 * intent (Guide II.2.A), and a periodic review's form (indicator values and
 * feedback, Guide II.2.D). At the deadline the request expires unanswered.
 */
const contactForm = (id: string, link: 'onboarding' | 'review', guideRef: string): HumanTaskKind => ({
  id,
  answeredBy: 'contact',
  link,
  answer: 'form',
  document: 'none',
  inbox: false,
  atDeadline: 'expire',
  guideRef,
});

export const invitation = contactForm('invitation', 'onboarding', 'II.2.A');
export const dueDiligence = contactForm('due-diligence', 'onboarding', 'II.2.A');
export const signature = contactForm('signature', 'onboarding', 'II.2.A');
export const reviewForm = contactForm('review-form', 'review', 'II.2.D');
