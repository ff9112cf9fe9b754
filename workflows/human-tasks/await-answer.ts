import { condition } from '@temporalio/workflow';

/**
 * The wait every human task a person answers by link shares, whoever answers
 * it: until it is answered (or stopped), with one reminder at `reminderAt` and
 * the end at `deadlineAt` (epoch ms). An approval's own loop (`runHumanTask`)
 * adds escalation and hand-overs on top of the same rhythm; a partner
 * contact's form (the invitation, due diligence, the signature, a review form)
 * uses this directly, so no workflow writes its own remind-and-deadline loop.
 *
 * Commands are those of the loops this replaced, so histories replay: a timer
 * per wait, summarised `summaries.reminder` then `summaries.deadline`. With
 * `waitWhenDue` a wait whose time has already come still asks `condition`
 * with a timeout of 0 (the review form always did); without it, it is skipped
 * (the onboarding steps always did).
 *
 * @returns `answered` when `done()` became true, `deadline` when the deadline came first
 */
export async function awaitAnswer(wait: {
  /** True once the person answered (or something else ended the wait). */
  done: () => boolean;
  /** Epoch ms of the reminder; Infinity once it was sent (read before each wait, from the task's state). */
  reminderAt: () => number;
  /** Epoch ms of the deadline (read before each wait: a resent invitation may move it). */
  deadlineAt: () => number;
  /** Sends the reminder and records it (so `reminderAt` answers Infinity afterwards). */
  remind: () => void;
  summaries: { reminder: string; deadline: string };
  waitWhenDue?: boolean;
}): Promise<'answered' | 'deadline'> {
  while (!wait.done()) {
    const reminderAt = wait.reminderAt();
    const deadlineAt = wait.deadlineAt();
    const reminding = reminderAt < deadlineAt;
    const until = reminding ? reminderAt : deadlineAt;
    const waitMs = until - Date.now();
    const summary = reminding ? wait.summaries.reminder : wait.summaries.deadline;
    if (wait.waitWhenDue || waitMs > 0) {
      if (await condition(wait.done, Math.max(0, waitMs), { summary })) return 'answered';
    }
    if (Date.now() >= deadlineAt) return 'deadline';
    if (reminding) wait.remind();
  }
  return 'answered';
}
