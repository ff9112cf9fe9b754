import { z } from 'zod';
import { PHASE_IDS } from './phases';
import { ORGANISATION_SOURCES } from '../resources/funding';
import { SDG_TARGET_PATTERN, SECTION_LIMITS } from './sections';
import { LanguageTagSchema, nfc, PartnershipIdSchema, PersonSchema, SLUG_PATTERN, text, TimingsSchema } from '../schemas';

/**
 * The partnership's inputs (zod; see ../schemas.ts for the shared parts):
 * starting one, completing a checklist item, asking to advance, writing a
 * section, listing partnerships, and the transition the registry keeps for
 * each gate's decision.
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
