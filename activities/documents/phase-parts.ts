import type { TFunction } from 'i18next';
import { itemsOfPhase, type CatalogueItem } from '../../domain/partnership/catalogue';
import { DIMENSIONS, PHASES, type DimensionId, type PhaseId } from '../../domain/partnership/phases';
import type { Completion } from '../../domain/partnership/state';
import type { PhaseDocumentFacts, StakeholderFact } from '../../domain/partnership/document-facts';
import { actorDisplay } from '../../domain/actor';
import { STAKEHOLDER_GROUPS } from '../../domain/partners/stakeholders';
import type { Language } from '../../infra/i18n';
import { guideCitation, itemTitle } from '../../infra/i18n/checklist';
import { sectionDefinition, type SectionId } from '../../domain/partnership/sections';
import { ORGANISATION_SOURCES } from '../../domain/resources/funding';
import { sourceText, type DocumentSection, type Words } from './document-model';

/**
 * The parts a phase document is made of (phase-document.ts picks them per
 * phase): the sections the partnership wrote, the stakeholder map, role,
 * resources, objectives, roadmap, funding, partners, reviews, and the
 * checklist annex. Each says "not recorded yet" where the partnership holds
 * nothing.
 */

/** The reason `initialState` records for the role a partnership starts with. */
const ROLE_AT_START = 'role at the start';

/** Sections whose heading documents printed before they were written sections keep it. */
const SECTION_HEADINGS: Partial<Record<SectionId, string>> = {
  'issue-context': 'documents:section.issueContext',
  'governance-outline': 'documents:section.governance',
  'communication-plan': 'documents:section.communication',
};

/** The sections phase documents are made of; each says "not recorded yet" where the partnership holds nothing. */
export class DocumentParts {
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
