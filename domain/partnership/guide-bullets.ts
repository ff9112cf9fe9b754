import type { OrganisationGroupId } from './catalogue';
import type { DimensionId, PhaseId } from './phases';

/**
 * Every action bullet of the guide's sections II.2.A–D (ILO, "A Guide to
 * Multi-Stakeholder Partnerships"), paraphrased in our own words, with the
 * catalogue item(s) that serve it. Two passages that are not bullets but ask
 * for an action are listed too (`kind: 'passage'`), because catalogue items
 * serve them. The unit test `test/partnership/guide-coverage.unit.test.ts`
 * fails when a bullet has no item, an item serves nothing here, or an item's
 * phase, dimension or citation disagrees with the bullet's.
 *
 * How the guide's ▶ marks in II.2.A–D were counted (88 in all):
 * - 80 are action bullets, listed here;
 * - 3 are the parts of one bullet (whom to engage, why, in which role; under
 *   II.2.A "Issues, situations, challenges"), kept as `parts` of that bullet;
 * - 5 open II.2.B before its dimensions and list what adaptive planning
 *   keeps revisiting (partners and sponsors, governance, solutions,
 *   activities, evaluation): a description of the phase, not actions, listed
 *   in `NOT_ACTIONS` below.
 */
export interface GuideBullet {
  /** Ours: section letter, dimension and position under its heading. */
  id: string;
  section: 'II.2.A' | 'II.2.B' | 'II.2.C' | 'II.2.D';
  phase: PhaseId;
  dimension: DimensionId;
  /** The guide's heading for the dimension, as that section writes it. */
  heading: string;
  /** Under "ILO as a partner", the guide's sub-heading. */
  subheading?: string;
  kind: 'bullet' | 'passage';
  paraphrase: string;
  /** A bullet whose text the guide splits into sub-bullets. */
  parts?: string[];
  /** The catalogue items that serve it. */
  items: string[];
  /** Why a bullet has no item of its own, or how an item shared with others serves it. */
  note?: string;
}

export const NOT_ACTIONS = [
  { section: 'II.2.B', where: 'opening of Adaptive planning', paraphrase: 'which partners and sponsors take part' },
  { section: 'II.2.B', where: 'opening of Adaptive planning', paraphrase: 'the governance structure and processes' },
  { section: 'II.2.B', where: 'opening of Adaptive planning', paraphrase: 'the solutions put into practice' },
  { section: 'II.2.B', where: 'opening of Adaptive planning', paraphrase: 'the activities carried out' },
  { section: 'II.2.B', where: 'opening of Adaptive planning', paraphrase: 'the evaluation procedures followed' },
] as const;

type Row = Omit<GuideBullet, 'id' | 'section' | 'phase' | 'kind'> & { kind?: 'passage' };

const SECTIONS = {
  A: { section: 'II.2.A', phase: 'initiating' },
  B: { section: 'II.2.B', phase: 'adaptive-planning' },
  C: { section: 'II.2.C', phase: 'collaborative-action' },
  D: { section: 'II.2.D', phase: 'reflective-monitoring' },
} as const;

const ISSUES = 'Issues, situations, challenges';
const YOUR_PARTNERS = 'Working with your partners';
const PARTNERS = 'Working with partners';
const ORGANISATION = 'ILO as a partner';

const r = (dimension: DimensionId, heading: string, paraphrase: string, items: string[], extra: Partial<Row> = {}): Row => ({
  dimension,
  heading,
  paraphrase,
  items,
  ...extra,
});
const org = (subheading: string | undefined, paraphrase: string, items: string[], extra: Partial<Row> = {}): Row =>
  r('organisation', ORGANISATION, paraphrase, items, { ...(subheading ? { subheading } : {}), ...extra });

