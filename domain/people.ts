/**
 * Shapes shared across capabilities, as plain types (no zod here, so that
 * domain modules which only need the shape import nothing that imports them
 * back). `domain/schemas.ts` validates input into exactly these shapes, and a
 * compile-time check there keeps the two equal.
 */

/** Someone we write to: an approver, a manager, a partner's contact or focal point. */
export interface Person {
  name: string;
  /** Lowercased. */
  email: string;
  /** BCP 47 tag in one of the six UN languages (see domain/language.ts); absent: the partnership's language. */
  language?: string;
}

/** Durations are Temporal duration strings ("30s", "2 hours", "14 days"); see domain/durations.ts. */
export interface Timings {
  reminderAfter: string;
  escalateAfter: string;
  deadline: string;
  /** The review cadence (guide II.2.D). */
  reviewEvery: string;
  /** What happens when nobody decides by the deadline. */
  onDeadline: 'reject' | 'escalate';
}
