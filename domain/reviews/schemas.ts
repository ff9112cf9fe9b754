import { z } from 'zod';
import { nfc, text } from '../schemas';

/**
 * The reviews' inputs (zod; guide II.2.D): a manager's review decision and
 * reminder, and a partner's answer to a review form.
 */

export const REVIEW_DECISIONS = ['continue', 'adapt', 'exit'] as const;

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