const ROWS: Record<keyof typeof SECTIONS, Row[]> = {
  A: [
    r('issues-context', ISSUES, 'Understand the issue and its context broadly; an MSP exists for a goal such as an SDG target', ['initiating.issues-context.context-understood']),
    r('issues-context', ISSUES, 'Collect information and opinions, talking one to one with stakeholders and colleagues; let a core group of champions form and set first priorities with it before a wider meeting', ['initiating.issues-context.information-gathered']),
    r('issues-context', ISSUES, 'Name the policy frameworks that apply (SDGs, the organisation’s policies, programme and budget)', ['initiating.issues-context.policy-framework']),
    r('issues-context', ISSUES, 'Map the stakeholders and understand them', ['initiating.issues-context.stakeholder-map'], {
      parts: ['whom to engage', 'why', 'in which possible roles'],
    }),
    r('issues-context', ISSUES, 'Define how to engage each stakeholder', ['initiating.issues-context.stakeholder-map'], {
      note: 'one item with the mapping bullet: each mapped stakeholder carries its engagement strategy',
    }),
    r('issues-context', ISSUES, 'Map solutions, initiatives, tools and good practice that already address the issue', ['initiating.issues-context.existing-solutions']),
    r('issues-context', ISSUES, 'Define the priority areas from the context, the stakeholders and past and current work', ['initiating.issues-context.priority-areas']),
    r('issues-context', ISSUES, 'Build the MSP process design: goals, partners, core group, draft governance, draft workplan with targets, indicators and milestones', ['initiating.issues-context.process-design']),
    r('partners', YOUR_PARTNERS, 'Pick the partners among the stakeholders: who is needed, who can contribute, who must not be left out', ['initiating.partners.partners-identified']),
    r('partners', YOUR_PARTNERS, 'Build a balanced core group of champions, inside the organisation and beyond, to co-create the process', ['initiating.partners.core-group']),
    r('partners', YOUR_PARTNERS, 'Build a common vision and shared objectives; a small task force can draft SMART objectives', ['initiating.partners.common-vision']),
    r('governance', 'Governance', 'Draft a basic partnership agreement: organising principles, boards or steering committees, working groups, a secretariat', ['initiating.governance.basic-agreement']),
    r('governance', 'Governance', 'Clarify how the MSP relates to each partner’s governance, the organisation’s included', ['initiating.governance.governance-relations']),
    r('governance', 'Governance', 'Set an initial workplan with task descriptions for the secretariat, working groups and similar bodies', ['initiating.governance.initial-workplan']),
    r('resources', 'Resources', 'Find partners’ resources (plans, programmes, projects) that can align with the MSP', ['initiating.resources.partner-resources']),
    r('resources', 'Resources', 'Review possible financial partners broadly, how each would engage and whether it joins formally; a small task force may shape the financial strategy', ['initiating.resources.financial-partners-review']),
    r('resources', 'Resources', 'Align a time-bound financial strategy with the MSP’s workplan', ['initiating.resources.financial-strategy-aligned']),
    r('communication', 'Communication', 'Finalise the joint communications plan and its key messages', ['initiating.communication.communications-plan']),
    r('communication', 'Communication', 'Set up a joint communication platform with focal points across partners and a team in the secretariat', ['initiating.communication.communication-platform']),
    r('communication', 'Communication', 'Plan for contingencies so that communication problems do not block other work', ['initiating.communication.communication-contingencies']),
    r('communication', 'Communication', 'A launch event is not a priority; wait until a significant group of partners is on board', ['initiating.communication.launch-timing'], {
      note: 'advice about timing; the item records the decision on when to launch',
    }),
    org(undefined, 'Define the organisation’s role in the partnership, knowing it may change over time', ['initiating.organisation.role-defined'], {
      kind: 'passage',
      note: 'the opening of the heading, not a bullet',
    }),
    org('Reporting lines and management', 'Set regular communication and reporting lines between the focal point, management and colleagues', ['initiating.organisation.reporting-lines']),
    org('Reporting lines and management', 'Check alignment with programme and budget, flagship programmes and projects; locate resources to define the organisation’s contribution', ['initiating.organisation.alignment-contribution']),
    org('ILO resources', 'Ask whether the organisation has the capacity and resources for this partnership', ['initiating.organisation.own-resources']),
    org('ILO resources', 'Ask whether it can spend the time to gather a core group and meet others, and if not who could help raise more', ['initiating.organisation.convening-capacity']),
    org('Staff and staff development', 'Identify staff, give them time for initiating the MSP, and adjust job descriptions', ['initiating.organisation.staff-allocated']),
    org('Staff and staff development', 'Develop staff skills for MSPs (mostly soft skills) and consider career incentives', ['initiating.organisation.staff-skills']),
    org('Staff and staff development', 'Grow a culture of collaboration that overcomes silos inside and outside', ['initiating.organisation.collaborative-culture']),
  ],
  B: [
    r('issues-context', ISSUES, 'Consolidate a joint theory of change partners understand, perhaps through a balanced working group', ['adaptive-planning.issues-context.theory-of-change']),
    r('issues-context', ISSUES, 'Develop SMART objectives from the vision, drafted by a small group and finalised by all', ['adaptive-planning.issues-context.smart-objectives']),
    r('issues-context', ISSUES, 'Develop a roadmap of activities with as many partners contributing as possible', ['adaptive-planning.issues-context.roadmap']),
    r('issues-context', ISSUES, 'Include pilot activities to test how partners work together', ['adaptive-planning.issues-context.pilot-activities']),
    r('partners', PARTNERS, 'Keep building relationships and trust; use dialogue methods or an external facilitator', ['adaptive-planning.partners.relationships-trust']),
    r('partners', PARTNERS, 'Help partners understand how each stakeholder works, including the organisation’s tripartite structure', ['adaptive-planning.partners.mutual-understanding']),
    r('partners', PARTNERS, 'Develop strategies and action plans in balanced working groups; identify and engage further stakeholders', ['adaptive-planning.partners.strategies-action-plans']),
    r('partners', PARTNERS, 'Assign roles and responsibilities: who does what, with whom, when, with which resources', ['adaptive-planning.partners.roles-assigned']),
    r('partners', PARTNERS, 'Celebrate the first successful steps and use them to communicate', ['adaptive-planning.partners.first-successes']),
    r('governance', 'Governance', 'Formalise step by step: a charter or declaration, letters of intent, memoranda of understanding', ['adaptive-planning.governance.formalisation']),
    r('resources', 'Resources', 'Implement the funding strategy, adapting it, so resources are allocated on time', ['adaptive-planning.resources.funding-strategy']),
    r('resources', 'Resources', 'Define the fiduciary agent for all or some activities: the lead partner, or rotating among core partners', ['adaptive-planning.resources.fiduciary-agent']),
    r('resources', 'Resources', 'Define the financial channel of each activity ahead of time', ['adaptive-planning.resources.financial-channels']),
    r('communication', 'Communication', 'Launch and communicate once enough support is secured; the launch need not precede all activities', ['adaptive-planning.communication.launch-plan']),
    r('communication', 'Communication', 'Refine the communications strategy to the activity plan; set audience priorities; attract new partners', ['adaptive-planning.communication.audiences']),
    org('Reporting, management, internal communication', 'Communicate with colleagues, management and social partners to find synergies and ensure alignment', ['adaptive-planning.organisation.internal-communication']),
    org('Reporting, management, internal communication', 'Look at ongoing activities and projects that could contribute to the MSP or be scaled up through it', ['adaptive-planning.organisation.synergies']),
    org('Reporting, management, internal communication', 'Keep developing reporting mechanisms for the partnership inside the organisation', ['adaptive-planning.organisation.internal-reporting']),
    org('Staff and staff development', 'Develop a staffing plan, inside the organisation and for the MSP as a whole', ['adaptive-planning.organisation.staffing-plan']),
    org('Staff and staff development', 'Enrich competencies through training and capacity building, alone or with partners', ['adaptive-planning.organisation.staff-training']),
  ],
  C: [
    r('issues-context', ISSUES, 'Develop joint activities collaboratively, involving those who should work together from the start', ['collaborative-action.issues-context.joint-activities']),
    r('issues-context', ISSUES, 'Stay focused on the priorities agreed in adaptive planning', ['collaborative-action.issues-context.stay-focused']),
    r('issues-context', ISSUES, 'Benefit from the diverse expertise of the partners', ['collaborative-action.issues-context.diverse-expertise']),
    r('issues-context', ISSUES, 'Maintain commitment through regular communication and recognising each successful step', ['collaborative-action.issues-context.commitment-maintained']),
    r('partners', YOUR_PARTNERS, 'Form multi-stakeholder working groups, task forces and teams rather than over-delegating to one organisation or the secretariat', ['collaborative-action.partners.working-groups']),
    r('partners', YOUR_PARTNERS, 'Include further stakeholders and possible new partners during implementation, in a suitable role', ['collaborative-action.partners.new-partners']),
    r('governance', 'Governance', 'Create suitable management structures, e.g. national or regional levels, or to include new stakeholders', ['collaborative-action.governance.management-structures']),
    r('resources', 'Resources', 'Keep financial partners informed on implementation: reports, communication, invitations', ['collaborative-action.resources.financial-partner-reporting']),
    r('resources', 'Resources', 'Explore adding partners, for instance by inviting them to meetings or activities', ['collaborative-action.resources.additional-resources']),
    r('communication', 'Communication', 'Develop communication materials with partners, focused on people and results, with the organisation’s branding', ['collaborative-action.communication.results-materials']),
    r('communication', 'Communication', 'Report beyond the stakeholders, e.g. an annual report', ['collaborative-action.communication.annual-report']),
    r('communication', 'Communication', 'Enhance communication among stakeholders: dialogue, open sharing, integrating views in joint decisions', ['collaborative-action.communication.stakeholder-dialogue']),
    r('communication', 'Communication', 'Put quality into exchanges: listen well and respect different traditions of discussion', ['collaborative-action.communication.stakeholder-dialogue'], {
      note: 'advice on how to talk rather than a step of its own; served by the dialogue item with the bullet before it',
    }),
    org('Working with constituents', 'Help constituents contribute their knowledge, capacities and expertise to the MSP’s activities', ['collaborative-action.organisation.constituents-contribute']),
    org('Working with constituents', 'Bring the organisation’s experience as an institutional MSP to help stakeholders understand and negotiate', ['collaborative-action.organisation.tripartite-expertise']),
    org('Reporting lines, management, communication', 'Make sure the right level of management takes part, which may differ for country-level activities', ['collaborative-action.organisation.management-engaged']),
    org('Reporting lines, management, communication', 'Keep assessing the benefit of the organisation’s engagement, including new opportunities', ['collaborative-action.organisation.engagement-benefit']),
    org('ILO resources', 'Provide technical and administrative support, above all when leading or hosting the secretariat', ['collaborative-action.organisation.support-provided']),
    org('ILO resources', 'Create synergies between work programmes and partnership activities through coordination across units and offices', ['collaborative-action.organisation.programme-synergies']),
    org('Staff and staff development', 'Keep staffing plans up to date and adapted to the activity plan', ['collaborative-action.organisation.staffing-updated']),
    org('Staff and staff development', 'Consider external support (facilitation, coaching) from people who know MSPs and the UN', ['collaborative-action.organisation.external-support']),
  ],
  D: [
    r('issues-context', ISSUES, 'Review the MEL procedures partners use and sponsors expect, and adapt them for the partnership', ['reflective-monitoring.issues-context.mel-procedures']),
    r('issues-context', ISSUES, 'Decide who monitors and evaluates, internally or externally, meeting partners’ expectations', ['reflective-monitoring.issues-context.who-monitors']),
    r('issues-context', ISSUES, 'Define success criteria and indicators for common targets and milestones', ['reflective-monitoring.issues-context.success-criteria']),
    r('partners', PARTNERS, 'Evaluate the strategic alignment and synergies among partners, including the secretariat’s role', ['reflective-monitoring.partners.alignment-evaluated']),
    r('partners', PARTNERS, 'Consolidate and learn from each partner organisation’s own MEL', ['reflective-monitoring.partners.partner-mel-consolidated']),
    r('partners', PARTNERS, 'Evaluate meetings: fair treatment of participants, important issues discussed', ['reflective-monitoring.partners.meetings-evaluated']),
    r('governance', 'Governance', 'Involve every level of governance in MEL; the secretariat reviews its own practice', ['reflective-monitoring.governance.governance-in-mel']),
    r('resources', 'Resources', 'Design MEL procedures for resources: how financial, technical and other contributions were made available and used', ['reflective-monitoring.resources.resource-use']),
    r('communication', 'Communication', 'Document key achievements that can become communication material', ['reflective-monitoring.communication.achievements-documented'], {
      kind: 'passage',
      note: 'the section has no bullet here; the item serves its only suggestion',
    }),
    org('Management, reporting', 'Assess the organisation’s own engagement and its effect on it, and get partners’ feedback on its performance', ['reflective-monitoring.organisation.internal-assessment']),
    org('Staff and staff development', 'Let staff review their experience of the MSP with simple knowledge-management tools', ['reflective-monitoring.organisation.staff-experience']),
    org('Staff and staff development', 'Assess staffing needs and gaps in the MSP', ['reflective-monitoring.organisation.staffing-needs']),
  ],
};

