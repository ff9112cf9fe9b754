import type { DimensionId, PhaseId } from './phases';

/**
 * The phase catalogue: what a partnership team does in each phase, per
 * dimension, in our own words. Every item cites the guide as data (`guideRef`:
 * section, heading and, under "the organisation as a partner", the guide's
 * sub-heading), and `domain/partnership/guide-bullets.ts` lists every action bullet of
 * guide II.2.A–D with the items that serve it; a unit test holds the two
 * together, so neither can drift from where the guide puts an action.
 *
 * Item ids are stable: completed items are stored by id in running workflows
 * and recorded histories. Items are only ever added; `edition` says which
 * catalogue first had them (see `FIRST_EDITION`).
 */
export interface CatalogueItem {
  id: string;
  phase: PhaseId;
  dimension: DimensionId;
  /** Under "the organisation as a partner": the guide's sub-heading, as one of our groups. */
  group?: OrganisationGroupId;
  title: string;
  /** The guide's section and heading this item comes from, e.g. `II.2.B Resources`. */
  guideRef: string;
  /** The partnership capability whose data shows what was done (the read model shows it beside the item). */
  capability?: CapabilityId;
  /** True when the item cannot be ticked while its capability is not done (checked by the Update validator only). */
  requiresCapability?: boolean;
  edition: CatalogueEdition;
}

/**
 * 1: the 49 items partnerships ran with until the whole guide was covered.
 * 2: the items added so that every action bullet of II.2.A–D has one.
 * Workflow handlers (which replay) check only first-edition items at a gate;
 * Update validators (which do not replay) check every item.
 */
export type CatalogueEdition = 1 | 2;
export const FIRST_EDITION: CatalogueEdition = 1;

export const ORGANISATION_GROUPS = [
  { id: 'constituents', label: 'Working with constituents' },
  { id: 'reporting-management', label: 'Reporting lines and management' },
  { id: 'resources', label: 'Its resources' },
  { id: 'staff', label: 'Staff and staff development' },
] as const;
export type OrganisationGroupId = (typeof ORGANISATION_GROUPS)[number]['id'];

/** Parts of a partnership's own data that show whether an item was done (see `capabilityStatus`). */
export const CAPABILITIES = [
  { id: 'stakeholder-map', label: 'Stakeholder map' },
  { id: 'roadmap', label: 'Roadmap of activities' },
  { id: 'smart-targets', label: 'SMART targets' },
  { id: 'resource-strategy', label: 'Resource strategy' },
  { id: 'fiduciary-rule', label: 'Fiduciary agent rule' },
  { id: 'funding-channels', label: 'Financial channels' },
  { id: 'mel', label: 'Monitoring, evaluation and learning' },
  { id: 'role', label: "The organisation's role" },
  // The partnership's written sections (domain/partnership/sections.ts): an item whose substance is one needs it written.
  { id: 'issue-context', label: 'The issue and its context' },
  { id: 'core-group', label: 'The core group' },
  { id: 'governance-outline', label: 'First governance outline' },
  { id: 'resource-outline', label: 'Resource strategy, first outline' },
  { id: 'communication-plan', label: 'Communication plan' },
  { id: 'reporting-lines', label: 'Reporting lines' },
  { id: 'own-resources', label: "The organisation's own resources" },
  { id: 'governance-structure', label: 'Governance structure' },
  { id: 'staffing-plan', label: 'Staffing plan' },
] as const;
export type CapabilityId = (typeof CAPABILITIES)[number]['id'];

