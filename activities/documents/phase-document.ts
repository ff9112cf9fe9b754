import { PHASES, type PhaseId } from '../../domain/partnership/phases';
import type { PhaseDocumentFacts } from '../../domain/partnership/document-facts';
import type { DocumentKind } from '../../domain/documents/schemas';
import { translator, type Language } from '../../infra/i18n';
import type { SectionId } from '../../domain/partnership/sections';
import { documentWords, isolate, type DocumentModel, type DocumentSection } from './document-model';
import { DocumentParts } from './phase-parts';

/**
 * The document each phase gate writes (process design, workplan, action
 * report, review record): its kind, its title, and which parts it is made of,
 * in the guide's order of dimensions. The parts themselves are in
 * `phase-parts.ts`; what a document model is, in `document-model.ts`.
 */

export const DOCUMENT_KIND_BY_PHASE: Record<PhaseId, { kind: DocumentKind; name: string }> = {
  initiating: { kind: 'process-design', name: 'MSP process design' },
  'adaptive-planning': { kind: 'workplan', name: 'Partnership workplan' },
  'collaborative-action': { kind: 'action-report', name: 'Collaborative action report' },
  'reflective-monitoring': { kind: 'review-record', name: 'Review and decision record' },
};

/** "II.2.A Initiating" in `language`: the guide section a phase's document serves. */
export function phaseSection(language: Language, phase: PhaseId): string {
  return `${PHASES.find((p) => p.id === phase)!.guideRef} ${translator(language)(`labels:phase.${phase}`)}`;
}

/** "MSP process design — <title> (cycle 2)" in `language`. */
export function documentTitle(state: Pick<PhaseDocumentFacts, 'input' | 'cycle'>, phase: PhaseId, language: Language = 'en'): string {
  const t = translator(language);
  return t('documents:phase.title', { kind: t(`documents:kind.${DOCUMENT_KIND_BY_PHASE[phase].kind}`), partnership: isolate(language, state.input.title), cycle: state.cycle });
}

/** Builds the document of the phase just closed, in `language`, from the partnership's own data. */
export function buildDocumentModel(facts: PhaseDocumentFacts, phase: PhaseId, language: Language = 'en'): DocumentModel {
  const w = documentWords(language);
  const { t } = w;
  const input = facts.input;
  const lastDecision = [...facts.decisions].reverse().find((d) => d.fromPhase === phase && d.outcome === 'approved');
  const modelFacts: DocumentModel['facts'] = [
    [t('documents:fact.partnership'), `${w.iso(input.title)} ${w.iso(`(${facts.id})`)}`],
    [t('documents:fact.goal'), input.goal],
    [t('documents:fact.drivers'), w.list(input.drivers.map((d) => t(`labels:driver.${d}`)))],
    [t('documents:fact.role'), t(`labels:role.${input.organisationRole}`)],
    [t('documents:fact.manager'), w.iso(`${input.manager.name} <${input.manager.email}>`)],
    [t('documents:fact.approvers'), w.list(input.approvers.map((a) => w.iso(a.name)))],
    [t('documents:fact.phaseClosed'), phaseSection(language, phase)],
    [t('documents:fact.cycle'), w.f.number(facts.cycle)],
  ];
  if (lastDecision) {
    modelFacts.push([t('documents:fact.approvedBy'), w.byOn(lastDecision.by, lastDecision.at)]);
    if (lastDecision.proposedDecision) modelFacts.push([t('documents:fact.reviewDecision'), t(`documents:decision.${lastDecision.proposedDecision}`)]);
    if (lastDecision.comment) modelFacts.push([t('documents:fact.approverComment'), lastDecision.comment]);
  }
  if (facts.reviewNotes && phase === 'adaptive-planning') modelFacts.push([t('documents:fact.reviewNotes'), facts.reviewNotes]);

  const parts = new DocumentParts(w, facts, phase, language);
  // Documents stored before sections existed carry none: they print the notes ticked on the checklist, as they did.
  const written = (id: SectionId, old: DocumentSection) => (facts.sections ? parts.section(id) : old);
  const body: Record<PhaseId, DocumentSection[]> = {
    // Each phase's parts in the guide's order of dimensions: issues, partners, governance, resources, communication, the organisation.
    initiating: [
      written('issue-context', parts.notes('issueContext', 'issues-context')),
      parts.goalAndDrivers(),
      parts.stakeholderMap(),
      ...(facts.sections ? [parts.section('core-group')] : []),
      written('governance-outline', parts.notes('governance', 'governance')),
      // The outline the partnership wrote; pledges and sources too once any is recorded (planning makes them complete).
      ...(facts.sections ? [parts.section('resource-outline'), ...parts.resourcesIfRecorded()] : [parts.resources()]),
      written('communication-plan', parts.notes('communication', 'communication')),
      parts.role(),
      ...(facts.sections ? [parts.section('reporting-lines'), parts.section('own-resources')] : []),
    ],
    'adaptive-planning': [
      ...(facts.sections ? [parts.section('issue-context')] : []),
      parts.objectives(),
      parts.roadmap(),
      written('governance-structure', parts.notes('governance', 'governance')),
      parts.funding(),
      parts.fiduciary(),
      parts.resources(),
      ...(facts.sections ? [parts.section('communication-plan'), parts.section('reporting-lines'), parts.section('staffing-plan')] : []),
    ],
    'collaborative-action': [
      parts.roadmap(),
      parts.partners(),
      ...(facts.sections ? [parts.section('governance-structure')] : []),
      parts.funding(),
      written('communication-plan', parts.notes('communication', 'communication')),
      ...(facts.sections ? [parts.section('staffing-plan')] : []),
      // Reviews usually open as the partnership leaves this phase: a report with none held says nothing of them (never "not recorded yet").
      ...(facts.sections && !facts.reviews?.length ? [] : [parts.reviews()]),
    ],
    'reflective-monitoring': [parts.reviews(), parts.objectives(), ...(facts.sections ? [parts.section('governance-structure')] : []), parts.role(), ...(facts.sections ? [parts.section('staffing-plan')] : [])],
  };
  return {
    language,
    partnership: input.title,
    title: documentTitle(facts, phase, language),
    subtitle: t('documents:phase.subtitle', { phase: t(`labels:phase.${phase}`) }),
    guide: w.serves(phaseSection(language, phase)),
    facts: modelFacts,
    sections: [...body[phase], parts.checklist()],
  };
}
