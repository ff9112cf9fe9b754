import {
  allHandlersFinished,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  log,
  patched,
  setCurrentDetails,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import { closeWindow, expiresBeforeDigest, initialDigestState, routeItem, windowEndsAt, type DigestItem, type DigestSettings, type DigestState } from '../../domain/human-tasks/digest';
import type { Person } from '../../domain/schemas';
import { mail } from '../activity-proxies';

/**
 * Since this patch a task that would expire before the digest goes out is
 * sent at once; before it, the sixth task of a window waited for the window
 * to end even when its deadline came first. Asked only for such a task, so
 * digests that never meet one record no marker.
 */
export const DIGEST_SENDS_EXPIRING_PATCH = 'digest-sends-expiring-at-once';

export interface DigestItemMessage {
  item: DigestItem;
  /** The worker's current settings: a change of configuration reaches running digests with the next item. */
  settings: DigestSettings;
}

/** Sent (with signal-with-start) by the approval workflow's routing activity, one per task email. */
export const digestItemSignal = defineSignal<[DigestItemMessage]>('digestItem');
export const digestStateQuery = defineQuery<DigestState>('digestState');

export interface ApproverDigestInput {
  approver: Person;
  settings: DigestSettings;
  /** What a previous run carried over through continue-as-new. */
  carried?: Partial<DigestState>;
}

/**
 * One per approver (id `digest.<email>`). Lets the first few task emails of
 * a window through one by one, collects the rest, and at the window's end
 * sends one email listing them with a link to the approver's inbox page.
 * Between windows it continues-as-new, so its history stays bounded however
 * long the approver keeps receiving tasks.
 */
export async function approverDigestWorkflow(input: ApproverDigestInput): Promise<void> {
  const state = initialDigestState(input.approver, input.settings, input.carried);
  const sends: Array<Promise<unknown>> = [];

  setHandler(digestStateQuery, () => state);
  setHandler(digestItemSignal, ({ item, settings }) => {
    state.settings = settings;
    const now = Date.now();
    const sendExpiringAtOnce = expiresBeforeDigest(state, item, now) && patched(DIGEST_SENDS_EXPIRING_PATCH);
    const routing = routeItem(state, item, now, { sendExpiringAtOnce });
    if (routing === 'send-now') {
      sends.push(
        mail.sendTaskEmail
          .executeWithOptions({ summary: `${item.reason} email to ${item.approver.email}` }, [item])
          .catch((err: unknown) => log.error('task email could not be sent', { taskId: item.taskId, err: String(err) })),
      );
    }
    show(state);
  });

  show(state);
  for (;;) {
    await condition(() => state.windowStartedAt !== undefined);
    const endsAt = windowEndsAt(state)!;
    await sleep(Math.max(1, endsAt - Date.now()), { summary: 'collect until the window ends' });
    const items = closeWindow(state, Date.now());
    if (items.length) {
      const windowKey = new Date(endsAt - state.settings.windowMs).toISOString();
      sends.push(
        mail.sendDigestEmail
          .executeWithOptions({ summary: `digest of ${items.length} to ${state.approver.email}` }, [
            { deliveryKey: `${workflowInfo().workflowId}/${windowKey}`, approver: state.approver, items },
          ])
          .catch((err: unknown) => log.error('digest email could not be sent', { err: String(err) })),
      );
    }
    show(state);
    while (sends.length) await Promise.all(sends.splice(0));
    await condition(allHandlersFinished);
    // Items that arrived while the digest was being sent opened a new window: serve it in this run.
    if (state.windowStartedAt === undefined) {
      const { approver, settings, digested, digestsSent } = state;
      await continueAsNew<typeof approverDigestWorkflow>({ approver, settings, carried: { digested, digestsSent } });
    }
  }
}

function show(state: DigestState): void {
  setCurrentDetails(
    [
      `**Digest for** ${state.approver.name} <${state.approver.email}>`,
      `Settings: ${state.settings.after} one by one per window of ${Math.round(state.settings.windowMs / 1000)} s`,
      state.windowStartedAt === undefined
        ? 'No window open'
        : `Window since ${new Date(state.windowStartedAt).toISOString()}: ${state.sentInWindow} sent one by one, ${state.pending.length} waiting for the digest`,
      `Digests sent: ${state.digestsSent}`,
    ].join('\n\n'),
  );
}
