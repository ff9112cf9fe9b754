import { CATALOGUE, FIRST_EDITION, catalogueItem, itemsOfPhase } from '../../domain/partnership/catalogue';
import { GUIDE_BULLETS, NOT_ACTIONS, SUBHEADING_GROUPS, bulletsOf, guideRefOf } from '../../domain/partnership/guide-bullets';
import { PHASES } from '../../domain/partnership/phases';
import { PRINCIPLES } from '../../domain/partners/principles';

const actionBullets = GUIDE_BULLETS.filter((b) => b.kind === 'bullet');

test('the guide II.2.A–D: 80 action bullets, plus 3 sub-points and 5 descriptive marks, make its 88 ▶ marks', () => {
  const parts = actionBullets.reduce((n, b) => n + (b.parts?.length ?? 0), 0);
  expect([actionBullets.length, parts, NOT_ACTIONS.length]).toEqual([80, 3, 5]);
  const perSection = Object.fromEntries(['II.2.A', 'II.2.B', 'II.2.C', 'II.2.D'].map((s) => [s, actionBullets.filter((b) => b.section === s).length]));
  expect(perSection).toEqual({ 'II.2.A': 28, 'II.2.B': 20, 'II.2.C': 21, 'II.2.D': 11 });
  expect(new Set(GUIDE_BULLETS.map((b) => b.id)).size).toBe(GUIDE_BULLETS.length);
});

test('every bullet is served by a catalogue item of its own phase, dimension, group and citation', () => {
  const problems: string[] = [];
  for (const bullet of GUIDE_BULLETS) {
    if (bullet.items.length === 0) problems.push(`${bullet.id}: no item`);
    if (PHASES.find((p) => p.id === bullet.phase)!.guideRef !== bullet.section) problems.push(`${bullet.id}: section ${bullet.section} is not phase ${bullet.phase}`);
    for (const id of bullet.items) {
      const item = catalogueItem(id);
      if (!item) {
        problems.push(`${bullet.id}: unknown item ${id}`);
        continue;
      }
      if (item.phase !== bullet.phase) problems.push(`${bullet.id}: ${id} is in ${item.phase}, the bullet in ${bullet.phase}`);
      if (item.dimension !== bullet.dimension) problems.push(`${bullet.id}: ${id} is under ${item.dimension}, the bullet under ${bullet.dimension}`);
      if (item.guideRef !== guideRefOf(bullet)) problems.push(`${bullet.id}: ${id} cites "${item.guideRef}", the bullet is at "${guideRefOf(bullet)}"`);
      const group = bullet.subheading ? SUBHEADING_GROUPS[bullet.subheading] : undefined;
      if (item.group !== group) problems.push(`${bullet.id}: ${id} is in group ${item.group}, the bullet under ${bullet.subheading}`);
    }
  }
  expect(problems).toEqual([]);
});

test('every catalogue item serves at least one bullet or passage of the guide', () => {
  expect(CATALOGUE.filter((item) => bulletsOf(item.id).length === 0).map((i) => i.id)).toEqual([]);
  // Only the organisation-as-a-partner items carry a group, and the guide has a sub-heading for each.
  expect(CATALOGUE.filter((i) => (i.group !== undefined) !== (i.dimension === 'organisation' && i.id !== 'initiating.organisation.role-defined')).map((i) => i.id)).toEqual([]);
});

test('items shared by several bullets, and passages served, say so in the data', () => {
  const shared = CATALOGUE.filter((i) => bulletsOf(i.id).length > 1);
  expect(shared.map((i) => i.id)).toEqual(['initiating.issues-context.stakeholder-map', 'collaborative-action.communication.stakeholder-dialogue']);
  for (const item of shared) expect(bulletsOf(item.id).some((b) => b.note)).toBe(true);
  for (const passage of GUIDE_BULLETS.filter((b) => b.kind === 'passage')) expect(passage.note).toBeTruthy();
});

test('the first edition keeps the 49 items partnerships ran with; capability preconditions only where the data can show it', () => {
  expect(CATALOGUE.filter((i) => i.edition === FIRST_EDITION)).toHaveLength(49);
  expect(itemsOfPhase('initiating', FIRST_EDITION)).toHaveLength(16);
  for (const item of CATALOGUE.filter((i) => i.requiresCapability)) expect(item.capability).toBeDefined();
  // The written sections (domain/partnership/sections.ts) are data too: an item whose substance is one needs it written.
  expect(CATALOGUE.filter((i) => i.requiresCapability).map((i) => i.id)).toEqual([
    'initiating.issues-context.context-understood',
    'initiating.issues-context.stakeholder-map',
    'initiating.partners.core-group',
    'initiating.governance.basic-agreement',
    'initiating.resources.financial-partners-review',
    'initiating.resources.financial-strategy-aligned',
    'initiating.communication.communications-plan',
    'initiating.organisation.reporting-lines',
    'initiating.organisation.own-resources',
    'adaptive-planning.issues-context.smart-objectives',
    'adaptive-planning.issues-context.roadmap',
    'adaptive-planning.governance.formalisation',
    'adaptive-planning.organisation.staffing-plan',
  ]);
});

test('partners attest to the 14 ECOSOC principles and the 4 UNSDG principles the guide lists in Section I', () => {
  const bySource = (source: string) => PRINCIPLES.filter((p) => p.source === source).length;
  expect([bySource('ECOSOC 2003'), bySource('UNSDG')]).toEqual([14, 4]);
  expect(new Set(PRINCIPLES.map((p) => p.id)).size).toBe(18);
});
