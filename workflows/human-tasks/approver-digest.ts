import {
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  patched,
  setCurrentDetails,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import { closeWindow, expiresBeforeDigest, initialDigestState, routeItem, windowEndsAt, type DigestState } from '../../domain/human-tasks/digest';
import { mail } from '../activity-proxies';
import { digestItemSignal, digestStateQuery, type ApproverDigestInput } from './messages';
import { patch } from '../patches';


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
    const sendExpiringAtOnce = expiresBeforeDigest(state, item, now) && patched(patch('digest-sends-expiring-at-once'));
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
