import { agreementKind, type OnboardingState } from '../../domain/onboarding-state';
import { PRINCIPLES } from '../../domain/principles';
import type { DocumentModel } from './content';

/**
 * The letter of intent (or, for core-group partners, the memorandum of
 * understanding) that formalises a partner's participation (guide II.2.B,
 * Governance), built from the onboarding's data.
 */
export function buildAgreementModel(state: OnboardingState): DocumentModel {
  const r = state.request;
  const mou = agreementKind(r) === 'mou';
  const name = mou ? 'Memorandum of understanding' : 'Letter of intent';
  const attested = new Set(state.attestations?.principles ?? []);
  return {
    title: `${name} — ${r.stakeholder.organisation} in ${r.partnershipTitle}`,
    subtitle: `Prepared by MSP Orchestrator after due diligence and internal approval`,
    facts: [
      ['Partnership', `${r.partnershipTitle} (${r.partnershipId})`],
      ['Shared goal', r.partnershipGoal],
      ['Partner', `${r.stakeholder.organisation} (${r.stakeholder.group})`],
      ['Partner contact', `${r.contact.name} <${r.contact.email}>`],
      ['Core group of champions', r.stakeholder.coreGroup ? 'yes' : 'no'],
      ['Conflicts of interest declared', state.attestations?.conflictsOfInterest ?? '—'],
      ['Approved by', state.approval?.by ? `${state.approval.by.name} on ${state.approval.at}` : '—'],
    ],
    sections: [
      {
        heading: mou ? 'What the parties agree' : 'What the partner intends',
        items: [
          { title: 'Purpose', detail: `To work together toward the partnership's goal: ${r.partnershipGoal}` },
          {
            title: 'Participation',
            detail: mou
              ? 'The partner joins the core group, takes part in governance and in planning, and contributes to the roadmap of activities.'
              : 'The partner intends to contribute to the activities of the partnership where it can add value.',
          },
          { title: 'Review', detail: 'Participation is reviewed in each reflective-monitoring phase and may be adapted or ended by either side.' },
        ],
      },
      {
        heading: 'Principles attested in due diligence',
        items: PRINCIPLES.map((p) => ({ title: `${p.title} (${p.source})`, detail: attested.has(p.id) ? 'Attested' : 'Not attested' })),
      },
    ],
  };
}
