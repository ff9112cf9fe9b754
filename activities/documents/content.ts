import type { TFunction } from 'i18next';
import { itemsOfPhase, type CatalogueItem } from '../../domain/partnership/catalogue';
import { DIMENSIONS, PHASES, type DimensionId, type PhaseId } from '../../domain/partnership/phases';
import type { Completion, PhaseDocumentFacts, StakeholderFact } from '../../domain/partnership/partnership-state';
import { actorDisplay } from '../../domain/actor';
import type { DocumentKind } from '../../domain/schemas';
import { STAKEHOLDER_GROUPS } from '../../domain/partners/stakeholders';
import type { ChannelProposal } from '../../domain/resources/funding';
import { formatters, translator, type Language } from '../../infra/i18n';
import { textDirection } from '../../domain/language';
import { guideCitation, itemTitle } from '../../infra/i18n/checklist';
import { sectionDefinition, type SectionId } from '../../domain/partnership/sections';
import { ORGANISATION_SOURCES } from '../../domain/resources/funding';

/**
 * What goes into a document, independent of its format, already in the
 * reader's language. The HTML template draws it, and the PDF is that HTML
 * printed, so the two never disagree.
 */
export interface DocumentModel {
  language: Language;
  /** The partnership's title, named in the header of every PDF page. */
  partnership: string;
  title: string;
  subtitle: string;
  /** The guide section the document serves, as a sentence ("Serves guide section II.2.A Initiating"). */
  guide: string;
  facts: Array<[label: string, value: string]>;
  sections: DocumentSection[];
  /** Line charts (e.g. an indicator across reviews against its target). */
  charts?: Array<{ title: string; points: Array<{ label: string; value: number }>; target: number; targetLabel: string }>;
}

export interface DocumentSection {
  heading: string;
  /** The guide section (and heading) this part serves. */
  guide?: string;
  /** Who wrote the part and when, under its heading (a written section's last change). */
  byline?: string;
  paragraphs?: string[];
  /** `note`: text a person wrote, set as a paragraph of its own (it takes its own writing direction). */
  items?: Array<{ title: string; detail: string; note?: string }>;
  /** `widths`: each column's share of the page width, in per cent (equal shares when absent). */
  table?: { columns: string[]; rows: string[][]; widths?: number[] };
  subsections?: DocumentSection[];
}

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

/**
 * A value people typed (a name, a title, an email) set apart with Unicode's
 * first-strong isolate (U+2068 … U+2069), so it keeps its own order and its
 * brackets inside a sentence of the other direction — "Мария Иванова
 * <maria@example.org>" in an Arabic document, an Arabic name in a Chinese one —
 * and does not decide the direction of the paragraph it sits in (`dir="auto"`
 * skips isolated text). In a left-to-right document only values holding
 * right-to-left letters or bidi controls need it (a title carrying U+202E
 * would otherwise reverse the rest of its line); the others are left as typed.
 */
export function isolate(language: Language, value: string): string {
  return textDirection(language) === 'rtl' || RIGHT_TO_LEFT.test(value) ? `\u2068${value}\u2069` : value;
}
/** Right-to-left letters, and the bidi controls that reorder what follows them (RLM, ALM, embeddings, overrides such as U+202E, isolates). */
const RIGHT_TO_LEFT = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\u200f\u061c\u202a-\u202e\u2066-\u2069]/;

/** The reason `initialState` records for the role a partnership starts with. */
const ROLE_AT_START = 'role at the start';

/** Helpers every builder shares: the translator, formatters and the phrases they keep using. */
export function documentWords(language: Language) {
  const t = translator(language);
  const f = formatters(language);
  const iso = (value: string) => isolate(language, value);
  const list = new Intl.ListFormat(language, { type: 'conjunction', style: 'long' });
  return {
    /** Names or labels as a list in the language's own way ("a, b and c"; "a、b和c"). */
    list: (items: string[]) => list.format(items),
    t,
    f,
    iso,
    /** "Ana on 29 November 2026". */
    byOn: (by: string, at: string) => t('documents:byOn', { name: iso(actorDisplay(by)), date: f.date(at) }),
    period: (start: string, end: string) => t('documents:period', { start: f.date(start), end: f.date(end) }),
    target: (x: { indicator: string; target: string; unit: string; date: string }) =>
      t('documents:target', { indicator: x.indicator, target: f.number(Number(x.target)), unit: x.unit, date: f.date(x.date) }),
    money: (amount: string, currency: string) => f.money(amount, currency),
    yesNo: (b: boolean) => t(b ? 'documents:yes' : 'documents:no'),
    serves: (section: string) => t('documents:serves', { section }),
  };
}
type Words = ReturnType<typeof documentWords>;

