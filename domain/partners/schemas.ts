import { z } from 'zod';
import { PRINCIPLE_IDS } from './principles';
import { STAKEHOLDER_GROUPS } from './stakeholders';
import { ORGANISATION_ROLES } from '../partnership/schemas';
import { nfc, PartnershipIdSchema, PersonSchema, SLUG_PATTERN, text } from '../schemas';

/**
 * The partners' inputs (zod; guide II.2.A "working with partners"): mapping a
 * stakeholder, inviting, withdrawing, changing the organisation's role, a
 * partner's answers on the onboarding link, resending its open step, and the
 * partner records the registry lists.
 */

export const StakeholderInputSchema = z.object({
  /**
   * Which stakeholder to update (renaming it, if `organisation` differs). Without
   * it the organisation's name says which: the same name updates, a new one maps.
   * The pattern is RefSchema's (../schemas.ts), spelled out for a message of its own.
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
