import { condition, log, patched } from '@temporalio/workflow';
import { decisionCount } from '../../domain/partnership/carry-over';
import type { DecisionRecord, PendingTask } from '../../domain/partnership/state';
import type { GateEffect } from '../../domain/partnership/gates';
import type { PartnerStatus } from '../../domain/partners/stakeholders';
import type { Activities } from '../../activities/create-activities';
import { mail } from '../activity-proxies';
import { patch } from '../patches';
import { taskSaid } from './publish';
import { group, nested, phase, said, status, type Said, type SaidParam, type Text } from '../../domain/said';
import type { PartnershipRun } from './run';

/**
 * The partnership's emails to its manager. Email is fire-and-forget for the
 * loop (an SMTP outage must not hold the partnership back), but each one
 * stays in the state's outbox until its send settles, and the run waits a
 * little for them before it continues as new or closes (patch
 * `notifications-finish-before-run-ends`): what is still unsent travels in
 * the carried state and is sent again by the next run, the delivery key
 * keeping it to one email.
 */

type Notification = Parameters<Activities['sendNotification']>[0];

/** How long a run waits for its notifications before continuing as new (the rest go with it). */
const OUTBOX_WAIT = '1 minute';

/** Sends `n` without waiting for it; tracked in the outbox until its send settles. */
export function notify(run: PartnershipRun, n: Notification): void {
  const { state } = run;
  const tracked = patched(patch('notifications-finish-before-run-ends'));
  if (tracked) {
    state.outbox = [...(state.outbox ?? []).filter((o) => o.deliveryKey !== n.deliveryKey), n];
    run.sendsInFlight += 1;
  }
  mail.sendNotification
    // The partnership's language goes with it: the activity need not query the partnership for it.
    .executeWithOptions({ summary: `notify ${n.to.email}` }, [{ ...n, partnershipLanguage: state.input.language ?? null }])
    .then(() => {
      if (tracked) state.outbox = (state.outbox ?? []).filter((o) => o.deliveryKey !== n.deliveryKey);
    })
    .catch((err: unknown) => log.error('manager notification failed', { err: String(err) }))
    .finally(() => {
      if (tracked) run.sendsInFlight -= 1;
    });
}

/**
 * Tells the manager of an outcome other than a gate's (patch
 * `manager-notified-of-every-outcome`; runs from before told only of gates).
 * `what` is the subject after the partnership's title.
 */
export function notifyManager(run: PartnershipRun, key: string, what: Said, lines: Said[]): void {
  if (!patched(patch('manager-notified-of-every-outcome'))) return;
  const { state } = run;
  notify(run, { deliveryKey: `${key}/manager`, to: state.input.manager, subject: what, title: state.input.title, lines });
}

/** A reason as a sentence's parameter: a code inside the sentence, or what a person wrote (English of older runs) as written. */
function reasonParam(reason: Text): SaidParam {
  return typeof reason === 'string' ? reason : nested(reason);
}

/** The manager's email about a partner reaching `status` (one per time it reaches it). */
export function notifyPartnerOutcome(run: PartnershipRun, id: string, status: PartnerStatus, reason?: Text): void {
  const { state } = run;
  const s = state.stakeholders.find((x) => x.id === id);
  if (!s) return;
  const n = s.history.filter((h) => h.status === status).length;
  notifyManager(run, `${state.id}/partner-${id}/${status}-${n}`, said(`emails:notice.partner.${status}`, { organisation: s.organisation }), [
    said(`emails:notice.partnerLine.${status}`, { organisation: s.organisation, group: group(s.group) }),
    ...(reason ? [said('emails:notice.reason', { reason: reasonParam(reason) })] : []),
  ]);
}

/** The manager's email about a gate: what was decided, where the partnership is now, and the approver's comment. */
export function notifyGateOutcome(run: PartnershipRun, effect: GateEffect, task: PendingTask | null, last: DecisionRecord): void {
  const { state } = run;
  const outcomeLine =
    effect.type === 'moved'
      ? said('emails:notice.moved', { from: phase(effect.from), to: phase(effect.to) })
      : effect.type === 'new-cycle'
        ? said('emails:notice.newCycle', { cycle: effect.cycle })
        : effect.type === 'closed'
          ? said('emails:notice.closed')
          : said('emails:notice.rejectedStays', { phase: phase(state.phase) });
  notify(run, {
    deliveryKey: `${state.id}/decision-${decisionCount(state)}/manager`,
    to: state.input.manager,
    subject: said('emails:said.decided', { outcome: status(last.outcome), what: nested(task ? taskSaid(task, 'notice') : said('emails:notice.periodicReview')) }),
    title: state.input.title,
    lines: [outcomeLine, ...(last.comment ? [said('emails:notice.commentFrom', { who: last.by, comment: last.comment })] : [])],
  });
}

/** Before continue-as-new or completion: lets the notifications started in this run finish (bounded by OUTBOX_WAIT). */
export async function settleNotifications(run: PartnershipRun): Promise<void> {
  if (!patched(patch('notifications-finish-before-run-ends')) || run.sendsInFlight === 0) return;
  await condition(() => run.sendsInFlight === 0, OUTBOX_WAIT, { summary: 'let notification emails finish' });
}
