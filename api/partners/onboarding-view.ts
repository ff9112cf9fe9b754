import { actorDisplay } from '../../domain/actor';
import { answeredAt, CONTACT_STEPS, MAX_RESENDS_PER_STEP, type OnboardingState } from '../../domain/partners/onboarding-state';
import { PRINCIPLES } from '../../domain/partners/principles';
import type { Stakeholder } from '../../domain/partners/stakeholders';
import type { DocumentRef } from '../../domain/documents/documents';
import { documentLinks } from '../partnership/console-view';
import { label } from '../console/labels';
import type { PageLocale } from '../console/locale';

type StepState = 'done' | 'current' | 'upcoming' | 'stopped';

/** One step of a partner's way in, as the onboarding page lists it. */
interface StepView {
  id: 'invited' | 'answer' | 'due-diligence' | 'approval' | 'signature' | 'registered';
  title: string;
  state: StepState;
  stateText: string;
  /** What happened, one line each (who, when, what), in the reader's words. */
  lines: string[];
  /** Someone's own words about the step (the approver's comment), quoted as written. */
  quote?: string;
}

/** The stakeholder's agreements (letters of intent, MoUs) among the partnership's documents, from every invitation it had. */
export function agreementsOf(partnershipId: string, stakeholderId: string, documents: readonly DocumentRef[], locale: PageLocale) {
  const prefix = `${partnershipId}.partner.${stakeholderId}.`;
  return documents
    .filter((d) => d.id.startsWith(prefix) && (d.kind === 'letter-of-intent' || d.kind === 'mou'))
    .map((d) => ({ id: d.id, title: d.title, kind: locale.t(`partners.documents.${d.kind}`), phase: label(locale.t, 'phase', d.phase), cycle: d.cycle, ...documentLinks(partnershipId, d.id) }));
}

/**
 * Where a partner's onboarding stands, step by step (guide II.2.A–B: the
 * invitation, the answer, due diligence against the principles, the internal
 * approval, the letter of intent or MoU and its signature, the registration),
 * in the reader's language and time zone: each step done, under way, still to
 * come, or stopped (the onboarding ended before it), with what happened.
 */
export function onboardingSteps(state: OnboardingState, locale: PageLocale): { steps: StepView[]; principles: Array<{ id: string; title: string; attested: boolean }>; conflicts?: string } {
  const { t, fmt } = locale;
  const r = state.request;
  const at = (step: string) => state.events.find((e) => e.step === step)?.at;
  const ended = ['declined', 'rejected', 'expired', 'withdrawn'].includes(state.step);
  const reached = (step: string) => state.events.some((e) => e.step === step);
  const stateOf = (done: boolean, current: boolean): StepState => (done ? 'done' : current ? (ended ? 'stopped' : 'current') : ended ? 'stopped' : 'upcoming');

  const accepted = answeredAt(state, 'respond') && reached('due-diligence');
  const declined = reached('declined');
  const attested = state.attestations;
  const approval = state.approval;
  const signed = state.signature;
  const registered = at('active');

  const steps: StepView[] = [
    {
      id: 'invited',
      title: t('partners.steps.invited'),
      state: 'done',
      stateText: '',
      lines: [t('partners.lines.invited', { by: actorDisplay(r.invitedBy), at: fmt.dateTime(state.events[0]?.at), name: r.contact.name, email: r.contact.email })],
    },
    {
      id: 'answer',
      title: t('partners.steps.answer'),
      state: stateOf(Boolean(accepted || declined), state.step === 'respond'),
      stateText: '',
      lines: accepted
        ? [t('partners.lines.accepted', { at: fmt.dateTime(answeredAt(state, 'respond')) })]
        : declined
          ? [t('partners.lines.declined', { at: fmt.dateTime(at('declined')) })]
          : state.step === 'respond'
            ? [t('partners.lines.waitingContact', { deadline: fmt.dateTime(state.stepDeadlineAt) })]
            : [],
    },
    {
      id: 'due-diligence',
      title: t('partners.steps.dueDiligence'),
      state: stateOf(Boolean(attested), state.step === 'due-diligence'),
      stateText: '',
      lines: attested
        ? [t('partners.lines.attested', { n: attested.principles.length, total: PRINCIPLES.length, at: fmt.dateTime(attested.at) })]
        : state.step === 'due-diligence'
          ? [t('partners.lines.waitingContact', { deadline: fmt.dateTime(state.stepDeadlineAt) })]
          : [],
    },
    {
      id: 'approval',
      title: t('partners.steps.approval'),
      state: stateOf(Boolean(approval), state.step === 'approval'),
      stateText: '',
      lines: approval
        ? [
            t(approval.outcome === 'approved' ? 'partners.lines.approved' : 'partners.lines.rejected', {
              by: approval.by ? `${approval.by.name} (${approval.by.email})` : t('partners.lines.deadline'),
              at: fmt.dateTime(approval.at),
            }),
          ]
        : state.step === 'approval'
          ? [t('partners.lines.waitingApprovers', { approvers: r.approvers.map((a) => a.name).join(', ') })]
          : [],
      ...(approval?.comment ? { quote: approval.comment } : {}),
    },
    {
      id: 'signature',
      title: state.document?.kind === 'mou' || (!state.document && r.stakeholder.coreGroup) ? t('partners.steps.mou') : t('partners.steps.letter'),
      state: stateOf(Boolean(signed), state.step === 'signature'),
      stateText: '',
      lines: [
        ...(signed ? [t('partners.lines.signed', { signatory: signed.signatory, at: fmt.dateTime(signed.at) })] : []),
        ...(!signed && state.step === 'signature' ? [t('partners.lines.waitingContact', { deadline: fmt.dateTime(state.stepDeadlineAt) })] : []),
      ],
    },
    {
      id: 'registered',
      title: t('partners.steps.registered'),
      state: stateOf(Boolean(registered), state.step === 'registering'),
      stateText: '',
      lines: registered ? [t('partners.lines.registered', { at: fmt.dateTime(registered) })] : [],
    },
  ];
  for (const s of steps) s.stateText = t(`partners.state.${s.state}`);
  return {
    steps,
    principles: PRINCIPLES.map((p) => ({ id: p.id, title: t(`pages:principle.${p.id}`, { defaultValue: p.title }), attested: Boolean(attested?.principles.includes(p.id)) })),
    ...(attested ? { conflicts: attested.conflictsOfInterest } : {}),
  };
}

/** Whether the manager may send the open step's email again now, and what it would send. */
export function resendable(state: OnboardingState | undefined, s: Stakeholder, now: number): { step: string } | undefined {
  if (!state || s.status !== 'invited' || state.closedWithPartnership || !CONTACT_STEPS.includes(state.step)) return undefined;
  if (now > Date.parse(state.stepDeadlineAt)) return undefined;
  const sent = (state.resends ?? []).filter((r) => r.step === state.step && r.at >= state.stepStartedAt).length;
  return sent >= MAX_RESENDS_PER_STEP ? undefined : { step: state.step };
}
