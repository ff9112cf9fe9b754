import { z } from 'zod';
import { PHASE_IDS } from './partnership/phases';
import { durationMs } from './durations';
import { PRINCIPLE_IDS } from './partners/principles';
import { AMOUNT_PATTERN, EXTERNAL_PARTNER_TYPES, IN_KIND_KINDS, ORGANISATION_SOURCES, amountProblem, currencyProblem, toMinor } from './resources/funding';
import { STAKEHOLDER_GROUPS } from './partners/stakeholders';
import { LANGUAGES, supportedLanguage } from './language';
import type { Person, Timings } from './people';
import { SDG_TARGET_PATTERN, SECTION_LIMITS } from './partnership/sections';

/**
 * zod schemas: the one definition of every input the service accepts. The API
 * validates with them, workflow inputs are their inferred types, and the
 * OpenAPI document is generated from them.
 */

export const DRIVERS = [
  'policy-alignment-advocacy',
  'knowledge-research-technical-support',
  'country-delivery-project-implementation',
  'resource-mobilisation',
] as const;

/** The organisation's possible roles in an MSP (guide II.1); the role may change over time. */
export const ORGANISATION_ROLES = [
  'initiator',
  'convener',
  'lead',
  'founder',
  'co-founder',
  'secretariat-host',
  'member',
] as const;

export const REVIEW_DECISIONS = ['continue', 'adapt', 'exit'] as const;
export const TASK_DECISIONS = ['approve', 'reject'] as const;

/**
 * Text people type (titles, names, notes), in Unicode's composed form (NFC):
 * "Coopérative" typed on one keyboard is one é, on another e and a combining
 * accent; stored and compared as typed, the two never met (a search by name
 * found nothing). Every name is normalised here, where it enters.
 */
const nfc = () => z.string().trim().normalize('NFC');
const text = (max: number) => nfc().min(1, { error: 'must not be empty' }).max(max);

/**
 * A person's preferred language as a BCP 47 tag (e.g. "fr", "ar-EG",
 * "zh-Hans"), kept as given in its canonical case. Only tags whose language
 * is one of the six are accepted, so a typo is caught at the door rather than
 * silently falling back to English.
 */
export const LanguageTagSchema = z
  .string()
  .trim()
  .max(35)
  .refine((tag) => supportedLanguage(tag) !== undefined, {
    error: `must be a BCP 47 language tag in one of ${LANGUAGES.join(', ')} (e.g. "fr" or "ar-EG")`,
  })
  .transform((tag) => Intl.getCanonicalLocales(tag)[0]!);

export const PersonSchema = z.object({
  name: text(200),
  email: z.email({ error: 'must be an email address, e.g. ana@example.org' }).toLowerCase(),
  /** The language this person reads (BCP 47, one of the six UN languages): their emails and the pages behind their links. */
  language: LanguageTagSchema.optional(),
});
export type { Person, Timings } from './people';
// The schemas produce exactly the plain shapes other domain modules import from ./people.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const samePerson: Same<z.infer<typeof PersonSchema>, Person> = true;
const sameTimings: Same<z.infer<typeof TimingsSchema>, Timings> = true;
void samePerson;
void sameTimings;

export const DurationSchema = z.string().refine((v) => (durationMs(v) ?? 0) > 0, {
  error: 'must be a positive duration such as "30s", "2 hours" or "3 days"',
});

export const DEFAULT_TIMINGS = {
  reminderAfter: '3 days',
  escalateAfter: '7 days',
  deadline: '14 days',
  reviewEvery: '180 days',
  onDeadline: 'reject',
} as const;

type TimingsInput = { reminderAfter?: string; escalateAfter?: string; deadline?: string };

/**
 * The reminder and the escalation must come before the deadline. The caller
 * may have sent only some of the three, so the message names which values are
 * defaults, and puts the issue on a field the caller did send.
 */
