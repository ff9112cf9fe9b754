import type { ApprovalRequest } from './approval-state';
import type { PhaseId } from './phases';
import { RuleError } from './rule-error';
import type { Stakeholder } from './stakeholders';

/**
 * Resources (guide II.2.A–D "Resources"): the roadmap's activities, the
 * resource strategy, fiduciary agents and a financial channel per activity.
 * Money is a decimal string with a currency, summed in integer minor units —
 * never a float.
 */
export const ORGANISATION_SOURCES = ['RB', 'RBTC', 'RBSA', 'DC'] as const;
export type OrganisationSource = (typeof ORGANISATION_SOURCES)[number];
export const EXTERNAL_PARTNER_TYPES = ['international-organisation', 'government', 'foundation', 'company'] as const;
export const IN_KIND_KINDS = ['technical', 'administrative', 'staff-time'] as const;
/** ISO 4217 codes we accept; amounts carry at most two decimals. */
export const CURRENCIES = ['USD', 'EUR', 'CHF', 'GBP', 'JPY', 'CAD', 'AUD', 'SEK', 'NOK', 'DKK', 'KES', 'ZAR', 'NGN', 'GHS', 'ETB', 'INR', 'BDT', 'IDR', 'PHP', 'BRL', 'MXN', 'COP', 'PEN', 'XOF', 'XAF', 'EGP', 'MAD', 'TND', 'JOD', 'LBP'] as const;
export type Currency = (typeof CURRENCIES)[number];
export const AMOUNT_PATTERN = /^(0|[1-9]\d{0,14})(\.\d{1,2})?$/;

export interface Money {
  amount: string;
  currency: Currency;
}

export function toMinor(amount: string): bigint {
  if (!AMOUNT_PATTERN.test(amount)) throw new RuleError('Invalid', `"${amount}" is not an amount like 12500 or 12500.50`);
  const [whole, fraction = ''] = amount.split('.');
  return BigInt(whole) * 100n + BigInt((fraction + '00').slice(0, 2));
}

export function fromMinor(minor: bigint): string {
  const whole = minor / 100n;
  const cents = (minor % 100n).toString().padStart(2, '0');
  return `${whole}.${cents}`;
}

/** Sums amounts per currency: { USD: "1500.00", EUR: "20.50" }. */
export function totalsByCurrency(items: Money[]): Record<string, string> {
  const sums = new Map<string, bigint>();
  for (const m of items) sums.set(m.currency, (sums.get(m.currency) ?? 0n) + toMinor(m.amount));
  return Object.fromEntries([...sums.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([c, v]) => [c, fromMinor(v)]));
}

export interface SmartTarget {
  indicator: string;
  target: string;
  unit: string;
  date: string;
}

export interface RoadmapActivity {
  id: string;
  title: string;
  leadPartner: string;
  participatingPartners: string[];
  start: string;
  end: string;
  targets: SmartTarget[];
}

export type FiduciaryRule = 'lead-partner' | 'rotating-core';

export interface ChannelProposal {
  source: { kind: 'organisation'; name: OrganisationSource } | { kind: 'partner'; partnerId: string } | { kind: 'external'; name: string };
  amount: string;
  currency: Currency;
  disbursements: Array<{ date: string; amount: string }>;
}

export type ChannelStatus = 'in-review' | 'approved' | 'rejected';

export interface ChannelVersion {
  version: number;
  channelId: string;
  proposal: ChannelProposal;
  fiduciaryAgent: string;
  status: ChannelStatus;
  proposedBy: string;
  proposedAt: string;
  decidedBy?: string;
  decidedAt?: string;
  comment?: string;
  documentId?: string;
}

export interface ActivityFunding {
  activityId: string;
  versions: ChannelVersion[];
}

/** The channel now in force: the last approved version. */
export function approvedChannel(f: ActivityFunding | undefined): ChannelVersion | undefined {
  return [...(f?.versions ?? [])].reverse().find((v) => v.status === 'approved');
}

export function pendingChannel(f: ActivityFunding | undefined): ChannelVersion | undefined {
  return f?.versions.find((v) => v.status === 'in-review');
}

/**
 * The fiduciary agent for an activity in a cycle: its lead partner, or the
 * core-group partners in turn (sorted by id, one per cycle) — the same
 * answer every time for the same partners and cycle.
 */
export function fiduciaryAgentFor(rule: FiduciaryRule, activity: RoadmapActivity, stakeholders: readonly Stakeholder[], cycle: number): string {
  if (rule === 'lead-partner') return activity.leadPartner;
  const core = stakeholders
    .filter((s) => s.status === 'active' && s.coreGroup)
    .map((s) => s.id)
    .sort();
  if (core.length === 0) throw new RuleError('Conflict', 'the rotating rule needs at least one active core-group partner');
  return core[(cycle - 1) % core.length];
}

/** Disbursements must add up to the channel amount. */
export function checkDisbursements(p: ChannelProposal): void {
  const total = p.disbursements.reduce((sum, d) => sum + toMinor(d.amount), 0n);
  if (total !== toMinor(p.amount)) {
    throw new RuleError('Invalid', `the disbursements add up to ${fromMinor(total)} ${p.currency}, not ${fromMinor(toMinor(p.amount))}`);
  }
}

/** What the partnership hands a fundingChannelWorkflow. */
export interface FundingChannelRequest {
  channelId: string;
  partnershipId: string;
  partnershipTitle: string;
  activity: RoadmapActivity;
  version: number;
  proposal: ChannelProposal;
  fiduciaryAgent: string;
  fiduciaryRule: FiduciaryRule;
  previous: { amount: string; currency: string; fiduciaryAgent: string } | null;
  proposedBy: string;
  approvers: ApprovalRequest['approvers'];
  timings: ApprovalRequest['timings'];
  cycle: number;
  phase: PhaseId;
}

export interface FundingChannelResult {
  status: 'approved' | 'rejected';
  decidedBy: string;
  at: string;
  comment?: string;
  documentId?: string;
}

