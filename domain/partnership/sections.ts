import type { DimensionId, PhaseId } from './phases';
import type { OrganisationSource } from '../resources/funding';
import { actorDisplay } from '../actor';
import { RuleError } from '../rule-error';
import { item, nested, said } from '../said';
import { bumpVersion, checkVersion, requireVersion, versionOf, type ExpectedVersion, type Versioned } from '../versions';

/**
 * The partnership's substance, written as sections: what its people agreed and
 * would circulate (the issue and its context, the core group, the governance
 * outline and later its structure, the communication plan, reporting lines,
 * the organisation's own resources and staffing plan), as opposed to the
 * checklist's ticks. Each section is one replace-style record
 * (`section:<id>`, see ../versions.ts): written whole from the version its
 * writer read, so two managers never silently undo each other.
 *
 * History: each section keeps who changed it and when for its last
 * `SECTION_CHANGES_KEPT` writes, and counts the ones before. The count is
 * bounded per section whatever a decade of editing adds, so the state the
 * partnership carries across continue-as-new stays the same size; the texts
 * of earlier versions are not kept here but in the phase documents, which
 * print every section as it stood at each gate and live in the registry.
 */

/** Guide II.2.A–B: where each section's substance is asked for, and which checklist items it is the substance of. */
export const SECTIONS = [
  { id: 'issue-context', phase: 'initiating', dimension: 'issues-context', guideRef: 'II.2.A Issues, situations, challenges', label: 'The issue and its context', items: ['initiating.issues-context.context-understood'] },
  { id: 'core-group', phase: 'initiating', dimension: 'partners', guideRef: 'II.2.A Working with your partners', label: 'The core group', items: ['initiating.partners.core-group'] },
  { id: 'governance-outline', phase: 'initiating', dimension: 'governance', guideRef: 'II.2.A Governance', label: 'First governance outline', items: ['initiating.governance.basic-agreement'] },
  { id: 'resource-outline', phase: 'initiating', dimension: 'resources', guideRef: 'II.2.A Resources', label: 'Resource strategy, first outline', items: ['initiating.resources.financial-partners-review', 'initiating.resources.financial-strategy-aligned'] },
  { id: 'communication-plan', phase: 'initiating', dimension: 'communication', guideRef: 'II.2.A Communication', label: 'Communication plan', items: ['initiating.communication.communications-plan'] },
  { id: 'reporting-lines', phase: 'initiating', dimension: 'organisation', guideRef: 'II.2.A ILO as a partner › Reporting lines and management', label: 'Reporting lines', items: ['initiating.organisation.reporting-lines'] },
  { id: 'own-resources', phase: 'initiating', dimension: 'organisation', guideRef: 'II.2.A ILO as a partner › ILO resources', label: "The organisation's own resources", items: ['initiating.organisation.own-resources'] },
  { id: 'governance-structure', phase: 'adaptive-planning', dimension: 'governance', guideRef: 'II.2.B Governance', label: 'Governance structure', items: ['adaptive-planning.governance.formalisation'] },
  { id: 'staffing-plan', phase: 'adaptive-planning', dimension: 'organisation', guideRef: 'II.2.B ILO as a partner › Staff and staff development', label: 'Staffing plan', items: ['adaptive-planning.organisation.staffing-plan'] },
] as const satisfies ReadonlyArray<{ id: string; phase: PhaseId; dimension: DimensionId; guideRef: string; label: string; items: readonly string[] }>;

export type SectionId = (typeof SECTIONS)[number]['id'];
export const SECTION_IDS = SECTIONS.map((s) => s.id) as [SectionId, ...SectionId[]];
export type SectionDefinition = (typeof SECTIONS)[number];

/** Which sections each phase's document prints, in the guide's order of dimensions (a section is restated where the guide asks for it again). */
export const SECTIONS_IN_DOCUMENT: Record<PhaseId, readonly SectionId[]> = {
  initiating: ['issue-context', 'core-group', 'governance-outline', 'resource-outline', 'communication-plan', 'reporting-lines', 'own-resources'],
  'adaptive-planning': ['issue-context', 'governance-structure', 'communication-plan', 'reporting-lines', 'staffing-plan'],
  'collaborative-action': ['governance-structure', 'communication-plan', 'staffing-plan'],
  'reflective-monitoring': ['governance-structure', 'staffing-plan'],
};

/** Limits of what a section holds (the same in the API's schema and in the documents). */
export const SECTION_LIMITS = { text: 8000, sdgTargets: 20, sourceNote: 1000 } as const;
/** Who changed a section and when: the last writes kept per section (the earlier ones are counted). */
export const SECTION_CHANGES_KEPT = 10;

/** An SDG target as the UN numbers them: goal 1–17, then a number or a letter ("8.6", "8.b", "17.19"). */
export const SDG_TARGET_PATTERN = /^(?:[1-9]|1[0-7])\.(?:[1-9][0-9]?|[a-z])$/;

/** What a writer sends: the text, and the structured fields the section has. */
export interface SectionWrite {
  text: string;
  /** `issue-context` only: the SDG targets the partnership serves. */
  sdgTargets?: string[];
  /** `own-resources` only: what each of the organisation's sources can bring. */
  bySource?: Partial<Record<OrganisationSource, string>>;
  by: string;
}

export interface SectionChange {
  version: number;
  by: string;
  at: string;
  phase: PhaseId;
  cycle: number;
}

export interface SectionRecord {
  text: string;
  sdgTargets?: string[];
  bySource?: Partial<Record<OrganisationSource, string>>;
  /** The last writes, oldest first (at most SECTION_CHANGES_KEPT). */
  changes: SectionChange[];
  /** Writes before the first one kept in `changes`. */
  earlierChanges?: number;
}

