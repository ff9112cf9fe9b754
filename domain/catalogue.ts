import type { DimensionId, PhaseId } from './phases';

/**
 * The phase catalogue: what a partnership team looks at in each phase, per
 * dimension. Wording is ours; `guideRef` points at the section of the MSP
 * guide each item comes from so coverage can be checked against it.
 * Item ids are stable: completed items are stored by id in running workflows.
 */
export interface CatalogueItem {
  id: string;
  phase: PhaseId;
  dimension: DimensionId;
  title: string;
  guideRef: string;
}

type Entry = [dimension: DimensionId, slug: string, title: string];

const GUIDE_SECTION: Record<PhaseId, string> = {
  initiating: 'II.2.A',
  'adaptive-planning': 'II.2.B',
  'collaborative-action': 'II.2.C',
  'reflective-monitoring': 'II.2.D',
};

const GUIDE_HEADING: Record<DimensionId, string> = {
  'issues-context': 'Issues, situations, challenges',
  partners: 'Working with partners',
  governance: 'Governance',
  resources: 'Resources',
  communication: 'Communication',
  // The guide names this heading after the organisation it was written for.
  organisation: 'ILO as a partner',
};

const ENTRIES: Record<PhaseId, Entry[]> = {
  initiating: [
    ['issues-context', 'context-understood', 'Describe the issue, its context and the goal the MSP serves (e.g. an SDG target)'],
    ['issues-context', 'policy-framework', 'List the policy frameworks that apply (SDGs, the organisation\'s own policies and programme and budget)'],
    ['issues-context', 'stakeholder-map', 'Map stakeholders: whom to engage, why, in which possible role, and how to approach each'],
    ['issues-context', 'existing-solutions', 'Survey initiatives, tools and good practice already addressing the same issue'],
    ['issues-context', 'process-design', 'Draft the MSP process design: goals, partners, core group, first governance and workplan with targets'],
    ['partners', 'partners-identified', 'Decide which stakeholders the partnership needs as partners and who must not be left out'],
    ['partners', 'core-group', 'Form a balanced core group of champions across stakeholders, sectors and interests'],
    ['partners', 'common-vision', 'Agree a common vision and shared objectives, with a small task force drafting SMART objectives'],
    ['governance', 'basic-agreement', 'Sketch a basic partnership agreement: organising principles, steering body, working groups, secretariat'],
    ['governance', 'governance-relations', 'Clarify how the MSP relates to each partner\'s own governance, the organisation\'s included'],
    ['resources', 'partner-resources', 'Identify what partners can bring that aligns with the MSP (programmes, projects, support)'],
    ['resources', 'financial-partners-review', 'Review potential financial partners and whether each joins formally or contributes from outside'],
    ['communication', 'communications-plan', 'Agree the joint communications plan and its key messages, with focal points across partners'],
    ['organisation', 'role-defined', 'Define the organisation\'s role (initiator, convener, lead, founder, co-founder, secretariat host or member)'],
    ['organisation', 'reporting-lines', 'Set reporting lines between the MSP focal point, management and colleagues'],
    ['organisation', 'own-resources', 'Assess the organisation\'s own resources (RB, RBTC, RBSA, DC) and staff time for the first activities'],
  ],
  'adaptive-planning': [
    ['issues-context', 'theory-of-change', 'Consolidate a joint theory of change that all partners understand'],
    ['issues-context', 'smart-objectives', 'Set SMART objectives, each with an indicator, a target and a date'],
    ['issues-context', 'roadmap', 'Build a roadmap of activities, including pilots that test how partners work together'],
    ['partners', 'roles-assigned', 'Assign roles: who does what, with whom, when and with which resources'],
    ['partners', 'mutual-understanding', 'Help partners understand how each other works (systems, governance, culture)'],
    ['governance', 'formalisation', 'Formalise the partnership: charter or declaration, letters of intent, memoranda of understanding'],
    ['resources', 'funding-strategy', 'Put the funding strategy into practice so resources arrive when activities need them'],
    ['resources', 'fiduciary-agent', 'Name the fiduciary agent for all or each activity (lead partner, or rotating among core partners)'],
    ['resources', 'financial-channels', 'Define the financial channel for each activity'],
    ['communication', 'launch-plan', 'Plan the launch once enough support is secured, and set audience priorities'],
    ['organisation', 'synergies', 'Identify the organisation\'s projects that could feed into or join the partnership'],
    ['organisation', 'staffing-plan', 'Write the staffing plan for the MSP and plan training for the skills it needs'],
  ],
  'collaborative-action': [
    ['issues-context', 'joint-activities', 'Run activities jointly, involving those who must work together from the start'],
    ['issues-context', 'stay-focused', 'Keep work on the priorities agreed during planning and recognise each step achieved'],
    ['partners', 'working-groups', 'Set up multi-stakeholder working groups and task forces rather than delegating all to one body'],
    ['partners', 'new-partners', 'Bring in further stakeholders and partners during implementation, with a suitable role'],
    ['governance', 'management-structures', 'Adapt management structures to implementation needs (e.g. national or regional levels)'],
    ['resources', 'financial-partner-reporting', 'Keep financial partners informed of implementation: reports, meetings, invitations'],
    ['resources', 'additional-resources', 'Look for additional partners and resources'],
    ['communication', 'results-materials', 'Produce communication materials with partners, focused on people and results'],
    ['communication', 'annual-report', 'Report beyond the partnership, for example with an annual report'],
    ['organisation', 'management-engaged', 'Make sure the right level of the organisation\'s management takes part in activities'],
    ['organisation', 'support-provided', 'Provide the technical and administrative support the organisation\'s role calls for'],
  ],
  'reflective-monitoring': [
    ['issues-context', 'mel-procedures', 'Review the MEL procedures partners and donors expect and agree the partnership\'s own'],
    ['issues-context', 'who-monitors', 'Decide who monitors and evaluates: internal or external'],
    ['issues-context', 'success-criteria', 'Define success criteria and indicators against common targets and milestones'],
    ['partners', 'alignment-evaluated', 'Evaluate the strategic alignment and synergies among partners, the secretariat\'s role included'],
    ['partners', 'meetings-evaluated', 'Evaluate meetings: were participants treated fairly, were the important issues discussed'],
    ['governance', 'governance-in-mel', 'Involve every level of governance in the MEL process and its use'],
    ['resources', 'resource-use', 'Assess how financial, technical and in-kind resources were mobilised and used'],
    ['communication', 'achievements-documented', 'Document key achievements that can be turned into communication material'],
    ['organisation', 'internal-assessment', 'Assess the organisation\'s own engagement and ask partners for feedback on its performance'],
    ['organisation', 'staff-experience', 'Review staff experience and staffing needs for the next cycle'],
  ],
};

export const CATALOGUE: readonly CatalogueItem[] = Object.freeze(
  (Object.keys(ENTRIES) as PhaseId[]).flatMap((phase) =>
    ENTRIES[phase].map(([dimension, slug, title]) => ({
      id: `${phase}.${dimension}.${slug}`,
      phase,
      dimension,
      title,
      guideRef: `${GUIDE_SECTION[phase]} ${GUIDE_HEADING[dimension]}`,
    })),
  ),
);

const BY_ID = new Map(CATALOGUE.map((item) => [item.id, item]));

export function catalogueItem(id: string): CatalogueItem | undefined {
  return BY_ID.get(id);
}

export function itemsOfPhase(phase: PhaseId): CatalogueItem[] {
  return CATALOGUE.filter((item) => item.phase === phase);
}
