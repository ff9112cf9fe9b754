import { catalogueItem, CATALOGUE } from '../../domain/partnership/catalogue';
import { checkCompleteItem, checklistView, completeItem } from '../../domain/partnership/checklist';
import { carryOver } from '../../domain/partnership/carry-over';
import { initialState, type PartnershipState } from '../../domain/partnership/state';
import { phaseDocumentFacts } from '../../domain/partnership/document-facts';
import { toView } from '../../domain/partnership/read-model';
import {
  checkItemSection,
  SECTION_CHANGES_KEPT,
  SECTIONS,
  SECTIONS_IN_DOCUMENT,
  sectionOfItem,
  validateWriteSection,
  writeSection,
} from '../../domain/partnership/sections';
import { SectionWriteSchema } from '../../domain/partnership/schemas';
import { RuleError } from '../../domain/rule-error';
import { buildDocumentModel } from '../../activities/documents/phase-document';
import { partnershipInput } from '../support/fixtures';

const T0 = '2026-01-01T00:00:00.000Z';
const fresh = (): PartnershipState => initialState('msp-sections', partnershipInput(), T0);
const MONA = 'Mona Lind <mona@example.org> [signed in, sub 42]';

describe('written sections', () => {
  test('each section backs items of the catalogue, which need it written (guide II.2.A–B)', () => {
    for (const s of SECTIONS) {
      for (const id of s.items) {
        const item = catalogueItem(id)!;
        expect(item).toMatchObject({ phase: s.phase, dimension: s.dimension, capability: s.id, requiresCapability: true });
        expect(item.guideRef).toBe(s.guideRef);
      }
    }
    expect(sectionOfItem('initiating.governance.basic-agreement')?.id).toBe('governance-outline');
    expect(sectionOfItem('initiating.issues-context.stakeholder-map')).toBeUndefined();
    // Every item that names a section as its capability is listed by that section.
    expect(CATALOGUE.filter((i) => SECTIONS.some((s) => s.id === i.capability)).map((i) => sectionOfItem(i.id)?.id)).toEqual(
      CATALOGUE.filter((i) => SECTIONS.some((s) => s.id === i.capability)).map((i) => i.capability),
    );
  });

  test('ticking an item whose substance is a section is refused until it is written, naming the section', () => {
    const s = fresh();
    const item = 'initiating.communication.communications-plan';
    expect(() => checkCompleteItem(s, item)).toThrow(expect.objectContaining({ said: expect.objectContaining({ params: expect.objectContaining({ needed: { said: { code: 'console:checklist.needs.communication-plan' } } }) }) }));
    try {
      checkCompleteItem(s, item);
    } catch (err) {
      expect((err as RuleError).details?.capability).toMatchObject({ id: 'communication-plan', done: false });
    }
    expect(() => checkItemSection(s, item)).toThrow(RuleError);
    writeSection(s, 'communication-plan', { text: 'Key messages: decent work for young people.', by: MONA, expectedVersion: 0 }, T0);
    expect(() => checkCompleteItem(s, item)).not.toThrow();
    expect(() => checkItemSection(s, item)).not.toThrow();
    expect(checklistView(s).find((c) => c.id === item)?.shows).toMatchObject({ done: true, summary: 'written, version 1, last changed by Mona Lind (mona@example.org)' });
    // The handler alone does not hold the rule: histories from before sections replay.
    expect(() => completeItem(fresh(), item, { by: 'replayed' }, T0)).not.toThrow();
  });

  test('a write names the version it was made from: none is 428, a stale one 409 with the current version', () => {
    const s = fresh();
    const write = { text: 'Steering committee of five, meeting quarterly.', by: MONA };
    expect(() => validateWriteSection(s, 'governance-outline', write)).toThrow(expect.objectContaining({ kind: 'PreconditionRequired' }));
    const first = writeSection(s, 'governance-outline', { ...write, expectedVersion: 0 }, T0);
    expect(first.version).toBe(1);
    expect(() => validateWriteSection(s, 'governance-outline', { ...write, expectedVersion: 0 })).toThrow(
      expect.objectContaining({ kind: 'Conflict', details: { record: 'section:governance-outline', currentVersion: 1 } }),
    );
    expect(() => validateWriteSection(s, 'governance-outline', { ...write, expectedVersion: 1 })).not.toThrow();
    expect(toView(s).versions['section:governance-outline']).toBe(1);
    s.status = 'closed';
    expect(() => validateWriteSection(s, 'governance-outline', { ...write, expectedVersion: 1 })).toThrow(/refusals:partnership.closed/);
  });

  test('structured fields belong to their section; SDG targets are numbered as the UN numbers them', () => {
    const s = fresh();
    expect(() => validateWriteSection(s, 'core-group', { text: 'x', sdgTargets: ['8.6'], by: MONA, expectedVersion: 0 })).toThrow(/refusals:section.sdgTargetsOnlyIssueContext/);
    expect(() => validateWriteSection(s, 'core-group', { text: 'x', bySource: { RB: 'y' }, by: MONA, expectedVersion: 0 })).toThrow(/refusals:section.bySourceOnlyOwnResources/);
    expect(SectionWriteSchema.safeParse({ text: 'x', sdgTargets: ['8.6', '8.b', '17.19'], by: 'M' }).success).toBe(true);
    for (const bad of ['18.1', '8', '8.', 'SDG 8.6', '0.1']) expect(SectionWriteSchema.safeParse({ text: 'x', sdgTargets: [bad], by: 'M' }).success).toBe(false);
    expect(SectionWriteSchema.safeParse({ text: '   ', by: 'M' }).success).toBe(false);
    const v = writeSection(s, 'issue-context', { text: 'Youth unemployment', sdgTargets: ['8.6', '8.6', '8.b'], by: MONA, expectedVersion: 0 }, T0);
    expect(v.sdgTargets).toEqual(['8.6', '8.b']);
    const own = writeSection(s, 'own-resources', { text: 'Enough for the first workshop', bySource: { RB: 'Staff time', DC: '' }, by: MONA, expectedVersion: 0 }, T0);
    expect(own.bySource).toEqual({ RB: 'Staff time' });
  });

  test('the history keeps who and when for the last writes and counts the others, so a decade of edits stays bounded', () => {
    const s = fresh();
    for (let i = 0; i < 250; i++) writeSection(s, 'staffing-plan', { text: `plan ${i}`, by: `editor ${i}`, expectedVersion: i }, `2026-01-01T00:${String(i % 60).padStart(2, '0')}:00.000Z`);
    const view = toView(s).sections.find((x) => x.id === 'staffing-plan')!;
    expect(view).toMatchObject({ text: 'plan 249', version: 250, earlierChanges: 250 - SECTION_CHANGES_KEPT });
    expect(view.changes).toHaveLength(SECTION_CHANGES_KEPT);
    expect(view.changes.at(-1)).toMatchObject({ version: 250, by: 'editor 249', phase: 'initiating', cycle: 1 });
    // Carried across continue-as-new as it is: the record is already bounded.
    expect(carryOver(s, 8).sections).toEqual(s.sections);
    expect(Buffer.byteLength(JSON.stringify(s.sections))).toBeLessThan(5_000);
  });

  test("a phase document prints the sections of its phase in the guide's order, with their text, and the checklist as an annex", () => {
    const s = fresh();
    writeSection(s, 'issue-context', { text: 'Young people leave school without work.\n\nThe partnership connects schools and employers.', sdgTargets: ['8.6'], by: MONA, expectedVersion: 0 }, T0);
    writeSection(s, 'governance-outline', { text: 'A steering committee of five meets every quarter.', by: MONA, expectedVersion: 0 }, T0);
    completeItem(s, 'initiating.governance.basic-agreement', { by: MONA, note: 'agreed at kick-off' }, T0);
    const facts = phaseDocumentFacts(s, 'initiating');
    expect(facts.sections?.map((x) => x.id)).toEqual(SECTIONS_IN_DOCUMENT.initiating);
    const model = buildDocumentModel(facts, 'initiating', 'en');
    const headings = model.sections.map((x) => x.heading);
    expect(headings.indexOf('Issue and context')).toBeLessThan(headings.indexOf('First governance outline'));
    expect(headings.indexOf('First governance outline')).toBeLessThan(headings.indexOf('Communication plan'));
    expect(headings.at(-1)).toBe('Annex: record of the checklist');
    const issue = model.sections.find((x) => x.heading === 'Issue and context')!;
    expect(issue.paragraphs).toEqual(['Young people leave school without work.', 'The partnership connects schools and employers.', 'SDG targets served: 8.6']);
    expect(issue.byline).toBe('Version 1, last changed by Mona Lind (mona@example.org) on January 1, 2026.');
    // Written sections are never "not recorded"; unwritten ones still say so.
    expect(model.sections.find((x) => x.heading === 'First governance outline')!.paragraphs).toEqual(['A steering committee of five meets every quarter.']);
    expect(model.sections.find((x) => x.heading === 'Communication plan')!.paragraphs).toEqual(['Not recorded yet']);
    const annex = model.sections.at(-1)!.subsections!.find((x) => x.heading === 'Governance')!;
    expect(annex.items![0]).toEqual({ title: expect.stringContaining('Sketch a basic partnership agreement'), detail: 'Done by Mona Lind (mona@example.org) on January 1, 2026', note: 'agreed at kick-off' });
    expect(annex.items![1]!.detail).toBe('Not done yet');
  });

  test('a document stored before sections existed still prints the notes ticked on the checklist', () => {
    const s = fresh();
    completeItem(s, 'initiating.governance.basic-agreement', { by: 'Mona', note: 'Steering committee agreed' }, T0);
    const { sections: _none, ...old } = phaseDocumentFacts(s, 'initiating');
    const governance = buildDocumentModel(old, 'initiating', 'en').sections.find((x) => x.heading === 'First governance outline')!;
    expect(governance.items?.[0]?.note).toBe('Steering committee agreed');
  });
});
