import { z } from 'zod';
import { nfc, PersonSchema, text } from '../schemas';

/**
 * Inputs of human tasks, whichever capability asks them (domain/human-tasks/kinds):
 * a person's decision on a task, several at once from the approver's inbox,
 * a hand-over to a colleague, an out-of-office delegate.
 */

export const TASK_DECISIONS = ['approve', 'reject'] as const;

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

/** POST /approvals/:token — several decisions at once, each with its own comment (required to reject, as on a single task). */
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

/** GET /api/registry/out-of-office/:email?on= — the day (UTC) to look a person's out-of-office up for. */
export const OutOfOfficeOnQuerySchema = z.object({
  on: z.iso.date({ error: 'must be the day to look up, as ?on=2027-03-01 (UTC)' }),
});