function timingOrderIssues(t: TimingsInput, ctx: z.RefinementCtx): void {
  const deadline = t.deadline ?? DEFAULT_TIMINGS.deadline;
  const deadlineMs = durationMs(deadline);
  if (deadlineMs === undefined) return; // already has its own message
  const late = (['reminderAfter', 'escalateAfter'] as const).filter((k) => {
    const ms = durationMs(t[k] ?? DEFAULT_TIMINGS[k]);
    return ms !== undefined && ms >= deadlineMs;
  });
  const sent = late.filter((k) => t[k] !== undefined);
  const defaulted = late.filter((k) => t[k] === undefined);
  const deadlineSaid = t.deadline === undefined ? `the deadline, which defaults to ${deadline}` : `the deadline (${deadline})`;
  for (const k of sent) {
    ctx.addIssue({ code: 'custom', path: [k], message: `${k} (${t[k]}) must be shorter than ${deadlineSaid}; send a shorter ${k} or a later deadline` });
  }
  if (defaulted.length > 0 && t.deadline !== undefined) {
    const names = defaulted.join(' and ');
    const values = defaulted.map((k) => DEFAULT_TIMINGS[k]).join(' and ');
    const which = defaulted.length > 1 ? `which default to ${values}` : `which defaults to ${values}`;
    const send = defaulted.length > 1 ? 'send shorter ones' : `send a shorter ${names}`;
    ctx.addIssue({ code: 'custom', path: ['deadline'], message: `deadline (${deadline}) must be after ${names}, ${which}; ${send} or a later deadline` });
  }
}

export const TimingsSchema = z
  .object({
    reminderAfter: DurationSchema.optional().describe(`default: ${DEFAULT_TIMINGS.reminderAfter}`),
    escalateAfter: DurationSchema.optional().describe(`default: ${DEFAULT_TIMINGS.escalateAfter}`),
    deadline: DurationSchema.optional().describe(`default: ${DEFAULT_TIMINGS.deadline}`),
    reviewEvery: DurationSchema.optional().describe(`default: ${DEFAULT_TIMINGS.reviewEvery}`),
    /** What happens when nobody decides by the deadline. */
    onDeadline: z.enum(['reject', 'escalate']).optional().describe(`default: ${DEFAULT_TIMINGS.onDeadline}`),
  })
  .superRefine(timingOrderIssues)
  .transform((t) => ({
    reminderAfter: t.reminderAfter ?? DEFAULT_TIMINGS.reminderAfter,
    escalateAfter: t.escalateAfter ?? DEFAULT_TIMINGS.escalateAfter,
    deadline: t.deadline ?? DEFAULT_TIMINGS.deadline,
    reviewEvery: t.reviewEvery ?? DEFAULT_TIMINGS.reviewEvery,
    onDeadline: t.onDeadline ?? DEFAULT_TIMINGS.onDeadline,
  }));

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const CreatePartnershipSchema = z.object({
  /** Who runs monitoring and evaluation (guide II.2.D): shown in every MEL report. */
  monitoredBy: z.enum(['internal', 'external']).default('internal'),
  /** Optional business id; `msp-<slug>` becomes the workflow id. Derived from the title when absent. */
  slug: z
    .string()
    .max(60)
    .regex(SLUG_PATTERN, { error: 'use lowercase letters, digits and single hyphens, e.g. "youth-jobs-kenya"' })
    .optional(),
  title: text(200),
  /** The partnership's working language (BCP 47): its documents, and the default for people who name none. English when absent. */
  language: LanguageTagSchema.optional(),
  goal: text(2000),
  drivers: z
    .array(z.enum(DRIVERS))
    .min(1, { error: `name at least one driver: ${DRIVERS.join(', ')}` })
    .refine((d) => new Set(d).size === d.length, { error: 'lists a driver twice' }),
  organisationRole: z.enum(ORGANISATION_ROLES),
  manager: PersonSchema,
  /** Others who may manage the partnership in the console (optional: partnerships started before it have none). */
  coManagers: z
    .array(PersonSchema)
    .max(10, { error: 'name at most 10 co-managers' })
    .refine((a) => new Set(a.map((p) => p.email)).size === a.length, { error: 'lists the same email twice' })
    .optional(),
  approvers: z
    .array(PersonSchema)
    .min(1, { error: 'name at least one approver' })
    .max(10)
    .refine((a) => new Set(a.map((p) => p.email)).size === a.length, { error: 'lists the same email twice' }),
  timings: TimingsSchema.default(() => TimingsSchema.parse({})),
});
export type CreatePartnershipRequest = z.input<typeof CreatePartnershipSchema>;
export type PartnershipInput = z.infer<typeof CreatePartnershipSchema>;

export const CompleteItemSchema = z.object({
  by: text(200),
  note: nfc().max(2000).optional(),
});
export type CompleteItemRequest = z.infer<typeof CompleteItemSchema>;