export const GUIDE_BULLETS: readonly GuideBullet[] = Object.freeze(
  (Object.keys(ROWS) as Array<keyof typeof SECTIONS>).flatMap((letter) => {
    const seen = new Map<string, number>();
    return ROWS[letter].map(({ kind, ...row }): GuideBullet => {
      const n = (seen.get(row.dimension) ?? 0) + 1;
      seen.set(row.dimension, n);
      return { id: `${letter}.${row.dimension}.${n}`, ...SECTIONS[letter], kind: kind ?? 'bullet', ...row };
    });
  }),
);

/** The guide's sub-headings under "ILO as a partner" and the group each becomes in the catalogue. */
export const SUBHEADING_GROUPS: Record<string, OrganisationGroupId> = {
  'Working with constituents': 'constituents',
  'Reporting lines and management': 'reporting-management',
  'Reporting, management, internal communication': 'reporting-management',
  'Reporting lines, management, communication': 'reporting-management',
  'Management, reporting': 'reporting-management',
  'ILO resources': 'resources',
  'Staff and staff development': 'staff',
};

/** How an item citing this bullet must write its `guideRef`. */
export function guideRefOf(bullet: Pick<GuideBullet, 'section' | 'heading' | 'subheading'>): string {
  return `${bullet.section} ${bullet.heading}${bullet.subheading ? ` › ${bullet.subheading}` : ''}`;
}

