import { catalogueItem } from './catalogue';
import type { PhaseId } from './phases';
import type { DocumentRef } from '../documents/documents';
import type { ResourceStrategy, SmartObjective } from '../resources/schemas';
import { approvedChannel, pendingChannel, type ChannelProposal, type ChannelVersion, type Currency, type FiduciaryRule, type RoadmapActivity } from '../resources/funding';
import type { Stakeholder } from '../partners/stakeholders';
import { sectionViews, SECTIONS_IN_DOCUMENT, type SectionView } from './sections';
import { EMPTY_STRATEGY, type PartnershipState, type ReviewDecision, type ReviewRef, type RoleChange } from './state';

/**
 * The partnership's documents: what a phase document is built from (bounded
 * facts drawn from the state at its gate, sent as the document activity's
 * input) and the list of documents the state keeps.
 */

/**
 * What a phase document is built from: the partnership's identity and input,
 * the closed phase's completions and its approving decision, and the parts of
 * its own data the document describes — the stakeholder map, the role, the
 * roadmap with its SMART targets, the resource strategy, the financial
 * channels and the reviews. Only this goes into the document activity's input,
 * not the whole state, and every list and free text in it is bounded (see
 * DOCUMENT_FACT_LIMITS), so the payload stays far below Temporal's 2 MB
 * however many partners, activities or reviews a partnership has. Facts from
 * runs before these fields existed lack them; their documents say "not
 * recorded yet".
 */
export interface PhaseDocumentFacts extends Pick<PartnershipState, 'id' | 'input' | 'cycle' | 'reviewNotes' | 'completions' | 'decisions'> {
  stakeholders?: StakeholderFact[];
  roleHistory?: RoleChange[];
  roadmap?: RoadmapActivity[];
  /** The SMART objectives (guide II.2.B): what each says, its indicator, target and date; absent from documents written before they were printed. */
  objectives?: Array<Pick<SmartObjective, 'id' | 'statement' | 'indicator' | 'target' | 'unit' | 'date'>>;
  resourceStrategy?: ResourceStrategy;
  fiduciaryRule?: FiduciaryRule;
  funding?: FundingFact[];
  reviews?: Array<Pick<ReviewRef, 'number' | 'cycle' | 'status' | 'startedAt' | 'answered' | 'asked'> & { decision?: ReviewDecision }>;
  /** The written sections this phase's document prints (SECTIONS_IN_DOCUMENT), in the guide's order, each as it stands at the gate with its last change. */
  sections?: SectionFact[];
  /** How many of each list were left out by the limits (absent when none were). */
  omitted?: { stakeholders?: number; roadmap?: number; funding?: number; reviews?: number };
}

/** A section as documents print it: its whole text (bounded by its schema), its fields and who changed it last. */
export type SectionFact = Pick<SectionView, 'id' | 'text' | 'sdgTargets' | 'bySource' | 'version'> & { by?: string; at?: string };

/** A stakeholder as documents show it: no contact details or history, free texts clipped. */
export type StakeholderFact = Pick<Stakeholder, 'id' | 'organisation' | 'group' | 'coreGroup' | 'status' | 'potentialRoles' | 'whyEngage' | 'engagementStrategy'>;

/** The channel of one roadmap activity as documents show it: the one in force, else the one in review. */
export interface FundingFact {
  activityId: string;
  version: number;
  status: ChannelVersion['status'];
  source: ChannelProposal['source'];
  amount: string;
  currency: Currency;
  fiduciaryAgent: string;
}

/**
 * Bounds on what a phase document carries: with every free text at its
 * schema's maximum, 300 stakeholders, 100 activities of 5 targets, 100
 * channels and 50 reviews stay under 600 kB of JSON (measured by
 * test/documents/documents-pdf.unit.test.ts).
 */
export const DOCUMENT_FACT_LIMITS = { stakeholders: 300, roadmap: 100, targetsPerActivity: 5, funding: 100, reviews: 50, text: 200 } as const;

/** `text` cut to `max` characters (whole code points) with an ellipsis, for documents' bounded facts. */
export function clipText(text: string, max: number = DOCUMENT_FACT_LIMITS.text): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

function bounded<T>(list: readonly T[], max: number): { kept: T[]; omitted: number } {
  return { kept: list.slice(0, max), omitted: Math.max(0, list.length - max) };
}