// The guide's headings, as it writes them in each section (it names the last
// one after the organisation it was written for).
const A = {
  issues: 'II.2.A Issues, situations, challenges',
  partners: 'II.2.A Working with your partners',
  governance: 'II.2.A Governance',
  resources: 'II.2.A Resources',
  communication: 'II.2.A Communication',
  organisation: 'II.2.A ILO as a partner',
  reporting: 'II.2.A ILO as a partner › Reporting lines and management',
  ownResources: 'II.2.A ILO as a partner › ILO resources',
  staff: 'II.2.A ILO as a partner › Staff and staff development',
};
const B = {
  issues: 'II.2.B Issues, situations, challenges',
  partners: 'II.2.B Working with partners',
  governance: 'II.2.B Governance',
  resources: 'II.2.B Resources',
  communication: 'II.2.B Communication',
  reporting: 'II.2.B ILO as a partner › Reporting, management, internal communication',
  staff: 'II.2.B ILO as a partner › Staff and staff development',
};
const C = {
  issues: 'II.2.C Issues, situations, challenges',
  partners: 'II.2.C Working with your partners',
  governance: 'II.2.C Governance',
  resources: 'II.2.C Resources',
  communication: 'II.2.C Communication',
  constituents: 'II.2.C ILO as a partner › Working with constituents',
  reporting: 'II.2.C ILO as a partner › Reporting lines, management, communication',
  ownResources: 'II.2.C ILO as a partner › ILO resources',
  staff: 'II.2.C ILO as a partner › Staff and staff development',
};
const D = {
  issues: 'II.2.D Issues, situations, challenges',
  partners: 'II.2.D Working with partners',
  governance: 'II.2.D Governance',
  resources: 'II.2.D Resources',
  communication: 'II.2.D Communication',
  reporting: 'II.2.D ILO as a partner › Management, reporting',
  staff: 'II.2.D ILO as a partner › Staff and staff development',
};

interface Entry {
  dimension: DimensionId;
  group?: OrganisationGroupId;
  slug: string;
  title: string;
  guideRef: string;
  capability?: CapabilityId;
  requiresCapability?: true;
  edition: CatalogueEdition;
}

const e = (
  dimension: DimensionId,
  slug: string,
  guideRef: string,
  title: string,
  edition: CatalogueEdition,
  extra: Partial<Pick<Entry, 'group' | 'capability' | 'requiresCapability'>> = {},
): Entry => ({ dimension, slug, guideRef, title, edition, ...extra });