const BY_ITEM = new Map<string, GuideBullet[]>();
for (const bullet of GUIDE_BULLETS) for (const item of bullet.items) BY_ITEM.set(item, [...(BY_ITEM.get(item) ?? []), bullet]);

/** The bullets (and passages) an item serves. */
export function bulletsOf(itemId: string): GuideBullet[] {
  return BY_ITEM.get(itemId) ?? [];
}

export interface GuideCoverage {
  actionBullets: number;
  /** Action bullets with at least one catalogue item. */
  covered: number;
  /** Passages that are not bullets but have an item. */
  passages: number;
  /** ▶ marks in II.2.A–D that are not action bullets: sub-points of one, and the phase description in II.2.B. */
  notCounted: { subPoints: number; descriptive: number };
}

export function guideCoverage(): GuideCoverage {
  const bullets = GUIDE_BULLETS.filter((b) => b.kind === 'bullet');
  return {
    actionBullets: bullets.length,
    covered: bullets.filter((b) => b.items.length > 0).length,
    passages: GUIDE_BULLETS.length - bullets.length,
    notCounted: { subPoints: bullets.reduce((n, b) => n + (b.parts?.length ?? 0), 0), descriptive: NOT_ACTIONS.length },
  };
}

/** The catalogue as `GET /api/catalogue` serves it: each item with the guide bullets it serves. */
export function catalogueWithBullets<T extends { id: string }>(items: readonly T[]) {
  return items.map((item) => ({
    ...item,
    bullets: bulletsOf(item.id).map(({ id, kind, section, heading, subheading, paraphrase, parts, note }) => ({
      id,
      kind,
      section,
      heading,
      ...(subheading ? { subheading } : {}),
      paraphrase,
      ...(parts ? { parts } : {}),
      ...(note ? { note } : {}),
    })),
  }));
}