/** The facts of `phase`'s document as the state stands at its gate (see PhaseDocumentFacts). */
export function phaseDocumentFacts(state: PartnershipState, phase: PhaseId): PhaseDocumentFacts {
  const decision = [...state.decisions].reverse().find((d) => d.fromPhase === phase && d.outcome === 'approved');
  const L = DOCUMENT_FACT_LIMITS;
  // The core group first, so a cut never drops a champion.
  const stakeholders = bounded([...(state.stakeholders ?? [])].sort((a, b) => Number(b.coreGroup) - Number(a.coreGroup)), L.stakeholders);
  const roadmap = bounded(state.roadmap ?? [], L.roadmap);
  const funding = bounded(
    (state.funding ?? []).flatMap((f) => {
      const v = approvedChannel(f) ?? pendingChannel(f) ?? f.versions[f.versions.length - 1];
      return v ? [{ activityId: f.activityId, version: v.version, status: v.status, source: v.proposal.source, amount: v.proposal.amount, currency: v.proposal.currency, fiduciaryAgent: v.fiduciaryAgent }] : [];
    }),
    L.funding,
  );
  const reviews = bounded((state.reviews ?? []).slice(-L.reviews), L.reviews);
  const omitted = Object.fromEntries(
    Object.entries({
      stakeholders: stakeholders.omitted,
      roadmap: roadmap.omitted,
      funding: funding.omitted,
      // Reviews earlier runs left behind (see `carryOver`) are not listed either.
      reviews: (state.earlier?.reviews ?? 0) + (state.reviews ?? []).length - reviews.kept.length,
    }).filter(([, n]) => n > 0),
  );
  return {
    id: state.id,
    input: state.input,
    cycle: state.cycle,
    ...(state.reviewNotes ? { reviewNotes: state.reviewNotes } : {}),
    completions: state.completions.filter((c) => catalogueItem(c.itemId)?.phase === phase),
    decisions: decision ? [decision] : [],
    stakeholders: stakeholders.kept.map((s) => ({
      id: s.id,
      organisation: s.organisation,
      group: s.group,
      coreGroup: s.coreGroup,
      status: s.status,
      potentialRoles: s.potentialRoles.slice(0, 5).map((r) => clipText(r, 80)),
      whyEngage: clipText(s.whyEngage),
      engagementStrategy: clipText(s.engagementStrategy),
    })),
    roleHistory: (state.roleHistory ?? []).slice(-10).map((r) => ({ ...r, ...(r.reason ? { reason: clipText(r.reason) } : {}) })),
    roadmap: roadmap.kept.map((a) => ({
      ...a,
      participatingPartners: a.participatingPartners.slice(0, 20),
      targets: a.targets.slice(0, L.targetsPerActivity).map((t) => ({ ...t, indicator: clipText(t.indicator) })),
    })),
    objectives: (state.objectives ?? []).slice(0, L.roadmap).map((o) => ({ id: o.id, statement: clipText(o.statement), indicator: clipText(o.indicator), target: o.target, unit: o.unit, date: o.date })),
    resourceStrategy: {
      ...(state.resourceStrategy ?? EMPTY_STRATEGY),
      pledges: (state.resourceStrategy ?? EMPTY_STRATEGY).pledges.slice(0, L.funding).map((p) => (p.type === 'financial' ? p : { ...p, description: clipText(p.description) })),
      externalPartners: (state.resourceStrategy ?? EMPTY_STRATEGY).externalPartners.slice(0, L.funding),
    },
    fiduciaryRule: state.fiduciaryRule ?? 'lead-partner',
    funding: funding.kept,
    sections: sectionViews(state)
      .filter((v) => SECTIONS_IN_DOCUMENT[phase].includes(v.id))
      .sort((a, b) => SECTIONS_IN_DOCUMENT[phase].indexOf(a.id) - SECTIONS_IN_DOCUMENT[phase].indexOf(b.id))
      .map(({ id, text, sdgTargets, bySource, version, changes }) => ({
        id,
        text,
        version,
        ...(sdgTargets ? { sdgTargets } : {}),
        ...(bySource ? { bySource } : {}),
        ...(changes.at(-1) ? { by: changes.at(-1)!.by, at: changes.at(-1)!.at } : {}),
      })),
    reviews: reviews.kept.map((r) => ({
      number: r.number,
      cycle: r.cycle,
      status: r.status,
      startedAt: r.startedAt,
      ...(r.answered !== undefined ? { answered: r.answered } : {}),
      ...(r.asked !== undefined ? { asked: r.asked } : {}),
      ...(r.decision ? { decision: r.decision.decision } : {}),
    })),
    ...(Object.keys(omitted).length ? { omitted } : {}),
  };
}

export function addDocument(state: PartnershipState, doc: DocumentRef): void {
  if (!state.documents.some((d) => d.id === doc.id)) state.documents.push(doc);
}
