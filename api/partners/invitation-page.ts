import type { Language } from '../../domain/language';
import type { OnboardingState } from '../../domain/partners/onboarding-state';
import { PRINCIPLES } from '../../domain/partners/principles';
import { translator } from '../../infra/i18n';
import { renderPage } from '../pages/views';

/** GET /invitations/:token — the contact's page shows the step the onboarding is at, in `language`; rendering changes nothing. */
export function renderInvitationPage(state: OnboardingState, token: string, now: number, language: Language): string {
  const open = ['respond', 'due-diligence', 'signature'].includes(state.step);
  return renderPage('invitation', language, {
    title: translator(language)('pages:invitation.title', { title: state.request.partnershipTitle }),
    state,
    token,
    principles: PRINCIPLES,
    expired: open && now > Date.parse(state.stepDeadlineAt),
  });
}