export const AdvanceSchema = z.object({
  by: text(200).optional(),
  note: nfc().max(2000).optional(),
});
export type AdvanceRequest = z.infer<typeof AdvanceSchema>;

/**
 * A manager's reminder to the partners who have not answered a review. `key`
 * makes a repeat (a double click, a retried request) the same reminder, sending
 * nothing twice; without one, each request is a reminder of its own.
 */
export const RemindReviewSchema = z.object({
  key: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8 to 64 letters, digits, "-" or "_"').optional(),
  by: text(200).optional(),
});
export type RemindReviewRequest = z.infer<typeof RemindReviewSchema>;

export const ReviewDecisionSchema = z
  .object({
    decision: z.enum(REVIEW_DECISIONS),
    notes: nfc().max(4000).optional(),
    by: text(200).optional(),
  })
  .refine((d) => d.decision !== 'adapt' || (d.notes?.length ?? 0) > 0, {
    path: ['notes'],
    error: 'say what to adapt: notes are required when the decision is "adapt"',
  });
export type ReviewDecisionRequest = z.infer<typeof ReviewDecisionSchema>;

export const TaskDecisionSchema = z
  .object({
    decision: z.enum(TASK_DECISIONS, { error: 'choose "approve" or "reject"' }),
    comment: nfc().max(2000).optional(),
    /** For tasks that offer choices (a governance decision). */
    choice: z.string().max(50).optional(),
  })
  .refine((d) => d.decision !== 'reject' || (d.comment?.length ?? 0) > 0, {
    path: ['comment'],
    error: 'a rejection needs a comment explaining what to change',
  });
export type TaskDecisionRequest = z.infer<typeof TaskDecisionSchema>;

/** POST /approvals/:token — several decisions at once, each with its own comment (required to reject, as on a single task). */
/** An assignee hands a task to a colleague from their link (guide: decisions stay with a named person; the record keeps who and why). */
export const DelegateTaskSchema = z.object({
  to: PersonSchema,
  reason: text(500),
});
export type DelegateTaskRequest = z.infer<typeof DelegateTaskSchema>;

/**
 * A person's out-of-office delegate for a range of days: while it covers the
 * day, any task that would be emailed to them goes to the delegate instead
 * (a hand-over of kind "out-of-office", kept in the task's record).
 */
export const OutOfOfficeSchema = z
  .object({
    delegate: PersonSchema,
    firstDay: z.iso.date({ error: 'must be a date like 2027-03-01' }),
    lastDay: z.iso.date({ error: 'must be a date like 2027-03-14' }),
    reason: text(500).optional(),
  })
  .refine((o) => o.firstDay <= o.lastDay, { error: 'the last day comes before the first day', path: ['lastDay'] })
  .refine((o) => Date.parse(o.lastDay) - Date.parse(o.firstDay) <= 366 * 86_400_000, {
    error: 'an out-of-office range is at most a year; set a new one when it ends',
    path: ['lastDay'],
  });
export type OutOfOffice = z.infer<typeof OutOfOfficeSchema>;

export const InboxDecisionsSchema = z.object({
  decisions: z
    .array(
      z
        .object({
          taskId: z.string().min(1).max(300),
          decision: z.enum(TASK_DECISIONS, { error: 'choose "approve" or "reject"' }),
          comment: nfc().max(2000, { error: 'keep the comment under 2,000 characters' }).optional(),
        })
        .refine((d) => d.decision !== 'reject' || (d.comment?.length ?? 0) > 0, {
          path: ['comment'],
          error: 'a rejection needs a comment explaining why',
        }),
    )
    .min(1, { error: 'choose approve or reject for at least one request' })
    .max(500, { error: 'decide at most 500 requests at once' })
    .refine((ds) => new Set(ds.map((d) => d.taskId)).size === ds.length, { error: 'names the same request twice' }),
});
export type InboxDecisions = z.infer<typeof InboxDecisionsSchema>;

