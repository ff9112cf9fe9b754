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
 * `waitWhenDue` (the review form's loop) a wait whose time has already come
 * still asks `condition` with a timeout of 0, and the reminder goes out even
 * when the deadline passed before the reminder's wait ended (a worker away
 * for days): the review always reminded, then waited for its deadline.
 * Without it (the onboarding steps' loop) such a wait is skipped, and a
 * deadline already passed ends the wait without a reminder.
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
    if (Date.now() >= deadlineAt && !(reminding && wait.waitWhenDue)) return 'deadline';
    if (reminding) wait.remind();
  }
  return 'answered';
}
