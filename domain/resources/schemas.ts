import { z } from 'zod';
import { AMOUNT_PATTERN, EXTERNAL_PARTNER_TYPES, IN_KIND_KINDS, ORGANISATION_SOURCES, amountProblem, currencyProblem, toMinor } from './funding';
import { PartnershipIdSchema, RefSchema, text } from '../schemas';

/**
 * The resources' inputs (zod; guide II.2.B–C): SMART objectives, roadmap
 * activities, the resource strategy, the fiduciary rule, financial channel
 * proposals and their registry records, and progress on an activity. Amounts
 * are decimal strings checked against their currency's minor units.
 */

const isoDate = z.iso.date({ error: 'must be a date like 2027-03-31' });
// How many decimals an amount may have depends on its currency: each object
// holding both checks them together with `moneyRefinement`.
const amount = z.string({ error: 'must be a decimal amount as a string, e.g. "12500.00"' }).regex(AMOUNT_PATTERN, { error: 'must be a decimal amount as a string, without sign or separators, e.g. "12500.00"' });
const currency = z
  .string({ error: 'must be a three-letter ISO 4217 currency code, e.g. "USD"' })
  .trim()
  .toUpperCase()
  .superRefine((code, ctx) => {
    const problem = currencyProblem(code);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/**
 * A refinement for an object with a `currency` and amounts at `paths`: each
 * amount may have at most the currency's minor-unit decimals ("TND takes at
 * most 3 decimals, e.g. 1.125"). A malformed amount or currency already has
 * its own issue, so it is skipped here.
 */
function moneyRefinement<T extends { currency: string }>(paths: (value: T) => Array<{ path: PropertyKey[]; amount: string }>) {
  return (value: T, ctx: z.RefinementCtx<T>) => {
    if (typeof value.currency !== 'string' || currencyProblem(value.currency)) return;
    for (const { path, amount: a } of paths(value)) {
      if (typeof a !== 'string' || !AMOUNT_PATTERN.test(a)) continue;
      const problem = amountProblem(a, value.currency);
      if (problem) ctx.addIssue({ code: 'custom', path, message: problem });
    }
  };
}
const moneyAt = moneyRefinement<{ amount: string; currency: string }>((m) => [{ path: ['amount'], amount: m.amount }]);

const ref = RefSchema;

/** A target value: a number as a string, e.g. "250" or "0.35". */
const targetNumber = z.string().regex(/^-?\d{1,15}(\.\d{1,4})?$/, { error: 'must be a number, e.g. "250" or "0.35"' });

/**
 * One of the partnership's SMART objectives (guide II.2.B): specific (what
 * changes, for whom), measurable (an indicator with a numeric target and its
 * unit), achievable (the partners agree it can be reached with what they plan
 * to put in), reasonable (why it serves the common vision) and time-bound (a
 * date). `domain/resources/objectives.ts` checks the rest of SMART.
 */
export const SmartObjectiveInputSchema = z.object({
  id: ref,
  statement: text(500),
  indicator: text(300),
  target: targetNumber,
  unit: text(50),
  date: isoDate,
  achievable: z.literal(true, { error: 'confirm that the partners agree the target can be reached with the resources planned' }),
  relevance: text(1000),
});
export type SmartObjectiveInput = z.infer<typeof SmartObjectiveInputSchema>;
/** A SMART objective as the partnership keeps it (guide II.2.B): its input, confirmed achievable. */
export type SmartObjective = Omit<SmartObjectiveInput, 'achievable'> & { achievable: true };

/** One record of progress on a roadmap activity (guide II.2.C); see domain/resources/activity-progress.ts. */
export interface ProgressRecord {
  status: ActivityStatus;
  note: string;
  /** The partners (stakeholder ids) who did what the note says. */
  doneBy: string[];
  by: string;
  at: string;
  /** The activity's progress version this record made. */
  version: number;
}

export const RoadmapActivityInputSchema = z
  .object({
    id: ref,
    title: text(300),
    leadPartner: ref,
    participatingPartners: z.array(ref).max(50).default([]),
    start: isoDate,
    end: isoDate,
    /** A pilot tests how well the partners work together (guide II.2.B). */
    pilot: z.boolean().optional(),
    /** The SMART objectives (ids) the activity serves. */
    objectives: z.array(ref).max(50).optional(),
    targets: z
      .array(z.object({ indicator: text(300), target: targetNumber, unit: text(50), date: isoDate }))
      .min(1, { error: 'a SMART activity needs at least one indicator with a target and a date' }),
  })
  .refine((a) => a.start <= a.end, { path: ['end'], error: 'must not be before start' });
export type RoadmapActivityInput = z.infer<typeof RoadmapActivityInputSchema>;

export const ResourceStrategySchema = z.object({
  pledges: z
    .array(
      z.discriminatedUnion('type', [
        z.object({ type: z.literal('financial'), partnerId: ref, amount, currency }).superRefine(moneyAt),
        z.object({ type: z.enum(IN_KIND_KINDS), partnerId: ref, description: text(1000) }),
      ]),
    )
    .default([]),
  ownSources: z.array(z.object({ source: z.enum(ORGANISATION_SOURCES), amount, currency }).superRefine(moneyAt)).default([]),
  externalPartners: z
    .array(z.object({ name: text(200), type: z.enum(EXTERNAL_PARTNER_TYPES), joinsFormally: z.boolean(), status: z.enum(['under-review', 'committed', 'declined']).default('under-review') }))
    .default([]),
});
export type ResourceStrategy = z.infer<typeof ResourceStrategySchema>;

export const FiduciaryRuleSchema = z.object({ rule: z.enum(['lead-partner', 'rotating-core']) });

export const ChannelProposalSchema = z
  .object({
    source: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('organisation'), name: z.enum(ORGANISATION_SOURCES) }),
      z.object({ kind: z.literal('partner'), partnerId: ref }),
      z.object({ kind: z.literal('external'), name: text(200) }),
    ]),
    amount,
    currency,
    disbursements: z.array(z.object({ date: isoDate, amount })).min(1, { error: 'give at least one disbursement' }),
    by: text(200).optional(),
  })
  .superRefine(
    moneyRefinement((p) => [{ path: ['amount'], amount: p.amount }, ...(Array.isArray(p.disbursements) ? p.disbursements : []).map((d, i) => ({ path: ['disbursements', i, 'amount'], amount: d?.amount }))]),
  )
  // Runs even when an amount is malformed (zod 4): those already have their own message.
  .refine(
    (p) => {
      if (!Array.isArray(p.disbursements)) return true;
      const amounts = [p.amount, ...p.disbursements.map((d) => d?.amount)];
      const wellFormed = typeof p.currency === 'string' && !currencyProblem(p.currency) && amounts.every((a) => typeof a === 'string' && AMOUNT_PATTERN.test(a) && !amountProblem(a, p.currency));
      return !wellFormed || p.disbursements.reduce((s, d) => s + toMinor(d.amount, p.currency), 0n) === toMinor(p.amount, p.currency);
    },
    { path: ['disbursements'], error: 'the disbursements must add up to the amount' },
  );