/** A section as read: its record (empty text when never written) and its version. */
export interface SectionView extends SectionRecord {
  id: SectionId;
  version: number;
}

/** The part of the partnership's state sections live in (absent on runs from before sections). */
export interface Sectioned extends Versioned {
  status: string;
  phase: PhaseId;
  cycle: number;
  sections?: Partial<Record<SectionId, SectionRecord>>;
}

export const sectionRecord = (id: SectionId) => `section:${id}` as const;

export function sectionDefinition(id: string): SectionDefinition | undefined {
  return SECTIONS.find((s) => s.id === id);
}

/** The section whose substance a checklist item is, if any. */
export function sectionOfItem(itemId: string): SectionDefinition | undefined {
  return SECTIONS.find((s) => (s.items as readonly string[]).includes(itemId));
}

/** Whether a section holds text (what ticking its items needs). */
export function isWritten(state: Sectioned, id: SectionId): boolean {
  return (state.sections?.[id]?.text ?? '').trim().length > 0;
}

export function sectionView(state: Sectioned, id: SectionId): SectionView {
  const record = state.sections?.[id] ?? { text: '', changes: [] };
  return { id, ...record, version: versionOf(state, sectionRecord(id)) };
}

export function sectionViews(state: Sectioned): SectionView[] {
  return SECTIONS.map((s) => sectionView(state, s.id));
}

/**
 * What the validator checks: the partnership is open, the write names the
 * version it was made from (428 without) and nobody has written since (409).
 * Fields a section does not have are refused rather than dropped.
 */
export function validateWriteSection(state: Sectioned, id: SectionId, input: SectionWrite & ExpectedVersion): void {
  requireVersion(sectionRecord(id), input.expectedVersion);
  checkWriteSection(state, id, input);
}

/**
 * @throws RuleError Conflict `refusals:partnership.closed` | NotFound `refusals:notFound.section` {id}
 * @throws RuleError Invalid `refusals:section.sdgTargetsOnlyIssueContext` | `refusals:section.bySourceOnlyOwnResources` {id}, and what `checkVersion` refuses
 */
export function checkWriteSection(state: Sectioned, id: SectionId, input: SectionWrite & ExpectedVersion): void {
  if (state.status === 'closed') throw new RuleError('Conflict', said('refusals:partnership.closed'));
  if (!sectionDefinition(id)) throw new RuleError('NotFound', said('refusals:notFound.section', { id }));
  if (input.sdgTargets?.length && id !== 'issue-context') throw new RuleError('Invalid', said('refusals:section.sdgTargetsOnlyIssueContext', { id }));
  if (input.bySource && Object.keys(input.bySource).length && id !== 'own-resources') throw new RuleError('Invalid', said('refusals:section.bySourceOnlyOwnResources', { id }));
  checkVersion(state, sectionRecord(id), input.expectedVersion);
}

/** Writes a section whole and records who changed it; answers the section with its new version. */
export function writeSection(state: Sectioned, id: SectionId, input: SectionWrite & ExpectedVersion, now: string): SectionView {
  checkWriteSection(state, id, input);
  const before = state.sections?.[id];
  const version = bumpVersion(state, sectionRecord(id));
  const changes = [...(before?.changes ?? []), { version, by: input.by, at: now, phase: state.phase, cycle: state.cycle }];
  const dropped = Math.max(0, changes.length - SECTION_CHANGES_KEPT);
  const earlierChanges = (before?.earlierChanges ?? 0) + dropped;
  const sdgTargets = id === 'issue-context' ? [...new Set(input.sdgTargets ?? [])] : [];
  const bySource = id === 'own-resources' ? Object.fromEntries(Object.entries(input.bySource ?? {}).filter(([, v]) => v && v.trim())) : {};
  const record: SectionRecord = {
    text: input.text,
    ...(sdgTargets.length ? { sdgTargets } : {}),
    ...(Object.keys(bySource).length ? { bySource } : {}),
    changes: changes.slice(dropped),
    ...(earlierChanges ? { earlierChanges } : {}),
  };
  state.sections = { ...(state.sections ?? {}), [id]: record };
  return { id, ...record, version };
}

/**
 * Refuses ticking an item whose substance is a section while that section is
 * empty: the phase document would otherwise say "not recorded yet" under an
 * item marked done. The refusal carries the section, so a page can link to it.
 * @throws RuleError Conflict `refusals:checklist.notYet` {item, needed}
 */
export function checkItemSection(state: Sectioned, itemId: string): void {
  const section = sectionOfItem(itemId);
  if (!section || isWritten(state, section.id)) return;
  throw new RuleError('Conflict', said('refusals:checklist.notYet', { item: item(itemId), needed: nested(said(`console:checklist.needs.${section.id}`)) }), {
    section: { id: section.id, label: section.label },
    capability: { id: section.id, label: section.label, done: false, summary: 'not written yet', needed: `write the section "${section.label}" first (PUT …/sections/${section.id})` },
  });
}

/** A section's state as a checklist item shows it beside the item (English data, like every capability's summary). */
export function sectionSummary(state: Sectioned, id: SectionId): { done: boolean; summary: string; needed?: string } {
  const s = sectionView(state, id);
  const last = s.changes.at(-1);
  const label = sectionDefinition(id)!.label;
  if (!isWritten(state, id)) return { done: false, summary: 'not written yet', needed: `write the section "${label}" first (PUT …/sections/${id})` };
  return { done: true, summary: `written, version ${s.version}${last ? `, last changed by ${actorDisplay(last.by)}` : ''}` };
}
