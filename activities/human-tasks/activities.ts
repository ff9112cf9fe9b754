import { Context, log } from '@temporalio/activity';
import { actorDisplay } from '../../domain/actor';
import type { DigestItem } from '../../domain/human-tasks/digest';
import { knownTaskKind } from '../../domain/human-tasks/kinds';
import { approverDigestWorkflowId, WORKFLOW_TYPES } from '../../domain/names';
import type { Person } from '../../domain/schemas';
import type { Text } from '../../domain/said';
import { formatters, textTranslator } from '../../infra/i18n';
import { say } from '../../infra/i18n/said';
import { createTaskToken, taskLink } from '../../infra/task-token';
import { digestItemSignal, type ApproverDigestWorkflow, type DigestItemMessage } from '../../workflows/human-tasks/messages';
import { SEARCH_ATTRIBUTES } from '../../workflows/partnership/search-attributes';
import { messageIdFor, type ActivityContext } from '../activity-context';
import { composeEmail } from '../email-content';
import { handOverIfAway } from './out-of-office';

/*
 * The activities of human tasks: a task's email (handed to the delegate of
 * someone away), routed through the approver's digest when digests are on,
 * and the digest email itself.
 */

/** One task email: what a digest item carries (its delivery key makes a retried send deliver one copy), sent on its own. */
export type TaskEmailInput = Omit<DigestItem, 'taskKind'> & {
  /** The workflow that takes the decision, when not the task's own (a phase gate: its partnership); the link names it. */
  ownerWorkflowId?: string;
};

/**
 * Whether the digest links the kind `id` to its inbox (all of the approver's
 * tasks of that kind on one page). A kind this worker does not know (an older
 * worker than the run that wrote it, during a rolling deploy) has none: its
 * tasks are still listed one link each; a warning names the kind.
 */
function hasInbox(id: string): boolean {
  const kind = knownTaskKind(id);
  if (!kind) log.warn('digest lists a task of a kind this worker does not know, without an inbox link', { taskKind: id });
  return kind?.inbox ?? false;
}

export interface DigestEmailInput {
  deliveryKey: string;
  approver: Person;
  /** What the window collected; tasks decided since are left out of the email. */
  items: DigestItem[];
}

/**
 * The tasks still waiting on `approverEmail`: their approval workflow runs and
 * names them among its assignees (`MspApprovers`), so a task they handed over
 * while it waited for the digest is left out. A task that cannot be described
 * is treated as closed.
 */
async function stillOpen(taskIds: string[], approverEmail: string): Promise<Set<string>> {
  const client = Context.current().client;
  const open = new Set<string>();
  for (let i = 0; i < taskIds.length; i += 20) {
    await Promise.all(
      taskIds.slice(i, i + 20).map(async (id) => {
        const d = await client.workflow
          .getHandle(id)
          .describe()
          .catch(() => undefined);
        const holders = d?.typedSearchAttributes.get(SEARCH_ATTRIBUTES.approvers);
        if (d?.status.name === 'RUNNING' && (!holders || holders.includes(approverEmail.toLowerCase()))) open.add(id);
      }),
    );
  }
  return open;
}

