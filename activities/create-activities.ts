import { createHash } from 'node:crypto';
import { actorDisplay } from '../domain/actor';
import { Context, log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { phaseDocumentFacts, type PartnershipState, type DocumentRef, type PhaseDocumentFacts } from '../domain/partnership/partnership-state';
import type { PhaseId } from '../domain/partnership/phases';
import { agreementKind, type OnboardingState } from '../domain/partners/onboarding-state';
import type { DocumentKind, FundingChannelRecord, PartnerMembership, Person, TransitionRecord } from '../domain/schemas';
import type { FundingChannelRequest } from '../domain/resources/funding';
import type { ReviewState } from '../domain/reviews/review';
import type { Mailer } from '../infra/mailer';
import { createTaskToken, taskLink } from '../infra/task-token';
import { INBOX_TASK_KINDS, type ApprovalTaskKind } from '../domain/human-tasks/approval-state';
import type { DigestItem, DigestSettings } from '../domain/human-tasks/digest';
import { approverDigestWorkflowId } from '../domain/names';
import { approverDigestWorkflow, digestItemSignal } from '../workflows/human-tasks/approver-digest';
import { DOCUMENT_KIND_BY_PHASE } from './documents/content';
import { pageFurniture } from './documents/render-html';
import { renderDocumentHtml, type DocumentSource } from './documents/sources';
import { composeEmail } from './email-content';
import { handOverIfAway } from './human-tasks/out-of-office';
import { pickLanguage, supportedLanguage, type Language } from '../domain/language';
import { formatters, textTranslator } from '../infra/i18n';
import { localiseSubject, localiseText } from '../infra/i18n/workflow-text';
import { partnershipStateQuery } from '../workflows/partnership/partnership';
import type { RegistryClient } from './registry-client';
import { SEARCH_ATTRIBUTES } from '../workflows/partnership/search-attributes';

export interface ActivityDeps {
  mailer: Mailer;
  /** The API: registry and document writes, the mail sent-log that makes emails idempotent, out-of-office lookups. */
  registry: RegistryClient;
  publicBaseUrl: string;
  taskLinkSecret: string;
  /** Approver digests; absent or `after: 0` sends every task email on its own, as before digests existed. */
  digest?: DigestSettings;
}

/** One task email: what a digest item carries (its delivery key makes a retried send deliver one copy), sent on its own. */
export type TaskEmailInput = Omit<DigestItem, 'taskKind'> & {
  /** The workflow that takes the decision, when not the task's own (a phase gate: its partnership); the link names it. */
  ownerWorkflowId?: string;
};

export interface DigestEmailInput {
  deliveryKey: string;
  approver: Person;
  /** What the window collected; tasks decided since are left out of the email. */
  items: DigestItem[];
}

export interface NotificationInput {
  deliveryKey: string;
  to: Person;
  subject: string;
  lines: string[];
  /**
   * The partnership's working language as its workflow holds it (null: none
   * named), for a recipient who has none of their own. Absent from runs
   * before it was sent: the partnership is then asked (a query).
   */
  partnershipLanguage?: string | null;
}

export interface PartnerEmailInput {
  deliveryKey: string;
  /** The workflow the link acts on (an onboarding, or a review with linkKind "review"). */
  onboardingId: string;
  linkKind?: 'onboarding' | 'review';
  to: Person;
  subject: string;
  lines: string[];
  /** With a link: the contact's personal onboarding page, valid until this time. */
  linkExpiresAt?: string;
  /** Ignored: the link's label comes from the catalogue by `linkKind`, in the recipient's language (runs still send it). */
  linkLabel?: string;
}

export interface PhaseDocumentInput {
  /** What the document is built from (see `phaseDocumentFacts`). */
  facts?: PhaseDocumentFacts;
  /** The whole state, as runs before `facts` existed sent it; still accepted for their retries. */
  state?: PartnershipState;
  phase: PhaseId;
  /** Workflow time of the gate, so the document (and its PDF bytes) are the same on retry. */
  at: string;
}

/** The Message-ID of the email sent for `deliveryKey` (`<32 hex digits@msp-orchestrator>`): the key of the mail sent-log. */
export function messageIdFor(deliveryKey: string): string {
  return `<${createHash('sha256').update(deliveryKey).digest('hex').slice(0, 32)}@msp-orchestrator>`;
}

/** The partnership a task, onboarding, review or delivery key belongs to: every such id starts with the partnership's id. */
const partnershipIdOf = (id: string) => id.split(/[./]/)[0];

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

export function createActivities(deps: ActivityDeps) {
  // Partnerships' languages, asked once a minute at most: most emails go to people who name their own.
  const partnershipLanguages = new Map<string, { language: string | undefined; until: number }>();

  /** The partnership's working language, or undefined when it names none or cannot be asked (two seconds at most). */
  async function partnershipLanguage(partnershipId: string): Promise<string | undefined> {
    const known = partnershipLanguages.get(partnershipId);
    if (known && known.until > Date.now()) return known.language;
    let language: string | undefined;
    try {
      const { client } = Context.current();
      const view = await client.connection.withDeadline(Date.now() + 2000, () => client.workflow.getHandle(partnershipId).query(partnershipStateQuery));
      language = view.language;
    } catch {
      language = undefined;
    }
    if (partnershipLanguages.size > 1000) partnershipLanguages.clear();
    partnershipLanguages.set(partnershipId, { language, until: Date.now() + 60_000 });
    return language;
  }

  /** An email's language: the recipient's own, then their partnership's, then English. */
  async function languageFor(to: Person, relatedId: string): Promise<Language> {
    return supportedLanguage(to.language) ?? pickLanguage(await partnershipLanguage(partnershipIdOf(relatedId)));
  }

  /**
   * Sends an email at most once per delivery key: the API's sent-log is asked
   * first and told after. A crash, or the API out of reach, between the
   * SMTP server's "accepted" and the record is the one window in which a retry
   * sends again. The API unreachable before the send fails the attempt
   * (retryable) with nothing sent.
   */
  async function deliverOnce(deliveryKey: string, to: Person, subject: string, body: { text: string; html: string }) {
    const messageId = messageIdFor(deliveryKey);
    if (await deps.registry.wasMailSent(messageId)) {
      log.info('email already sent; not sending again', { messageId, to: to.email });
      return { messageId, sent: false };
    }
    await deps.mailer.send({ messageId, to: { name: to.name, address: to.email }, subject, ...body });
    await deps.registry.recordMailSent(messageId, { recipient: to.email, subject });
    return { messageId, sent: true };
  }

  /**
   * Renders a document in the partnership's language as HTML, with its PDF's
   * running header and footer, and stores it with what it was built from,
   * under a deterministic id: a retry stores nothing new and answers the same
   * reference. The PDF is typeset by the API when someone first asks for it
   * (`api/documents/documents.ts`), so no gate, onboarding or review waits for
   * a browser, and the worker runs none.
   */
  async function storeDocument(
    id: string,
    source: DocumentSource,
    language: Language,
    meta: { partnershipId: string; kind: DocumentKind; cycle: number; phase: PhaseId },
  ): Promise<DocumentRef> {
    const { model, html } = renderDocumentHtml(source, language);
    // The title as lists show it: without the bidi isolates that set names apart inside an Arabic title.
    const title = model.title.replace(/[\u2066-\u2069]/g, '');
    const { url } = await deps.registry.putDocument(id, { ...meta, title, html, furniture: pageFurniture(model), language, source });
    return { id, kind: meta.kind, title, url, phase: meta.phase, cycle: meta.cycle };
  }


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
      const say = (text: string) => localiseText(language, text, true);
      const summary = say(input.summary);
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
          ...input.details.map(say),
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
    async routeTaskEmail(input: TaskEmailInput & { taskKind: ApprovalTaskKind }): Promise<{ via: 'email' | 'digest' | 'delegate' }> {
      if (await handOverIfAway(deps.registry, input)) return { via: 'delegate' };
      const settings = deps.digest;
      if (!settings || settings.after <= 0) {
        await activities.sendTaskEmail(input);
        return { via: 'email' };
      }
      const { client, info } = Context.current();
      await client.workflow.signalWithStart(approverDigestWorkflow, {
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
      const inboxKinds = [...new Set(items.map((i) => i.taskKind))].filter((k) => INBOX_TASK_KINDS.includes(k));
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
            t('emails:digest.item', { title: i.partnershipTitle, summary: localiseText(language, i.summary, true), at: when(i.expiresAt) }),
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

    /** A notice the workflow wrote (in English), sent in the recipient's language (see infra/i18n/workflow-text.ts). */
    async sendNotification(input: NotificationInput): Promise<{ messageId: string; sent: boolean }> {
      const language =
        input.partnershipLanguage !== undefined
          ? pickLanguage(input.to.language, input.partnershipLanguage)
          : await languageFor(input.to, input.deliveryKey);
      const subject = localiseSubject(language, input.subject);
      const body = composeEmail({
        language,
        subject,
        greeting: textTranslator(language)('emails:greeting', { name: input.to.name }),
        lines: input.lines.map((l) => localiseText(language, l, true)),
      });
      return deliverOnce(input.deliveryKey, input.to, subject, body);
    },

    /**
     * Several partner emails in one activity: a review asking 300 focal points
     * at once scheduled 300 activities, and the events they buffered while one
     * workflow task ran made the server refuse that task. A retry resends only
     * what the sent-log does not hold, so each email still goes out once.
     *
     * @returns how many were sent now (the rest had been sent by an earlier attempt)
     */
    async sendPartnerEmails(inputs: PartnerEmailInput[]): Promise<{ sent: number; alreadySent: number }> {
      let sent = 0;
      for (const input of inputs) {
        if ((await activities.sendPartnerEmail(input)).sent) sent += 1;
      }
      return { sent, alreadySent: inputs.length - sent };
    },

    /** An email to a partner's contact or focal point, with their personal link, in their language. */
    async sendPartnerEmail(input: PartnerEmailInput): Promise<{ messageId: string; sent: boolean }> {
      const language = await languageFor(input.to, input.onboardingId);
      const t = textTranslator(language);
      const kind = input.linkKind ?? 'onboarding';
      const link = input.linkExpiresAt
        ? {
            href: taskLink(
              deps.publicBaseUrl,
              createTaskToken(deps.taskLinkSecret, { taskId: input.onboardingId, email: input.to.email, exp: Date.parse(input.linkExpiresAt), kind }),
              kind,
            ),
            label: kind === 'review' ? t('emails:openReview') : t('emails:openInvitation'),
          }
        : undefined;
      const subject = localiseSubject(language, input.subject);
      const body = composeEmail({
        language,
        subject,
        greeting: t('emails:greeting', { name: input.to.name }),
        lines: input.lines.map((l) => localiseText(language, l, true)),
        ...(link ? { link, footer: t('emails:footerForm') } : {}),
      });
      return deliverOnce(input.deliveryKey, input.to, subject, body);
    },

    async createPartnerAgreement(input: { state: OnboardingState; at: string }): Promise<DocumentRef> {
      const r = input.state.request;
      const kind = agreementKind(r);
      const id = `${r.onboardingId}.${kind}`;
      const language = pickLanguage(await partnershipLanguage(r.partnershipId));
      return storeDocument(id, { kind: 'agreement', state: input.state }, language, { partnershipId: r.partnershipId, kind, cycle: r.invitedInCycle, phase: r.invitedInPhase });
    },

    async recordMembership(input: { partnerId: string; partnershipId: string; membership: PartnerMembership }): Promise<{ created: boolean }> {
      return deps.registry.putMembership(input.partnerId, input.partnershipId, input.membership);
    },

    async createFundingAgreement(input: { request: FundingChannelRequest; decidedBy: string; at: string }): Promise<DocumentRef> {
      const r = input.request;
      const source: DocumentSource = { kind: 'funding-agreement', request: r, decidedBy: input.decidedBy, at: input.at };
      const language = pickLanguage(await partnershipLanguage(r.partnershipId));
      return storeDocument(`${r.channelId}.funding-agreement`, source, language, { partnershipId: r.partnershipId, kind: 'funding-agreement', cycle: r.cycle, phase: r.phase });
    },

    async recordFundingChannel(input: { id: string; record: FundingChannelRecord }): Promise<{ created: boolean }> {
      return deps.registry.putFundingChannel(input.id, input.record);
    },

    async createReviewReport(input: { state: ReviewState; at: string }): Promise<DocumentRef> {
      const r = input.state.request;
      const language = pickLanguage(await partnershipLanguage(r.partnershipId));
      return storeDocument(`${r.reviewId}.mel-report`, { kind: 'mel-report', state: input.state, at: input.at }, language, { partnershipId: r.partnershipId, kind: 'mel-report', cycle: r.cycle, phase: r.phase });
    },

    async createPhaseDocument(input: PhaseDocumentInput): Promise<DocumentRef> {
      const { phase } = input;
      const state = input.facts ?? (input.state ? phaseDocumentFacts(input.state, phase) : undefined);
      if (!state) throw ApplicationFailure.nonRetryable('createPhaseDocument needs the facts of the phase', 'Invalid');
      const { kind } = DOCUMENT_KIND_BY_PHASE[phase];
      const id = `${state.id}.c${state.cycle}.${kind}`;
      return storeDocument(id, { kind: 'phase', phase, facts: state }, pickLanguage(state.input.language), { partnershipId: state.id, kind, cycle: state.cycle, phase });
    },

    async recordTransition(input: { id: string; record: TransitionRecord }): Promise<{ created: boolean }> {
      return deps.registry.putTransition(input.id, input.record);
    },
  };
  return activities;
}


export type Activities = ReturnType<typeof createActivities>;
