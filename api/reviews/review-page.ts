import type { Language } from '../../domain/language';
import type { ReviewPartner, ReviewState } from '../../domain/reviews/review';
import { translator } from '../../infra/i18n';
import { renderPage } from '../pages/views';

/** GET /reviews/:token — the focal point's form for one review, in `language`; rendering changes nothing. */
export function renderReviewPage(state: ReviewState, partner: ReviewPartner, now: number, language: Language): string {
  const r = state.request;
  return renderPage('review', language, {
    title: translator(language)('pages:review.title', { number: r.number, title: r.partnershipTitle }),
    state,
    partner,
    answer: state.answers[partner.id],
    closed: state.step !== 'collecting' || now > Date.parse(state.deadlineAt),
  });
}