export type ChannelProposalRequest = z.infer<typeof ChannelProposalSchema>;

export const FundingChannelRecordSchema = z.object({
  partnershipId: PartnershipIdSchema,
  activityId: ref,
  version: z.number().int().min(1),
  status: z.enum(['approved', 'rejected']),
  fiduciaryAgent: ref,
  source: z.string().max(300),
  amount,
  currency,
  documentId: z.string().max(300).nullable(),
  decidedBy: z.string().max(300),
  at: z.iso.datetime(),
}).superRefine(moneyAt);
export type FundingChannelRecord = z.infer<typeof FundingChannelRecordSchema>;

/** Where a roadmap activity stands in collaborative action (guide II.2.C). */
export const ACTIVITY_STATUSES = ['not-started', 'under-way', 'done', 'delayed'] as const;
export type ActivityStatus = (typeof ACTIVITY_STATUSES)[number];

/**
 * Progress on one roadmap activity, recorded in collaborative action (guide
 * II.2.C): where it stands, what was done, which partners did it (stakeholder
 * ids), and who records it (set from the session for a signed-in person).
 * Each record is added to the activity's history from the version it was
 * based on (If-Match, or the form's `version`).
 */
export const ActivityProgressSchema = z.object({
  status: z.enum(ACTIVITY_STATUSES),
  note: text(2000),
  doneBy: z.array(ref).max(50).default([]),
  by: text(200),
});
export type ActivityProgressRequest = z.infer<typeof ActivityProgressSchema>;
