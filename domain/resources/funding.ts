import { data as iso4217, publishDate as iso4217PublishDate } from 'currency-codes';
import type { ApprovalRequest } from '../human-tasks/approval-state';
import type { PhaseId } from '../partnership/phases';
import { RuleError } from '../rule-error';
import { money, said, type Said } from '../said';
import type { Stakeholder } from '../partners/stakeholders';

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
/**
 * ISO 4217 codes that are not money a partner pays in: funds codes (ISO's
 * "IsFund" entries), index units and units of account, precious metals, the
 * bond-market units, the test code and "no currency". ISO rarely adds such
 * codes; a unit test notices a new X-code in the package that is neither here
 * nor a known regional currency.
 */
export const NOT_CURRENCIES: ReadonlySet<string> = new Set([
  'BOV', 'CHE', 'CHW', 'CLF', 'COU', 'MXV', 'USN', 'UYI', 'UYW',
  'XDR', 'XSU', 'XUA',
  'XAG', 'XAU', 'XPD', 'XPT',
  'XBA', 'XBB', 'XBC', 'XBD',
  'XTS', 'XXX',
]);

/**
 * Every active currency of ISO 4217 (list one, from the `currency-codes`
 * package) with its minor unit: the number of decimals an amount may carry
 * (JPY 0, USD 2, TND 3).
 */
const MINOR_UNITS: ReadonlyMap<string, number> = new Map(iso4217.filter((c) => !NOT_CURRENCIES.has(c.code)).map((c) => [c.code, c.digits]));

/** The accepted currency codes, sorted. */
export const CURRENCIES: readonly string[] = [...MINOR_UNITS.keys()].sort();
/** Publication date of the ISO 4217 list the package carries. */
export const CURRENCY_LIST_PUBLISHED: string = iso4217PublishDate;

/** An ISO 4217 code from `CURRENCIES`; zod (`domain/resources/schemas.ts`) checks it at the edge. */
export type Currency = string;

/**
 * The shape of an amount: a non-negative decimal string without sign,
 * exponent, leading zeros or thousands separators. How many decimals it may
 * have depends on its currency (`amountProblem`).
 */
export const AMOUNT_PATTERN = /^(0|[1-9]\d{0,14})(\.\d{1,15})?$/;

export interface Money {
  amount: string;
  currency: Currency;
}

/** Why `code` is not a currency we accept, in words a person can act on, or undefined if it is one. */
export function currencyProblem(code: string): string | undefined {
  if (MINOR_UNITS.has(code)) return undefined;
  if (NOT_CURRENCIES.has(code)) {
    return `${code} is an ISO 4217 code for a fund, unit of account, precious metal or test, not a currency money is paid in; give the currency of the payment, e.g. USD`;
  }
  return /^[A-Z]{3}$/.test(code)
    ? `${code} is not an active ISO 4217 currency code; give one such as USD, EUR, NPR or XOF`
    : 'must be a three-letter ISO 4217 currency code in capitals, e.g. USD, EUR, NPR or XOF';
}

/**
 * `currencyProblem` as a refusal's code (`refusals:funding.currency.<case>` {currency}).
 * TODO(#23): the schemas' messages still use the English `currencyProblem`; once forms render codes, it goes.
 */
export function currencyRefusal(code: string): Said | undefined {
  if (MINOR_UNITS.has(code)) return undefined;
  if (NOT_CURRENCIES.has(code)) return said('refusals:funding.currency.notMoney', { currency: code });
  return said(/^[A-Z]{3}$/.test(code) ? 'refusals:funding.currency.notActive' : 'refusals:funding.currency.shape', { currency: code });
}

/** `amountProblem` as a refusal's code (`refusals:funding.amount.<case>` {amount, currency, digits, example}). */
export function amountRefusal(amount: string, currency: Currency): Said | undefined {
  const digits = minorUnit(currency);
  const example = exampleAmount(digits);
  if (!AMOUNT_PATTERN.test(amount)) return said('refusals:funding.amount.shape', { amount, example });
  const decimals = amount.split('.')[1]?.length ?? 0;
  if (decimals <= digits) return undefined;
  return digits === 0 ? said('refusals:funding.amount.noDecimals', { currency, example }) : said('refusals:funding.amount.tooManyDecimals', { currency, count: digits, example });
}

/**
 * The minor unit of an accepted currency: how many decimals its amounts may
 * carry (JPY 0, USD 2, TND 3).
 * @throws RuleError Invalid `refusals:funding.currency.<case>` for any other code
 */
