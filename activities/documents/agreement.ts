import { agreementKind, type OnboardingState } from '../../domain/partners/onboarding-state';
import { PRINCIPLES } from '../../domain/partners/principles';
import type { Language } from '../../infra/i18n';
import { guideCitation } from '../../infra/i18n/checklist';
import { documentWords, type DocumentModel } from './document-model';

/**
 * The letter of intent (or, for core-group partners, the memorandum of
 * understanding) that formalises a partner's participation (guide II.2.B,
 * Governance; the principles of Section I), built from the onboarding's data
 * in `language`.
 */
export function buildAgreementModel(state: OnboardingState, language: Language = 'en'): DocumentModel {
  const { t, byOn, yesNo, serves, iso } = documentWords(language);
  const r = state.request;
  const mou = agreementKind(r) === 'mou';
  const name = t(`documents:kind.${mou ? 'mou' : 'letter-of-intent'}`);
  const attested = new Set(state.attestations?.principles ?? []);
  return {
    language,
    partnership: r.partnershipTitle,
    title: t('documents:agreement.title', { kind: name, organisation: iso(r.stakeholder.organisation), partnership: iso(r.partnershipTitle) }),
    subtitle: t('documents:agreement.subtitle'),
    guide: serves(guideCitation(language, 'II.2.B Governance')),
    facts: [
      [t('documents:fact.partnership'), `${iso(r.partnershipTitle)} ${iso(`(${r.partnershipId})`)}`],
      [t('documents:fact.sharedGoal'), r.partnershipGoal],
      [t('documents:fact.partner'), `${iso(r.stakeholder.organisation)} (${t(`labels:group.${r.stakeholder.group}`)})`],
      [t('documents:fact.partnerContact'), iso(`${r.contact.name} <${r.contact.email}>`)],
      [t('documents:fact.coreGroup'), yesNo(r.stakeholder.coreGroup)],
      [t('documents:fact.conflicts'), state.attestations?.conflictsOfInterest ?? '—'],
      [t('documents:fact.approvedBy'), state.approval?.by ? byOn(state.approval.by.name, state.approval.at) : '—'],
    ],
    sections: [
      {
        heading: t(mou ? 'documents:agreement.mouHeading' : 'documents:agreement.loiHeading'),
        items: [
          { title: t('documents:agreement.purpose'), detail: t('documents:agreement.purposeText', { goal: r.partnershipGoal }) },
          { title: t('documents:agreement.participation'), detail: t(mou ? 'documents:agreement.participationMou' : 'documents:agreement.participationLoi') },
          { title: t('documents:agreement.review'), detail: t('documents:agreement.reviewText') },
        ],
      },
      {
        heading: t('documents:agreement.principles'),
        guide: t('documents:agreement.principlesGuide'),
        items: PRINCIPLES.map((p) => ({ title: `${t(`documents:principle.${p.id}`)} (${p.source})`, detail: t(attested.has(p.id) ? 'documents:agreement.attested' : 'documents:agreement.notAttested') })),
      },
    ],
  };
}