export const ListPartnershipsQuerySchema = z.object({
  phase: z.enum(PHASE_IDS).optional(),
  /** An active partner: its organisation name exactly as mapped (any script, apostrophes welcome) or its stakeholder id. Answered from the registry. */
  partner: nfc().min(1, { error: 'give an organisation name or a partner id' }).max(300).optional(),
  /** The manager's email address, as given at the start. */
  manager: z.email({ error: 'must be an email address, e.g. mona@example.org' }).max(254).optional(),
  /** Partnerships this person manages or co-manages (their email); what a signed-in person's list shows. */
  managedBy: z.email({ error: 'must be an email address, e.g. mona@example.org' }).max(254).optional(),
  /** Words of the title, each matched whole and in any case ("green jobs" finds "Green jobs for youth"). */
  title: nfc().min(1, { error: 'give a word of the title' }).max(200).optional(),
  /** The partnership's own status, or how its run ended abnormally (terminated, failed, timed-out, cancelled). */
  status: z.enum(['active', 'awaiting-approval', 'closed', 'terminated', 'failed', 'timed-out', 'cancelled']).optional(),
  /** Partnerships in collaborative action whose next review date has passed. */
  reviewOverdue: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  /** The `nextPageToken` of the previous page. */
  pageToken: z
    .string()
    .max(4096)
    .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, { error: 'must be the nextPageToken of a previous page' })
    .optional(),
});
export type ListPartnershipsQuery = z.infer<typeof ListPartnershipsQuerySchema>;

/** A slug given where an id belongs is the commonest slip: the message names the id it probably meant. */
export const PartnershipIdSchema = z.string().regex(/^msp-[a-z0-9]+(?:-[a-z0-9]+)*$/, {
  error: (issue) =>
    typeof issue.input === 'string' && SLUG_PATTERN.test(issue.input)
      ? `is not a partnership id: ids are "msp-" and the slug; did you mean "msp-${issue.input}"?`
      : 'is not a partnership id (expected "msp-<slug>", e.g. "msp-green-jobs")',
});