/** A funding source in words: the organisation's own (RB, …), a partner (by name), or an external one. */
export function sourceText(w: Words, source: ChannelProposal['source'], nameOf: (id: string) => string = (id) => id): string {
  if (source.kind === 'organisation') return w.t('documents:source.organisation', { name: source.name });
  if (source.kind === 'partner') return w.t('documents:source.partner', { name: nameOf(source.partnerId) });
  return w.t('documents:source.external', { name: source.name });
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

/** Sections whose heading documents printed before they were written sections keep it. */
const SECTION_HEADINGS: Partial<Record<SectionId, string>> = {
  'issue-context': 'documents:section.issueContext',
  'governance-outline': 'documents:section.governance',
  'communication-plan': 'documents:section.communication',
};

/** The sections phase documents are made of; each says "not recorded yet" where the partnership holds nothing. */
class DocumentParts {
  private readonly t: TFunction;
  private readonly names: Map<string, string>;
  private readonly ref: string;

  constructor(
    private readonly w: Words,
    private readonly facts: PhaseDocumentFacts,
    private readonly phase: PhaseId,
    private readonly language: Language,
  ) {
    this.t = w.t;
    this.names = new Map((facts.stakeholders ?? []).map((s) => [s.id, s.organisation]));
    this.ref = PHASES.find((p) => p.id === phase)!.guideRef;
  }

  private name = (id: string) => this.names.get(id) ?? id;
  private notRecorded = () => [this.t('documents:notRecorded')];
  private cite = (heading: string) => guideCitation(this.language, `${this.ref} ${heading}`);
  private omitted(list: 'stakeholders' | 'roadmap' | 'funding' | 'reviews'): string[] {
    const n = this.facts.omitted?.[list];
    return n ? [this.t('documents:omitted', { count: n })] : [];
  }

  /**
   * A section the partnership wrote (domain/partnership/sections.ts), its text
   * in paragraphs as typed, its SDG targets or its note per source, and who
   * changed it last. The core group also names the champions on the map.
   */
  section(id: SectionId): DocumentSection {
    const def = sectionDefinition(id)!;
    const s = this.facts.sections?.find((x) => x.id === id);
    const heading = this.t(SECTION_HEADINGS[id] ?? `documents:written.${id}`);
    const guide = guideCitation(this.language, def.guideRef);
    if (!s?.text.trim()) return { heading, guide, paragraphs: this.notRecorded() };
    const core = (this.facts.stakeholders ?? []).filter((x) => x.coreGroup);
    const paragraphs = [
      ...s.text.split(/\n\s*\n/).map((x) => x.trim()).filter(Boolean),
      ...(s.sdgTargets?.length ? [this.t('documents:written.sdgTargets', { targets: this.w.list(s.sdgTargets) })] : []),
      ...(id === 'core-group' && core.length ? [this.t('documents:stakeholders.coreLegend', { names: this.w.list(core.map((x) => this.w.iso(x.organisation))) })] : []),
    ];
    const bySource = ORGANISATION_SOURCES.filter((src) => s.bySource?.[src]).map((src) => ({ title: this.t(`documents:written.source.${src}`), detail: '', note: s.bySource![src]! }));
    const last = s.by && s.at ? [this.t('documents:written.lastChange', { version: s.version, name: this.w.iso(actorDisplay(s.by)), date: this.w.f.date(s.at) })] : [];
    return { heading, guide, ...(last.length ? { byline: last[0] } : {}), paragraphs, ...(bySource.length ? { items: bySource } : {}) };
  }

  /** What was noted on the phase's checklist items of one dimension (documents from before sections). */
  notes(heading: 'issueContext' | 'governance' | 'communication', dimension: DimensionId): DocumentSection {
    const items = itemsOfPhase(this.phase).filter((i) => i.dimension === dimension);
    const noted = items.flatMap((item) => {
      const c = this.facts.completions.find((x) => x.itemId === item.id);
      return c?.note ? [{ title: itemTitle(this.language, item), detail: '', note: c.note }] : [];
    });
    return {
      heading: this.t(`documents:section.${heading}`),
      ...(items[0] ? { guide: guideCitation(this.language, items[0].guideRef) } : {}),
      ...(noted.length ? { items: noted } : { paragraphs: this.notRecorded() }),
    };
  }

  goalAndDrivers(): DocumentSection {
    const input = this.facts.input;
    return {
      heading: this.t('documents:section.goalDrivers'),
      guide: this.cite('Working with your partners'),
      paragraphs: [input.goal],
      items: input.drivers.map((d) => ({ title: this.t(`labels:driver.${d}`), detail: '' })),
    };
  }

  /** Stakeholders grouped by stakeholder group, the core group marked (guide II.2.A). */
  stakeholderMap(): DocumentSection {
    const all = this.facts.stakeholders;
    const heading = this.t('documents:section.stakeholderMap');
    const guide = this.cite('Issues, situations, challenges');
    if (!all?.length) return { heading, guide, paragraphs: this.notRecorded() };
    const columns = ['organisation', 'roles', 'why', 'strategy', 'status'].map((c) => this.t(`documents:column.${c}`));
    const row = (s: StakeholderFact) => [
      s.coreGroup ? `★ ${s.organisation}` : s.organisation,
      this.w.list(s.potentialRoles),
      s.whyEngage,
      s.engagementStrategy,
      this.t(`labels:partnerStatus.${s.status}`),
    ];
    const core = all.filter((s) => s.coreGroup);
    return {
      heading,
      guide,
      paragraphs: [
        this.t('documents:stakeholders.summary', { count: all.length, core: core.length }),
        core.length ? this.t('documents:stakeholders.coreLegend', { names: this.w.list(core.map((s) => this.w.iso(s.organisation))) }) : this.t('documents:stakeholders.noCore'),
        ...this.omitted('stakeholders'),
      ],
      subsections: STAKEHOLDER_GROUPS.flatMap((group) => {
        const inGroup = all.filter((s) => s.group === group);
        return inGroup.length ? [{ heading: `${this.t(`labels:group.${group}`)} (${this.w.f.number(inGroup.length)})`, table: { columns, rows: inGroup.map(row), widths: [19, 15, 30, 22, 14] } }] : [];
      }),
    };
  }

  role(): DocumentSection {
    const history = this.facts.roleHistory ?? [];
    return {
      heading: this.t('documents:section.role'),
      // The role is defined while initiating, and may change later (guide II.2.A, "ILO as a partner").
      guide: guideCitation(this.language, 'II.2.A ILO as a partner'),
      paragraphs: [this.t('documents:role.current', { role: this.t(`labels:role.${history.at(-1)?.role ?? this.facts.input.organisationRole}`) })],
      ...(history.length
        ? {
            items: history.map((r) => ({
              title: this.t('documents:role.since', { role: this.t(`labels:role.${r.role}`), date: this.w.f.date(r.at), name: this.w.iso(actorDisplay(r.by)) }),
              // The first entry's reason is written by the system (initialState), in English: said in the document's language.
              detail: r.reason === ROLE_AT_START ? this.t('documents:role.atStart') : '',
              ...(r.reason && r.reason !== ROLE_AT_START ? { note: r.reason } : {}),
            })),
          }
        : {}),
    };
  }

  /** The recorded strategy, or nothing at all (never "not recorded yet") where a written outline stands for it. */
  resourcesIfRecorded(): DocumentSection[] {
    const s = this.facts.resourceStrategy;
    return s && s.pledges.length + s.ownSources.length + s.externalPartners.length > 0 ? [this.resources()] : [];
  }

  resources(): DocumentSection {
    const s = this.facts.resourceStrategy;
    const heading = this.t('documents:section.resources');
    const guide = this.cite('Resources');
    const { t } = this;
    const items = [
      ...(s?.pledges ?? []).map((p) => ({
        title: t('documents:resources.pledge', { partner: this.name(p.partnerId) }),
        detail: p.type === 'financial' ? this.w.money(p.amount, p.currency) : `${t(`documents:inKind.${p.type}`)}: ${p.description}`,
      })),
      ...(s?.ownSources ?? []).map((o) => ({ title: t('documents:resources.ownSource', { source: o.source }), detail: this.w.money(o.amount, o.currency) })),
      ...(s?.externalPartners ?? []).map((e) => ({
        title: e.name,
        detail: [t(`documents:externalType.${e.type}`), t(e.joinsFormally ? 'documents:resources.joinsFormally' : 'documents:resources.contributesOutside'), t(`documents:externalStatus.${e.status}`)].join(' · '),
      })),
    ];
    return { heading, guide, ...(items.length ? { items } : { paragraphs: this.notRecorded() }) };
  }

  /** Every SMART target of the roadmap: indicator, target, date and the activity it belongs to (guide II.2.B). */
  objectives(): DocumentSection {
    const roadmap = this.facts.roadmap ?? [];
    const rows = roadmap.flatMap((a) => a.targets.map((x) => [x.indicator, `${this.w.f.number(Number(x.target))} ${x.unit}`, this.w.f.date(x.date), a.title]));
    // The partnership's own SMART objectives first (what it set out to change), then the roadmap's targets that measure them.
    const objectives = (this.facts.objectives ?? []).map((o) => ({ title: o.statement, detail: `${o.indicator}: ${this.w.target(o)}` }));
    return {
      heading: this.t('documents:section.objectives'),
      guide: guideCitation(this.language, 'II.2.B Issues, situations, challenges'),
      ...(objectives.length ? { items: objectives } : {}),
      ...(rows.length ? { table: { columns: ['indicator', 'target', 'date', 'activity'].map((c) => this.t(`documents:column.${c}`)), rows } } : objectives.length ? {} : { paragraphs: this.notRecorded() }),
    };
  }

  roadmap(): DocumentSection {
    const roadmap = this.facts.roadmap ?? [];
    return {
      heading: this.t('documents:section.roadmap'),
      guide: guideCitation(this.language, 'II.2.B Working with partners'),
      ...(roadmap.length
        ? {
            paragraphs: this.omitted('roadmap'),
            table: {
              columns: ['activity', 'lead', 'period', 'partners', 'targets'].map((c) => this.t(`documents:column.${c}`)),
              rows: roadmap.map((a) => [a.title, this.name(a.leadPartner), this.w.period(a.start, a.end), this.w.list(a.participatingPartners.map(this.name)), a.targets.map((x) => `${x.indicator}: ${this.w.target(x)}`).join('\n')]),
              widths: [22, 15, 16, 17, 30],
            },
          }
        : { paragraphs: this.notRecorded() }),
    };
  }

  /** The financial channel of each roadmap activity and its fiduciary agent (guide II.2.B Resources). */
  funding(): DocumentSection {
    const roadmap = this.facts.roadmap ?? [];
    const channels = new Map((this.facts.funding ?? []).map((c) => [c.activityId, c]));
    return {
      heading: this.t('documents:section.funding'),
      guide: guideCitation(this.language, 'II.2.B Resources'),
      ...(roadmap.length
        ? {
            paragraphs: this.omitted('funding'),
            table: {
              columns: ['activity', 'channel', 'source', 'amount', 'fiduciaryAgent'].map((c) => this.t(`documents:column.${c}`)),
              rows: roadmap.map((a) => {
                const c = channels.get(a.id);
                if (!c) return [a.title, this.t('documents:channelStatus.none'), '—', '—', '—'];
                return [
                  a.title,
                  `${this.t(`documents:channelStatus.${c.status}`)} (${this.t('documents:version', { version: c.version })})`,
                  sourceText(this.w, c.source, this.name),
                  this.w.money(c.amount, c.currency),
                  this.name(c.fiduciaryAgent),
                ];
              }),
            },
          }
        : { paragraphs: this.notRecorded() }),
    };
  }

  fiduciary(): DocumentSection {
    return {
      heading: this.t('documents:section.fiduciary'),
      guide: guideCitation(this.language, 'II.2.B Resources'),
      paragraphs: [this.t(`documents:fiduciaryRule.${this.facts.fiduciaryRule ?? 'lead-partner'}`)],
    };
  }

  /** Partners and where each stands (guide II.2.C: new partners join during implementation). */
  partners(): DocumentSection {
    const all = this.facts.stakeholders ?? [];
    const invited = all.filter((s) => s.status !== 'mapped');
    return {
      heading: this.t('documents:section.partners'),
      guide: this.cite('Working with your partners'),
      ...(invited.length
        ? {
            paragraphs: this.omitted('stakeholders'),
            table: {
              columns: ['organisation', 'group', 'status'].map((c) => this.t(`documents:column.${c}`)),
              rows: invited.map((s) => [s.coreGroup ? `★ ${s.organisation}` : s.organisation, this.t(`labels:group.${s.group}`), this.t(`labels:partnerStatus.${s.status}`)]),
            },
          }
        : { paragraphs: this.notRecorded() }),
    };
  }

  reviews(): DocumentSection {
    const reviews = this.facts.reviews ?? [];
    // The review still open when this phase's review decision passed its gate is decided by that gate (patch review-decided-by-gate):
    // the record says so, although the review reports back to the partnership only after the document is written.
    const gate = [...this.facts.decisions].reverse().find((d) => d.fromPhase === this.phase && d.outcome === 'approved');
    const decidedHere = gate?.kind === 'review' ? gate.proposedDecision : undefined;
    const lastOpen = [...reviews].reverse().find((r) => r.status === 'in-progress');
    return {
      heading: this.t('documents:section.reviews'),
      guide: guideCitation(this.language, 'II.2.D Issues, situations, challenges'),
      ...(reviews.length
        ? {
            paragraphs: this.omitted('reviews'),
            table: {
              columns: ['review', 'opened', 'answers', 'decision'].map((c) => this.t(`documents:column.${c}`)),
              rows: reviews.map((r) => [
                this.t('documents:reviewNumber', { number: r.number, cycle: r.cycle }),
                this.w.f.date(r.startedAt),
                r.asked === undefined ? '—' : this.t('documents:answersOf', { answered: r.answered ?? 0, asked: r.asked }),
                r.decision
                  ? this.t(`documents:decision.${r.decision}`)
                  : r === lastOpen && decidedHere
                    ? this.t(`documents:decision.${decidedHere}`)
                    : this.t(`documents:reviewStatus.${r.status}`),
              ]),
            },
          }
        : { paragraphs: this.notRecorded() }),
    };
  }

  /**
   * The annex: the phase's checklist by dimension, each item with its guide
   * citation, who marked it done and when, and the note they left. The
   * partnership's substance is in the sections before it; this is the record.
   */
  checklist(): DocumentSection {
    const entry = (item: CatalogueItem, done: Completion | undefined) => ({
      title: `${itemTitle(this.language, item)} [${guideCitation(this.language, item.guideRef)}]`,
      detail: done ? this.t('documents:doneBy', { name: this.w.iso(actorDisplay(done.by)), date: this.w.f.date(done.at) }) : this.t('documents:annex.open'),
      ...(done?.note ? { note: done.note } : {}),
    });
    return {
      heading: this.t('documents:annex.heading'),
      paragraphs: [this.t('documents:annex.intro', { phase: this.t(`labels:phase.${this.phase}`) })],
      subsections: DIMENSIONS.map((d) => ({
        heading: this.t(`labels:dimension.${d.id}`),
        items: itemsOfPhase(this.phase)
          .filter((i) => i.dimension === d.id)
          .map((i) => entry(i, this.facts.completions.find((c) => c.itemId === i.id))),
      })).filter((s) => s.items.length > 0),
    };
  }

}
