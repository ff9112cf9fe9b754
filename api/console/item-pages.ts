import type { CapabilityId, CatalogueItem } from '../../domain/partnership/catalogue';

/**
 * Where, in the console, a manager enters the data a checklist item depends
 * on: the partnership page links each such item to its page, and a refused
 * tick names the page ("Add at least one activity to the roadmap first — Add
 * an activity"). Every capability registers its pages here, one line each:
 * by the item's capability (`domain/partnership/catalogue.ts`), or by item id
 * for an item that has no capability or needs a page of its own (an item id
 * wins over its capability).
 */
export interface ItemPage {
  /** The page's path under `/console/partnerships/<id>/`, e.g. `roadmap`, or a part of the partnership page, e.g. `#stakeholders`. */
  path: string;
  /** The link's words: a key of the console catalogue, e.g. `itemPages.roadmap`. */
  link: string;
  /** Where the first one is added, for a refusal that says nothing is there yet (e.g. `roadmap/new`, "Add an activity"); else `path`. */
  first?: { path: string; link: string };
}

export const CAPABILITY_PAGES: Partial<Record<CapabilityId, ItemPage>> = {
  'stakeholder-map': { path: '#stakeholders', link: 'itemPages.stakeholderMap', first: { path: 'stakeholders/new', link: 'itemPages.mapStakeholder' } },
  role: { path: 'role', link: 'itemPages.role' },
  // Adaptive planning (api/resources/console.ts), in the order a manager meets it (guide II.2.B).
  'smart-targets': { path: 'objectives', link: 'itemPages.objectives', first: { path: 'objectives/new', link: 'itemPages.addObjective' } },
  roadmap: { path: 'roadmap', link: 'itemPages.roadmap', first: { path: 'roadmap/new', link: 'itemPages.addActivity' } },
  'resource-strategy': { path: 'resource-strategy', link: 'itemPages.resourceStrategy' },
  'fiduciary-rule': { path: 'fiduciary-rule', link: 'itemPages.fiduciaryRule' },
  'funding-channels': { path: 'channels', link: 'itemPages.channels' },
  // The partnership's written sections (api/partnership/sections-console.ts): an item whose substance is one links to it.
  'issue-context': { path: 'sections/issue-context', link: 'sections.link.issue-context' },
  'core-group': { path: 'sections/core-group', link: 'sections.link.core-group' },
  'governance-outline': { path: 'sections/governance-outline', link: 'sections.link.governance-outline' },
  'communication-plan': { path: 'sections/communication-plan', link: 'sections.link.communication-plan' },
  'reporting-lines': { path: 'sections/reporting-lines', link: 'sections.link.reporting-lines' },
  'own-resources': { path: 'sections/own-resources', link: 'sections.link.own-resources' },
  'resource-outline': { path: 'sections/resource-outline', link: 'sections.link.resource-outline' },
  'governance-structure': { path: 'sections/governance-structure', link: 'sections.link.governance-structure' },
  'staffing-plan': { path: 'sections/staffing-plan', link: 'sections.link.staffing-plan' },
  // Reflective monitoring (api/reviews/console.ts): the reviews, their answers and reports (guide II.2.D).
  mel: { path: 'reviews', link: 'reviewPages.itemLink' },
};

export const ITEM_PAGES: Readonly<Record<string, ItemPage>> = {
  // Collaborative action (api/resources/progress-console.ts): the joint activities' progress (guide II.2.C).
  'collaborative-action.issues-context.joint-activities': { path: 'progress', link: 'itemPages.progress' },
  'collaborative-action.issues-context.stay-focused': { path: 'progress', link: 'itemPages.progress' },
  // Partners joining during implementation are mapped, then invited, from the stakeholder map (api/partners/console.ts).
  'collaborative-action.partners.new-partners': { path: 'progress#joining', link: 'itemPages.newPartners', first: { path: 'stakeholders/new', link: 'itemPages.mapStakeholder' } },
};

/**
 * The page of a checklist item of partnership `partnershipId`, as a link in
 * the reader's words (`t`: the console catalogue), or undefined. `refused`:
 * for the refusal of a tick whose data is missing (the page that adds the
 * first one).
 */
export function itemPage(
  t: (key: string) => string,
  partnershipId: string,
  item: Pick<CatalogueItem, 'id' | 'capability'>,
  refused = false,
): { href: string; text: string } | undefined {
  const page = ITEM_PAGES[item.id] ?? (item.capability ? CAPABILITY_PAGES[item.capability] : undefined);
  if (!page) return undefined;
  const { path, link } = refused && page.first ? page.first : page;
  return { href: `/console/partnerships/${encodeURIComponent(partnershipId)}${path.startsWith('#') ? '' : '/'}${path}`, text: t(link) };
}
