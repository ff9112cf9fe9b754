import { RuleError } from './rule-error';
import type { Person } from './schemas';

/**
 * Stakeholders and partners (guide, Background and key terms; II.2.A–D
 * "Working with partners"). A stakeholder is mapped first; promoting it to
 * partner starts its onboarding; it counts toward the multi-stakeholder rule
 * only once active.
 */
export const STAKEHOLDER_GROUPS = [
  'government',
  'civil-society',
  'private-sector',
  'un-multilateral',
  'employers-organisation',
  'workers-organisation',
  'other',
] as const;
export type StakeholderGroup = (typeof STAKEHOLDER_GROUPS)[number];

/** The organisation's social partners do not count toward the "two groups besides them" rule. */
export const SOCIAL_PARTNER_GROUPS: readonly StakeholderGroup[] = ['employers-organisation', 'workers-organisation'];
/** The groups the guide's definition names; "other" never counts as one of them. */
export const COUNTED_GROUPS: readonly StakeholderGroup[] = ['government', 'civil-society', 'private-sector', 'un-multilateral'];

export const MIN_PARTNERS = 3;
export const MIN_COUNTED_GROUPS = 2;

export type PartnerStatus = 'mapped' | 'invited' | 'active' | 'declined' | 'rejected' | 'expired' | 'withdrawn';

export interface StakeholderEvent {
  status: PartnerStatus;
  at: string;
  reason?: string;
}

export interface Stakeholder {
  id: string;
  organisation: string;
  group: StakeholderGroup;
  whyEngage: string;
  potentialRoles: string[];
  engagementStrategy: string;
  coreGroup: boolean;
  contact?: Person;
  status: PartnerStatus;
  /** The onboarding workflow of the current (or last) invitation. */
  onboardingId?: string;
  history: StakeholderEvent[];
}

export interface MultiStakeholderCheck {
  met: boolean;
  activePartners: number;
  countedGroups: StakeholderGroup[];
  missing: string[];
}

/** Lowercase letters and digits joined by single hyphens: the shape of every business id we derive from a name. */
export function slugify(text: string, maxLength: number): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // accents dropped, not turned into hyphens: "Ministère" → "ministere"
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxLength)
    .replace(/-+$/g, '');
}

export function stakeholderId(organisation: string): string {
  const slug = slugify(organisation, 60);
  if (!slug) throw new RuleError('Invalid', 'the organisation name needs at least one letter or digit');
  return slug;
}

export function multiStakeholderCheck(stakeholders: readonly Stakeholder[]): MultiStakeholderCheck {
  const active = stakeholders.filter((s) => s.status === 'active');
  const countedGroups = COUNTED_GROUPS.filter((g) => active.some((s) => s.group === g));
  const missing: string[] = [];
  if (active.length < MIN_PARTNERS) missing.push(`${MIN_PARTNERS - active.length} more active partner(s) (3 or more are needed)`);
  if (countedGroups.length < MIN_COUNTED_GROUPS) {
    missing.push(
      `active partners from ${MIN_COUNTED_GROUPS - countedGroups.length} more group(s) among government, civil society, private sector, UN and multilateral (besides employers' and workers' organisations)`,
    );
  }
  return { met: missing.length === 0, activePartners: active.length, countedGroups, missing };
}

/** Who may be invited again: anyone not already invited or active. */
export function canInvite(s: Stakeholder): boolean {
  return s.status !== 'invited' && s.status !== 'active';
}