export const DOCUMENT_KINDS = ['process-design', 'workplan', 'action-report', 'review-record', 'letter-of-intent', 'mou', 'funding-agreement', 'mel-report'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** What a stored document's `source` is built from (see activities/documents/sources.ts). */
export const DOCUMENT_SOURCE_KINDS = ['phase', 'agreement', 'funding-agreement', 'mel-report'] as const;

export const DocumentUpsertSchema = z.object({
  partnershipId: PartnershipIdSchema,
  kind: z.enum(DOCUMENT_KINDS),
  title: text(300),
  cycle: z.number().int().min(1),
  phase: z.enum(PHASE_IDS),
  html: z.string().min(1),
  /** The PDF, from workers that printed it themselves (before typesetting on read); today's workers send `furniture` instead. */
  pdfBase64: z.base64({ error: 'must be the PDF encoded as base64' }).optional(),
  /**
   * The PDF's running header and footer (Chromium's header/footer templates,
   * in the document's language), kept so the PDF typeset when it is first
   * read is the one the document was written as.
   */
  furniture: z
    .object({
      headerTemplate: z.string().max(20_000, { error: 'must be at most 20,000 characters' }),
      footerTemplate: z.string().max(20_000, { error: 'must be at most 20,000 characters' }),
    })
    .optional(),
  /** The language `html` and the PDF are written in; absent on documents from before languages (English). */
  language: z.enum(LANGUAGES, { error: `must be one of ${LANGUAGES.join(', ')}` }).optional(),
  /**
   * What the document was built from (activities/documents/sources.ts), kept so
   * it can be rendered in another language on request. Written by our own
   * activities; only its kind is checked here, and a source that does not
   * build is answered with the stored rendering.
   */
  source: z.object({ kind: z.enum(DOCUMENT_SOURCE_KINDS) }).loose().optional(),
});
export type DocumentUpsert = z.infer<typeof DocumentUpsertSchema>;

/** The longest `Name <email>` the registry takes: a 200-character name, the brackets, and room for any address mail can reach. */
const PERSON_LABEL_MAX = 600;

export const TransitionRecordSchema = z.object({
  partnershipId: PartnershipIdSchema,
  cycle: z.number().int().min(1),
  fromPhase: z.enum(PHASE_IDS),
  toPhase: z.enum(PHASE_IDS).nullable(),
  outcome: z.string().min(1).max(40),
  /** `Name <email>` as the workflow writes a person (a name is up to 200 characters, an address up to 254 where mail can reach it). */
  decidedBy: text(PERSON_LABEL_MAX),
  decidedAt: z.iso.datetime(),
  taskId: z.string().max(300).nullable(),
  /** What the timeline shows beyond the columns above; the read model puts decisions a run no longer carries back from here. */
  kind: z.enum(['advance', 'review', 'scheduled-review']).optional(),
  comment: z.string().max(2000).optional(),
  handovers: z
    .array(z.object({ from: z.string().max(PERSON_LABEL_MAX), to: z.string().max(PERSON_LABEL_MAX), reason: z.string().max(2000), kind: z.enum(['hand-over', 'out-of-office']), at: z.iso.datetime() }))
    .max(20)
    .optional(),
});
export type TransitionRecord = z.infer<typeof TransitionRecordSchema>;

/**
 * The Message-ID an email goes out with (`<32 hex digits@msp-orchestrator>`,
 * derived from its delivery key): the key of the mail sent-log.
 */
export const MailMessageIdSchema = z.string().regex(/^<[A-Za-z0-9._-]{1,200}@[A-Za-z0-9.-]{1,200}>$/, {
  error: 'must be a Message-ID in angle brackets, e.g. "<0123abcd@msp-orchestrator>" (percent-encoded in the path: %3C0123abcd%40msp-orchestrator%3E)',
});

/**
 * PUT /api/registry/sent-mail/:messageId — an email the SMTP server accepted,
 * recorded so a retry does not send it again. The recipient is not checked as
 * an address: the mail has gone already, and refusing its record would only
 * make the retry send it twice.
 */
export const SentMailRecordSchema = z.object({
  recipient: z.string().trim().min(1, { error: 'must be the address the message went to, e.g. ana@example.org' }).max(320, { error: 'an email address is at most 320 characters' }),
  subject: z.string().max(2000, { error: 'keep the subject under 2,000 characters' }),
});
export type SentMailRecord = z.infer<typeof SentMailRecordSchema>;

/** GET /api/registry/out-of-office/:email?on= — the day (UTC) to look a person's out-of-office up for. */
export const OutOfOfficeOnQuerySchema = z.object({
  on: z.iso.date({ error: 'must be the day to look up, as ?on=2027-03-01 (UTC)' }),
});

// ── Stakeholders and partners (issue: stakeholder map and onboarding) ──────────

export const StakeholderInputSchema = z.object({
  /**
   * Which stakeholder to update (renaming it, if `organisation` differs). Without
   * it the organisation's name says which: the same name updates, a new one maps.
   * The pattern is RefSchema's, spelled out because RefSchema is declared below.
   */
  id: z
    .string()
    .regex(SLUG_PATTERN, { error: 'must be the id of one of this partnership\'s stakeholders, e.g. "ministry-of-labour"; leave it out to map a new one' })
    .optional(),
  organisation: text(200),
  group: z.enum(STAKEHOLDER_GROUPS, { error: `choose one of: ${STAKEHOLDER_GROUPS.join(', ')}` }),
  whyEngage: text(2000),
  potentialRoles: z.array(text(200)).max(20).default([]),
  engagementStrategy: text(2000),
  coreGroup: z.boolean().default(false),
  contact: PersonSchema.optional(),
});
export type StakeholderInput = z.infer<typeof StakeholderInputSchema>;

export const InvitePartnerSchema = z.object({
  contact: PersonSchema.optional(),
  by: text(200).optional(),
});
export type InvitePartnerRequest = z.infer<typeof InvitePartnerSchema>;

export const ChangeRoleSchema = z.object({
  role: z.enum(ORGANISATION_ROLES),
  by: text(200),
  reason: nfc().max(2000).optional(),
});
export type ChangeRoleRequest = z.infer<typeof ChangeRoleSchema>;

/**
 * A written section of the partnership, replaced whole (domain/partnership/sections.ts):
 * its text, the SDG targets it serves (the issue and its context) or what each of the
 * organisation's sources brings (its own resources). `by` is who wrote it (set from the
 * session for a signed-in person).
 */
export const SectionWriteSchema = z.object({
  text: text(SECTION_LIMITS.text),
  sdgTargets: z
    .array(nfc().regex(SDG_TARGET_PATTERN, { error: 'must be an SDG target as the UN numbers it: goal 1–17, a dot, then a number or a letter (e.g. "8.6", "8.b")' }))
    .max(SECTION_LIMITS.sdgTargets)
    .optional(),
  bySource: z.partialRecord(z.enum(ORGANISATION_SOURCES), nfc().max(SECTION_LIMITS.sourceNote)).optional(),
  by: text(200),
});
export type SectionWriteRequest = z.infer<typeof SectionWriteSchema>;

export const WithdrawPartnerSchema = z.object({
  reason: text(2000),
  by: text(200).optional(),
});
export type WithdrawPartnerRequest = z.infer<typeof WithdrawPartnerSchema>;

/** Checkboxes arrive as one string or several: always an array. */
const checkboxList = z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.string()));