export function minorUnit(currency: Currency): number {
  const digits = MINOR_UNITS.get(currency);
  if (digits === undefined) throw new RuleError('Invalid', currencyRefusal(currency) ?? said('refusals:funding.currency.shape', { currency }));
  return digits;
}

/** An amount with exactly `digits` decimals, for messages: 1000, 12.50, 1.125. */
function exampleAmount(digits: number): string {
  if (digits === 0) return '1000';
  return digits === 2 ? '12.50' : `1.${'125'.padEnd(digits, '0').slice(0, digits)}`;
}

/**
 * Why `amount` is not an amount in `currency` (wrong shape, or more decimals
 * than the currency's minor unit, e.g. "TND takes at most 3 decimals, e.g.
 * 1.125"), or undefined if it is one. The currency must be accepted.
 */
export function amountProblem(amount: string, currency: Currency): string | undefined {
  const digits = minorUnit(currency);
  if (!AMOUNT_PATTERN.test(amount)) return `"${amount}" is not an amount like ${exampleAmount(digits)}`;
  const decimals = amount.split('.')[1]?.length ?? 0;
  if (decimals <= digits) return undefined;
  return digits === 0
    ? `${currency} takes no decimals, e.g. ${exampleAmount(0)}`
    : `${currency} takes at most ${digits} decimal${digits === 1 ? '' : 's'}, e.g. ${exampleAmount(digits)}`;
}

/**
 * A decimal amount in integer minor units of its currency: toMinor("12.5",
 * "USD") = 1250n, toMinor("1000", "JPY") = 1000n, toMinor("1.125", "TND") =
 * 1125n. Throws RuleError('Invalid') for a malformed amount, one with more
 * decimals than the currency's minor unit, or a currency we do not accept.
 */
export function toMinor(amount: string, currency: Currency): bigint {
  const problem = amountRefusal(amount, currency);
  if (problem) throw new RuleError('Invalid', problem);
  const digits = minorUnit(currency);
  const [whole, fraction = ''] = amount.split('.');
  return BigInt(whole) * 10n ** BigInt(digits) + BigInt(fraction.padEnd(digits, '0') || '0');
}

/**
 * Integer minor units as a decimal string with exactly the currency's minor
 * unit of decimals: fromMinor(1250n, "USD") = "12.50", fromMinor(1000n, "JPY")
 * = "1000". Throws RuleError('Invalid') for a currency we do not accept.
 */
export function fromMinor(minor: bigint, currency: Currency): string {
  const digits = minorUnit(currency);
  const sign = minor < 0n ? '-' : '';
  const abs = (minor < 0n ? -minor : minor).toString();
  if (digits === 0) return sign + abs;
  const padded = abs.padStart(digits + 1, '0');
  return `${sign}${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
}

/**
 * Sums amounts per currency, each in its own minor unit:
 * { JPY: "1000", TND: "1.125", USD: "12.50" }, currencies sorted. Throws
 * RuleError('Invalid') as `toMinor` does.
 */
export function totalsByCurrency(items: Money[]): Record<string, string> {
  const sums = new Map<string, bigint>();
  for (const m of items) sums.set(m.currency, (sums.get(m.currency) ?? 0n) + toMinor(m.amount, m.currency));
  return Object.fromEntries([...sums.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([c, v]) => [c, fromMinor(v, c)]));
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
  /** A pilot: tests how well the partners work together (guide II.2.B). */
  pilot?: boolean;
  /** Ids of the SMART objectives (`PartnershipState.objectives`) the activity serves. */
  objectives?: string[];
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
  if (core.length === 0) throw new RuleError('Conflict', said('refusals:funding.noCorePartner'));
  return core[(cycle - 1) % core.length];
}

/**
 * Disbursements must add up to the channel amount, every amount within the
 * currency's minor unit. Throws RuleError('Invalid') naming the problem.
 */
export function checkDisbursements(p: ChannelProposal): void {
  const amount = toMinor(p.amount, p.currency);
  const total = p.disbursements.reduce((sum, d) => sum + toMinor(d.amount, p.currency), 0n);
  if (total !== amount) {
    throw new RuleError('Invalid', said('refusals:funding.disbursementsSum', { total: money(fromMinor(total, p.currency), p.currency), amount: money(fromMinor(amount, p.currency), p.currency) }));
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

