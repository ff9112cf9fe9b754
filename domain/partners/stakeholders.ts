import anyAscii from 'any-ascii';
import { RuleError } from '../rule-error';
import { said } from '../said';
import type { Person } from '../people';
import type { Text } from '../said';

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
  /** Why, as the onboarding or the manager gave it: a code, or what a person wrote (English sentences in runs from before codes). */
  reason?: Text;
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
  /** The internal approvals of its onboardings (one per invitation that reached it), oldest first; absent until the first. */
  approvals?: PartnerApproval[];
}

/**
 * An internal approval of a partner (guide II.2.A, due diligence before a
 * partner joins), as its onboarding reported it to the partnership: who
 * decided (`Name <email>`; null when the deadline decided), when, and why.
 */
export interface PartnerApproval {
  onboardingId: string;
  outcome: 'approved' | 'rejected';
  by: string | null;
  at: string;
  comment?: string;
}

export interface MultiStakeholderCheck {
  met: boolean;
  activePartners: number;
  countedGroups: StakeholderGroup[];
  missing: string[];
}

/** The longest stakeholder id we derive; it ends the onboarding workflow's id (`<msp id>.partner.<id>`). */
export const STAKEHOLDER_ID_MAX = 60;
/** `-` and eight hex digits. */
const HASH_SUFFIX_LENGTH = 9;

/**
 * Lowercase ASCII letters and digits joined by single hyphens: the shape of
 * every business id we derive from a name. Every script is transliterated
 * (any-ascii: "Министерство труда" → `ministerstvo-truda`, "劳动部" →
 * `lao-dong-bu`, "Œuvre" → `oeuvre`, "Bộ Lao động" → `bo-lao-dong`), and a slug
 * longer than `maxLength` is cut at a word boundary. Returns "" when nothing
 * letter- or digit-like is left (e.g. "¿¿"). Pure and deterministic: it runs in
 * workflow code.
 */
export function slugify(text: string, maxLength: number): string {
  return cutAtWord(asciiSlug(text), maxLength);
}

/**
 * The key two organisation names are "the same" by: NFKC, case-folded,
 * whitespace collapsed. "ＵＮＤＰ  country office" and "UNDP Country Office" are
 * one organisation; names that differ in any letter are two.
 */
export function organisationKey(name: string): string {
  // toUpperCase before toLowerCase approximates Unicode full case folding (ß → ss, ς → σ).
  return name.normalize('NFKC').toUpperCase().toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * The id a new stakeholder gets: its slug when it fits in 60 characters, else
 * {@link hashedStakeholderId}, so two long names that share their first 60
 * characters still get two ids. Throws RuleError `Invalid`
 * (`refusals:stakeholder.nameNeedsLetter`) when the name has no letter or digit in any script.
 */
export function stakeholderId(organisation: string): string {
  const slug = asciiSlug(organisation);
  if (!slug) throw new RuleError('Invalid', said('refusals:stakeholder.nameNeedsLetter'));
  return slug.length <= STAKEHOLDER_ID_MAX ? slug : hashedStakeholderId(organisation);
}

/**
 * The readable slug cut at a word boundary, then `-` and a hash of the
 * normalised name ({@link organisationKey}): what a stakeholder gets when its
 * name is too long, or when its plain slug already belongs to a different
 * organisation. Throws RuleError `Invalid` like {@link stakeholderId}.
 */
export function hashedStakeholderId(organisation: string): string {
  const slug = asciiSlug(organisation);
  if (!slug) throw new RuleError('Invalid', said('refusals:stakeholder.nameNeedsLetter'));
  return `${cutAtWord(slug, STAKEHOLDER_ID_MAX - HASH_SUFFIX_LENGTH)}-${fnv1a32(organisationKey(organisation))}`;
}

/**
 * The ids of partnerships recorded before `unicode-stakeholder-ids`: ASCII
 * only, cut at 60. Kept only so their histories replay (workflows/partnership/partnership.ts).
 */
export function legacyStakeholderId(organisation: string): string {
  const slug = organisation
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, STAKEHOLDER_ID_MAX)
    .replace(/-+$/g, '');
  if (!slug) throw new RuleError('Invalid', said('refusals:stakeholder.nameNeedsLetter'));
  return slug;
}

/**
 * FNV-1a, 32-bit, over the UTF-16 code units of `text`, as eight hex digits.
 * Not a secret or a checksum: it only keeps distinct names apart in ids, so it
 * must be tiny, pure and the same on every machine (workflow code, no crypto).
 */
export function fnv1a32(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

function asciiSlug(text: string): string {
  return (
    anyAscii(
      // Each Han character is a syllable; spaced, "劳动部" reads `lao-dong-bu` rather than `laodongbu`.
      text.normalize('NFKC').replace(/\p{Script=Han}/gu, ' $& '),
    )
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
  );
}

function cutAtWord(slug: string, maxLength: number): string {
  if (slug.length <= maxLength) return slug;
  const cut = slug.slice(0, maxLength);
  if (slug[maxLength] === '-') return cut.replace(/-+$/g, '');
  const lastBreak = cut.lastIndexOf('-');
  // A single word longer than the limit has no boundary to cut at.
  return lastBreak > 0 ? cut.slice(0, lastBreak) : cut;
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