export const PartnerAnswerSchema = z.discriminatedUnion('step', [
  z
    .object({
      step: z.literal('respond'),
      answer: z.enum(['accept', 'decline'], { error: 'choose "accept" or "decline"' }),
      reason: nfc().max(2000).optional(),
    })
    .refine((a) => a.answer !== 'decline' || (a.reason?.length ?? 0) > 0, {
      path: ['reason'],
      error: 'please tell us why you decline',
    }),
  z.object({
    step: z.literal('due-diligence'),
    principles: checkboxList.pipe(
      z.array(z.enum(PRINCIPLE_IDS)).refine((p) => PRINCIPLE_IDS.every((id) => p.includes(id)), {
        error: 'every principle must be attested to join the partnership',
      }),
    ),
    conflictsOfInterest: text(4000),
  }),
  z.object({
    step: z.literal('signature'),
    signatory: text(200),
  }),
]);
export type PartnerAnswer = z.infer<typeof PartnerAnswerSchema>;

export const ReviewAnswerSchema = z.object({
  /** Indicator values by key; form fields arrive as `value:<key>`. */
  values: z.record(z.string(), z.string().trim().regex(/^-?\d{1,15}(\.\d{1,4})?$/, { error: 'must be a number, e.g. "120" or "0.35"' })),
  treatedFairly: z.coerce.number().int().min(1, { error: 'answer from 1 (not at all) to 5 (fully)' }).max(5, { error: 'answer from 1 (not at all) to 5 (fully)' }),
  importantIssuesDiscussed: z.coerce.number().int().min(1, { error: 'answer from 1 (not at all) to 5 (fully)' }).max(5, { error: 'answer from 1 (not at all) to 5 (fully)' }),
  feedbackOnOrganisation: nfc().max(4000).default(''),
  learning: nfc().max(4000).default(''),
});
export type ReviewAnswerRequest = z.infer<typeof ReviewAnswerSchema>;

/** Folds HTML form fields `value:<key>` into `values`. */
export function reviewAnswerFromForm(body: Record<string, unknown>): unknown {
  if (body.values && typeof body.values === 'object') return body;
  const values: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) if (k.startsWith('value:') && v !== '') values[k.slice('value:'.length)] = v;
  return { ...body, values };
}

export const ListPartnersQuerySchema = z.object({
  group: z.enum(STAKEHOLDER_GROUPS).optional(),
  partnershipId: PartnershipIdSchema.optional(),
  status: z.enum(['invited', 'active', 'declined', 'rejected', 'expired', 'withdrawn']).optional(),
});

export const PartnerMembershipSchema = z.object({
  organisation: text(200),
  group: z.enum(STAKEHOLDER_GROUPS),
  status: z.enum(['invited', 'active', 'declined', 'rejected', 'expired', 'withdrawn']),
  contact: PersonSchema.nullable(),
  documentId: z.string().max(300).nullable(),
  reason: z.string().max(2000).nullable(),
  at: z.iso.datetime(),
});
export type PartnerMembership = z.infer<typeof PartnerMembershipSchema>;

// ── Resources: roadmap, resource strategy, financial channels ─────────────────

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

/** An id of a stakeholder or roadmap activity, in the shape `slugify` gives. */
export const RefSchema = z.string().regex(SLUG_PATTERN, { error: 'must be an id like "ministry-of-labour"' });
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

/**
 * A manager's request to send an onboarding's open step (the invitation, the
 * due-diligence form, the signature) to the contact again. `key` makes it
 * idempotent: the same key again (a double click, a retried request) sends
 * nothing more.
 */
export const ResendInvitationSchema = z.object({
  key: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, { error: 'must be 8 to 64 letters, digits, "-" or "_"' }),
  by: text(200).optional(),
});
export type ResendInvitationRequest = z.infer<typeof ResendInvitationSchema>;
