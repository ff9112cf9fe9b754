import { z } from 'zod';
import { durationMs } from './durations';
import { LANGUAGES, supportedLanguage } from './language';
import type { Person, Timings } from './people';

/**
 * zod schemas: the one definition of every input the service accepts. The API
 * validates with them, workflow inputs are their inferred types, and the
 * OpenAPI document is generated from them. This file holds what every
 * capability's inputs are made of (typed text, a person, a language, the
 * timings of human tasks, ids) and the mail sent-log. Each capability's own
 * inputs are in its folder's `schemas.ts` (partnership, partners, resources,
 * reviews, documents, human-tasks). Workflows import
 * these files only as types: zod stays out of the workflow bundle.
 */

/**
 * Text people type (titles, names, notes), in Unicode's composed form (NFC):
 * "Coopérative" typed on one keyboard is one é, on another e and a combining
 * accent; stored and compared as typed, the two never met (a search by name
 * found nothing). Every name is normalised here, where it enters.
 */
export const nfc = () => z.string().trim().normalize('NFC');
/** Typed text of at most `max` characters, in NFC (see `nfc`), that must not be empty. */
export const text = (max: number) => nfc().min(1, { error: 'must not be empty' }).max(max);

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

/** A slug given where an id belongs is the commonest slip: the message names the id it probably meant. */
export const PartnershipIdSchema = z.string().regex(/^msp-[a-z0-9]+(?:-[a-z0-9]+)*$/, {
  error: (issue) =>
    typeof issue.input === 'string' && SLUG_PATTERN.test(issue.input)
      ? `is not a partnership id: ids are "msp-" and the slug; did you mean "msp-${issue.input}"?`
      : 'is not a partnership id (expected "msp-<slug>", e.g. "msp-green-jobs")',
});

/** An id of a stakeholder or roadmap activity, in the shape `slugify` gives. */
export const RefSchema = z.string().regex(SLUG_PATTERN, { error: 'must be an id like "ministry-of-labour"' });

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