const ENTRIES: Record<PhaseId, Entry[]> = {
  initiating: [
    e('issues-context', 'context-understood', A.issues, 'Describe the issue, its context and the goal the MSP serves (e.g. an SDG target)', 1, { capability: 'issue-context', requiresCapability: true }),
    e('issues-context', 'information-gathered', A.issues, 'Gather facts and views on the issue in one-to-one talks with stakeholders and colleagues, and agree first priorities with the emerging core group before a wider meeting', 2),
    e('issues-context', 'policy-framework', A.issues, "List the policy frameworks that apply (SDGs, the organisation's own policies and programme and budget)", 1),
    e('issues-context', 'stakeholder-map', A.issues, 'Map stakeholders: whom to engage, why, in which possible role, and how to approach each', 1, { capability: 'stakeholder-map', requiresCapability: true }),
    e('issues-context', 'existing-solutions', A.issues, 'Survey initiatives, tools and good practice already addressing the same issue', 1),
    e('issues-context', 'priority-areas', A.issues, 'Settle the priority areas of work, drawing on the context, the stakeholder map and work already under way', 2),
    e('issues-context', 'process-design', A.issues, 'Draft the MSP process design: goals, partners, core group, first governance and workplan with targets', 1),
    e('partners', 'partners-identified', A.partners, 'Decide which stakeholders the partnership needs as partners and who must not be left out', 1, { capability: 'stakeholder-map' }),
    e('partners', 'core-group', A.partners, 'Form a balanced core group of champions across stakeholders, sectors and interests', 1, { capability: 'core-group', requiresCapability: true }),
    e('partners', 'common-vision', A.partners, 'Agree a common vision and shared objectives, with a small task force drafting SMART objectives', 1),
    e('governance', 'basic-agreement', A.governance, 'Sketch a basic partnership agreement: organising principles, steering body, working groups, secretariat', 1, { capability: 'governance-outline', requiresCapability: true }),
    e('governance', 'governance-relations', A.governance, "Clarify how the MSP relates to each partner's own governance, the organisation's included", 1),
    e('governance', 'initial-workplan', A.governance, 'Set a first workplan, with a description of the tasks of the secretariat, working groups and other agreed bodies', 2),
    e('resources', 'partner-resources', A.resources, 'Identify what partners can bring that aligns with the MSP (programmes, projects, support)', 1),
    e('resources', 'financial-partners-review', A.resources, 'Review potential financial partners and whether each joins formally or contributes from outside', 1, { capability: 'resource-outline', requiresCapability: true }),
    e('resources', 'financial-strategy-aligned', A.resources, "Tie the financial strategy to the MSP's workplan, with dates", 2, { capability: 'resource-outline', requiresCapability: true }),
    e('communication', 'communications-plan', A.communication, 'Agree the joint communications plan and its key messages', 1, { capability: 'communication-plan', requiresCapability: true }),
    e('communication', 'communication-platform', A.communication, "Set up a joint communication platform with focal points in the partners and a communications team in the secretariat", 2),
    e('communication', 'communication-contingencies', A.communication, 'Plan for communication problems so that they cannot hold up the rest of the work', 2),
    e('communication', 'launch-timing', A.communication, 'Decide when to launch: not as a priority, and not before a significant group of partners has joined', 2),
    e('organisation', 'role-defined', A.organisation, "Define the organisation's role (initiator, convener, lead, founder, co-founder, secretariat host or member)", 1, { capability: 'role' }),
    e('organisation', 'reporting-lines', A.reporting, 'Set reporting lines between the MSP focal point, management and colleagues', 1, { group: 'reporting-management', capability: 'reporting-lines', requiresCapability: true }),
    e('organisation', 'alignment-contribution', A.reporting, "Check how the MSP fits the organisation's programme and budget, flagship programmes and projects, and find the resources that decide what it can contribute", 2, { group: 'reporting-management' }),
    e('organisation', 'own-resources', A.ownResources, "Assess whether the organisation's own resources (RB, RBTC, RBSA, DC) and capacities suffice for the first activities", 1, { group: 'resources', capability: 'own-resources', requiresCapability: true }),
    e('organisation', 'convening-capacity', A.ownResources, 'Check there is time and money to gather the core group and meet other organisations, and if not, whom to ask for more', 2, { group: 'resources' }),
    e('organisation', 'staff-allocated', A.staff, 'Name the staff and the share of their time for starting the MSP, and adjust their job descriptions', 2, { group: 'staff' }),
    e('organisation', 'staff-skills', A.staff, 'Plan how staff gain the mostly soft skills MSPs need, and consider career incentives for MSP work', 2, { group: 'staff' }),
    e('organisation', 'collaborative-culture', A.staff, 'Encourage a culture of collaboration across silos, inside the organisation and with others', 2, { group: 'staff' }),
  ],
  'adaptive-planning': [
    e('issues-context', 'theory-of-change', B.issues, 'Consolidate a joint theory of change that all partners understand', 1),
    e('issues-context', 'smart-objectives', B.issues, 'Set SMART objectives, each with an indicator, a target and a date', 1, { capability: 'smart-targets', requiresCapability: true }),
    e('issues-context', 'roadmap', B.issues, 'Build a roadmap of activities with as many partners contributing as possible', 1, { capability: 'roadmap', requiresCapability: true }),
    e('issues-context', 'pilot-activities', B.issues, 'Include pilot activities that test how well partners work together', 2, { capability: 'roadmap' }),
    e('partners', 'relationships-trust', B.partners, 'Keep building relationships and trust among partners, with dialogue methods or an outside facilitator', 2),
    e('partners', 'mutual-understanding', B.partners, 'Help partners understand how each other works (systems, governance, culture)', 1),
    e('partners', 'strategies-action-plans', B.partners, 'Draft strategies and action plans in balanced working groups, and bring in further stakeholders who can add much', 2),
    e('partners', 'roles-assigned', B.partners, 'Assign roles: who does what, with whom, when and with which resources', 1, { capability: 'roadmap' }),
    e('partners', 'first-successes', B.partners, 'Mark the first successes together and use them to talk about the partnership', 2),
    e('governance', 'formalisation', B.governance, 'Formalise the partnership: charter or declaration, letters of intent, memoranda of understanding', 1, { capability: 'governance-structure', requiresCapability: true }),
    e('resources', 'funding-strategy', B.resources, 'Put the funding strategy into practice so resources arrive when activities need them', 1, { capability: 'resource-strategy' }),
    e('resources', 'fiduciary-agent', B.resources, 'Name the fiduciary agent for all or each activity (lead partner, or rotating among core partners)', 1, { capability: 'fiduciary-rule' }),
    e('resources', 'financial-channels', B.resources, 'Define the financial channel for each activity', 1, { capability: 'funding-channels' }),
    e('communication', 'launch-plan', B.communication, 'Launch once enough support is secured; the launch need not come before the activities', 1),
    e('communication', 'audiences', B.communication, 'Refine the communications strategy to the activity plan: audience priorities, and reaching possible new partners', 2),
    e('organisation', 'internal-communication', B.reporting, 'Keep colleagues, management and social partners informed, to find synergies and stay aligned', 2, { group: 'reporting-management' }),
    e('organisation', 'synergies', B.reporting, "Identify the organisation's projects that could feed into or join the partnership", 1, { group: 'reporting-management' }),
    e('organisation', 'internal-reporting', B.reporting, 'Develop how the partnership is reported on inside the organisation', 2, { group: 'reporting-management' }),
    e('organisation', 'staffing-plan', B.staff, 'Write the staffing plan for the MSP, inside the organisation and with what partners bring', 1, { group: 'staff', capability: 'staffing-plan', requiresCapability: true }),
    e('organisation', 'staff-training', B.staff, 'Plan training and capacity building for the skills the MSP needs, alone or with partners', 2, { group: 'staff' }),
  ],
  'collaborative-action': [
    e('issues-context', 'joint-activities', C.issues, 'Run activities jointly, involving those who must work together from the start', 1),
    e('issues-context', 'stay-focused', C.issues, 'Keep work on the priorities agreed during planning', 1),
    e('issues-context', 'diverse-expertise', C.issues, "Make use of the range of partners' expertise when sharing out the work", 2),
    e('issues-context', 'commitment-maintained', C.issues, 'Keep partners committed: communicate regularly and recognise each step achieved', 2),
    e('partners', 'working-groups', C.partners, 'Set up multi-stakeholder working groups and task forces rather than delegating all to one body', 1),
    e('partners', 'new-partners', C.partners, 'Bring in further stakeholders and partners during implementation, with a suitable role', 1, { capability: 'stakeholder-map' }),
    e('governance', 'management-structures', C.governance, 'Adapt management structures to implementation needs (e.g. national or regional levels)', 1),
    e('resources', 'financial-partner-reporting', C.resources, 'Keep financial partners informed of implementation: reports, meetings, invitations', 1),
    e('resources', 'additional-resources', C.resources, 'Look for additional partners and resources', 1),
    e('communication', 'results-materials', C.communication, 'Produce communication materials with partners, focused on people and results', 1),
    e('communication', 'annual-report', C.communication, 'Report beyond the partnership, for example with an annual report', 1),
    e('communication', 'stakeholder-dialogue', C.communication, 'Make room for open dialogue among stakeholders: listen well, mind cultural differences, integrate views in joint decisions', 2),
    e('organisation', 'constituents-contribute', C.constituents, "Help the organisation's constituents bring their knowledge and expertise to the MSP's activities", 2, { group: 'constituents' }),
    e('organisation', 'tripartite-expertise', C.constituents, "Offer the organisation's own experience as a standing multi-stakeholder body when stakeholders need help to understand each other or negotiate", 2, { group: 'constituents' }),
    e('organisation', 'management-engaged', C.reporting, "Make sure the right level of the organisation's management takes part in activities", 1, { group: 'reporting-management' }),
    e('organisation', 'engagement-benefit', C.reporting, "Keep assessing what the organisation gains from taking part, new opportunities included", 2, { group: 'reporting-management' }),
    e('organisation', 'support-provided', C.ownResources, "Provide the technical and administrative support the organisation's role calls for", 1, { group: 'resources', capability: 'role' }),
    e('organisation', 'programme-synergies', C.ownResources, "Link existing work programmes with partnership activities, coordinating departments, headquarters and field offices", 2, { group: 'resources' }),
    e('organisation', 'staffing-updated', C.staff, 'Keep staffing plans current with the activity plan', 2, { group: 'staff' }),
    e('organisation', 'external-support', C.staff, 'Consider outside facilitators or coaches who know MSPs and the UN system', 2, { group: 'staff' }),
  ],
  'reflective-monitoring': [
    e('issues-context', 'mel-procedures', D.issues, "Review the MEL procedures partners and donors expect and agree the partnership's own", 1),
    e('issues-context', 'who-monitors', D.issues, 'Decide who monitors and evaluates: internal or external', 1, { capability: 'mel' }),
    e('issues-context', 'success-criteria', D.issues, 'Define success criteria and indicators against common targets and milestones', 1, { capability: 'smart-targets' }),
    e('partners', 'alignment-evaluated', D.partners, "Evaluate the strategic alignment and synergies among partners, the secretariat's role included", 1),
    e('partners', 'partner-mel-consolidated', D.partners, "Bring together what each partner's own monitoring and evaluation has learned", 2, { capability: 'mel' }),
    e('partners', 'meetings-evaluated', D.partners, 'Evaluate meetings: were participants treated fairly, were the important issues discussed', 1, { capability: 'mel' }),
    e('governance', 'governance-in-mel', D.governance, 'Involve every level of governance in the MEL process and its use', 1),
    e('resources', 'resource-use', D.resources, 'Assess how financial, technical and in-kind resources were mobilised and used', 1, { capability: 'funding-channels' }),
    e('communication', 'achievements-documented', D.communication, 'Document key achievements that can be turned into communication material', 1),
    e('organisation', 'internal-assessment', D.reporting, "Assess the organisation's own engagement and ask partners for feedback on its performance", 1, { group: 'reporting-management', capability: 'mel' }),
    e('organisation', 'staff-experience', D.staff, 'Have staff review their experience of working in the MSP', 1, { group: 'staff' }),
    e('organisation', 'staffing-needs', D.staff, 'Assess staffing needs and gaps for the next cycle', 2, { group: 'staff' }),
  ],
};

export const CATALOGUE: readonly CatalogueItem[] = Object.freeze(
  (Object.keys(ENTRIES) as PhaseId[]).flatMap((phase) =>
    ENTRIES[phase].map(({ slug, ...entry }) => ({ id: `${phase}.${entry.dimension}.${slug}`, phase, ...entry })),
  ),
);

const BY_ID = new Map(CATALOGUE.map((item) => [item.id, item]));

export function catalogueItem(id: string): CatalogueItem | undefined {
  return BY_ID.get(id);
}

/** A phase's items; with `edition`, only those the catalogue already had in that edition. */
export function itemsOfPhase(phase: PhaseId, edition?: CatalogueEdition): CatalogueItem[] {
  return CATALOGUE.filter((item) => item.phase === phase && (edition === undefined || item.edition <= edition));
}