/** Task and digest emails (activity names are stable: running workflows schedule them by name). */
export function humanTaskActivities(ctx: ActivityContext) {
  const { deps, languageFor, deliverOnce } = ctx;
  const activities = {
    async sendTaskEmail(input: TaskEmailInput): Promise<{ messageId: string; sent: boolean }> {
      // Away today: the task goes to the delegate (who gets their own email) and this one is never sent.
      if (await handOverIfAway(deps.registry, input)) return { messageId: messageIdFor(input.deliveryKey), sent: false };
      const token = createTaskToken(deps.taskLinkSecret, {
        taskId: input.taskId,
        email: input.approver.email,
        exp: Date.parse(input.expiresAt),
        ...(input.ownerWorkflowId ? { owner: input.ownerWorkflowId } : {}),
      });
      const language = await languageFor(input.approver, input.ownerWorkflowId ?? input.taskId);
      // Plain-text words (subject, text part): people's names and titles come isolated for bidi (see textTranslator).
      const t = textTranslator(language);
      const sayHere = (text: Text) => say(language, text, { plainText: true });
      const summary = sayHere(input.summary);
      const subject = t(`emails:task.subject.${input.reason}`, { title: input.partnershipTitle, summary });
      const body = composeEmail({
        language,
        subject,
        greeting: t('emails:greeting', { name: input.approver.name }),
        lines: [
          input.reason === 'delegated' && input.handover
            ? t(input.handover.kind === 'out-of-office' ? 'emails:task.handedOverAway' : 'emails:task.handedOver', { who: `${input.handover.from.name} <${input.handover.from.email}>`, reason: input.handover.reason })
            : input.reason === 'escalated'
            ? t('emails:task.escalated')
            : input.reason === 'reminder'
              ? t('emails:task.stillWaiting')
              : t('emails:task.asks', { who: actorDisplay(input.requestedBy), title: input.partnershipTitle }),
          t('emails:task.request', { summary }),
          ...input.details.map(sayHere),
          t('emails:task.decideBefore', { at: formatters(language).dateTime(input.expiresAt) }),
        ],
        link: { href: taskLink(deps.publicBaseUrl, token), label: t('emails:task.open') },
        footer: t('emails:footerTask'),
      });
      return deliverOnce(input.deliveryKey, input.approver, subject, body);
    },

    /**
     * A task email, through the approver's digest when digests are on: the
     * item is signalled to the approver's digest workflow (started if needed),
     * which sends it now or lists it in the next digest. A retried signal
     * carries the same delivery key, which the digest ignores the second time.
     */
    async routeTaskEmail(input: TaskEmailInput & { taskKind: string }): Promise<{ via: 'email' | 'digest' | 'delegate' }> {
      if (await handOverIfAway(deps.registry, input)) return { via: 'delegate' };
      const settings = deps.digest;
      if (!settings || settings.after <= 0) {
        await activities.sendTaskEmail(input);
        return { via: 'email' };
      }
      const { client, info } = Context.current();
      await client.workflow.signalWithStart<ApproverDigestWorkflow, [DigestItemMessage]>(WORKFLOW_TYPES.approverDigest, {
        workflowId: approverDigestWorkflowId(input.approver.email),
        taskQueue: info.taskQueue,
        args: [{ approver: input.approver, settings }],
        signal: digestItemSignal,
        signalArgs: [{ item: input, settings }],
        staticSummary: `Task email digest for ${input.approver.email}`,
      });
      return { via: 'digest' };
    },

    /** One email listing the window's collected tasks that are still open, with a link to decide them together. */
    async sendDigestEmail(input: DigestEmailInput): Promise<{ messageId?: string; sent: boolean; listed: number }> {
      const open = await stillOpen(input.items.map((i) => i.taskId), input.approver.email);
      const items = input.items.filter((i) => open.has(i.taskId));
      if (items.length === 0) return { sent: false, listed: 0 };
      const inboxKinds = [...new Set(items.map((i) => i.taskKind))].filter(hasInbox);
      const language = await languageFor(input.approver, items[0].taskId);
      const t = textTranslator(language);
      const when = formatters(language).dateTime;
      const inboxLinks = inboxKinds.map((kind) => {
        const ofKind = items.filter((i) => i.taskKind === kind);
        const exp = Math.max(...ofKind.map((i) => Date.parse(i.expiresAt)));
        const token = createTaskToken(deps.taskLinkSecret, { taskId: kind, email: input.approver.email, exp, kind: 'inbox' });
        return { href: taskLink(deps.publicBaseUrl, token, 'inbox'), label: t('emails:digest.inbox', { kind: t(`emails:digest.kind.${kind}`) }) };
      });
      const subject = t('emails:digest.subject', { count: items.length });
      const body = composeEmail({
        language,
        subject,
        greeting: t('emails:greeting', { name: input.approver.name }),
        lines: [t('emails:digest.intro', { count: items.length })],
        list: items.map((i) => ({
          text: [
            t('emails:digest.item', { title: i.partnershipTitle, summary: say(language, i.summary, { plainText: true }), at: when(i.expiresAt) }),
            ...(i.reason === 'reminder' ? [t('emails:digest.reminder')] : i.reason === 'escalated' ? [t('emails:digest.escalated')] : []),
          ].join(' '),
          href: taskLink(deps.publicBaseUrl, createTaskToken(deps.taskLinkSecret, { taskId: i.taskId, email: input.approver.email, exp: Date.parse(i.expiresAt) })),
        })),
        ...(inboxLinks[0] ? { link: inboxLinks[0] } : {}),
        footer: t('emails:footerLinks'),
      });
      const result = await deliverOnce(input.deliveryKey, input.approver, subject, body);
      return { ...result, listed: items.length };
    },
  };
  return activities;
}
