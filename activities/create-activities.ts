import { createHash } from 'node:crypto';
import { actorDisplay } from '../domain/actor';
import { Context, log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { phaseDocumentFacts, type PartnershipState, type DocumentRef, type PhaseDocumentFacts } from '../domain/partnership-state';
import type { PhaseId } from '../domain/phases';
import { agreementKind, type OnboardingState } from '../domain/onboarding-state';
import type { DocumentKind, FundingChannelRecord, PartnerMembership, Person, TransitionRecord } from '../domain/schemas';
import type { FundingChannelRequest } from '../domain/funding';
import type { ReviewState } from '../domain/review';
import type { Mailer } from '../infra/mailer';
import type { Store } from '../infra/store/store';
import { createTaskToken, taskLink } from '../infra/task-token';
import { INBOX_TASK_KINDS, type ApprovalTaskKind } from '../domain/approval-state';
import type { DigestItem, DigestSettings } from '../domain/digest';
import { approverDigestWorkflowId } from '../domain/names';
import { approverDigestWorkflow, digestItemSignal } from '../workflows/approver-digest';
import { DOCUMENT_KIND_BY_PHASE } from './documents/content';
import type { PdfPrinter } from './documents/pdf-printer';
import { renderDocument, type DocumentSource } from './documents/sources';
import { pickLanguage, type Language } from '../domain/language';
import { partnershipStateQuery } from '../workflows/partnership';
import { composeEmail } from './email-content';
import { handOverIfAway } from './out-of-office';
import type { RegistryClient } from './registry-client';

export interface ActivityDeps {
  mailer: Mailer;
  registry: RegistryClient;
  /** Holds the mail sent-log that makes emails idempotent. */
  store: Store;
  publicBaseUrl: string;
  taskLinkSecret: string;
  /** Approver digests; absent or `after: 0` sends every task email on its own, as before digests existed. */
  digest?: DigestSettings;
  /** Prints documents to PDF (one browser per worker process; the worker closes it on shutdown). */
  printer: PdfPrinter;
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

function messageIdFor(deliveryKey: string): string {
  return `<${createHash('sha256').update(deliveryKey).digest('hex').slice(0, 32)}@msp-orchestrator>`;
}

const fmt = (iso: string) => `${iso.replace('T', ' ').slice(0, 16)} UTC`;

/** Whether each task's approval workflow is still running; a task that cannot be described is treated as closed. */
async function stillOpen(taskIds: string[]): Promise<Set<string>> {
  const client = Context.current().client;
  const open = new Set<string>();
  for (let i = 0; i < taskIds.length; i += 20) {
    await Promise.all(
      taskIds.slice(i, i + 20).map(async (id) => {
        const d = await client.workflow
          .getHandle(id)
          .describe()
          .catch(() => undefined);
        if (d?.status.name === 'RUNNING') open.add(id);
      }),
    );
  }
  return open;
}

export function createActivities(deps: ActivityDeps) {
  async function deliverOnce(deliveryKey: string, to: Person, subject: string, body: { text: string; html: string }) {
    const messageId = messageIdFor(deliveryKey);
    if (await deps.store.wasMailSent(messageId)) {
      log.info('email already sent; not sending again', { messageId, to: to.email });
      return { messageId, sent: false };
    }
    await deps.mailer.send({ messageId, to: { name: to.name, address: to.email }, subject, ...body });
    await deps.store.recordMailSent(messageId, to.email, subject);
    return { messageId, sent: true };
  }

  /**
   * Renders a document in the partnership's language as HTML and PDF and
   * stores it, with what it was built from, under a deterministic id: a
   * retry stores nothing new and answers the same reference.
   */
  async function storeDocument(
    id: string,
    source: DocumentSource,
    language: Language,
    meta: { partnershipId: string; kind: DocumentKind; cycle: number; phase: PhaseId },
  ): Promise<DocumentRef> {
    const { model, html, pdf } = await renderDocument(source, language, deps.printer);
    // The title as lists show it: without the bidi isolates that set names apart inside an Arabic title.
    const title = model.title.replace(/[\u2066-\u2069]/g, '');
    const { url } = await deps.registry.putDocument(id, { ...meta, title, html, pdfBase64: pdf.toString('base64'), language, source });
    return { id, kind: meta.kind, title, url, phase: meta.phase, cycle: meta.cycle };
  }

  /**
   * The working language of a partnership whose document a child workflow
   * asks for (an agreement, a funding agreement, a MEL report): their
   * requests do not carry it, so the partnership is asked. English when it
   * cannot answer (e.g. outside a worker).
   */
  async function partnershipLanguage(partnershipId: string): Promise<Language> {
    const known = languages.get(partnershipId);
    if (known) return known;
    try {
      const view = (await Context.current().client.workflow.getHandle(partnershipId).query(partnershipStateQuery)) as { language?: string; input?: { language?: string } };
      const language = pickLanguage(view.language, view.input?.language);
      languages.set(partnershipId, language);
      if (languages.size > 1000) languages.delete(languages.keys().next().value!);
      return language;
    } catch (err) {
      log.warn('could not ask the partnership for its language; writing the document in English', { partnershipId, err: String(err) });
      return pickLanguage();
    }
  }
  const languages = new Map<string, Language>();

  const activities = {
    async sendTaskEmail(input: TaskEmailInput): Promise<{ messageId: string; sent: boolean }> {
      // Away today: the task goes to the delegate (who gets their own email) and this one is never sent.
      if (await handOverIfAway(deps.store, input)) return { messageId: messageIdFor(input.deliveryKey), sent: false };
      const token = createTaskToken(deps.taskLinkSecret, {
        taskId: input.taskId,
        email: input.approver.email,
        exp: Date.parse(input.expiresAt),
        ...(input.ownerWorkflowId ? { owner: input.ownerWorkflowId } : {}),
      });
      const prefix = {
        assigned: 'Decision needed',
        reminder: 'Reminder: decision needed',
        escalated: 'Escalated: decision needed',
        delegated: 'Handed to you: decision needed',
      }[input.reason];
      const subject = `${prefix} — ${input.partnershipTitle}: ${input.summary}`;
      const body = composeEmail({
        greeting: `Dear ${input.approver.name},`,
        lines: [
          input.reason === 'delegated' && input.handover
            ? `${input.handover.from.name} <${input.handover.from.email}> handed this request to you${input.handover.kind === 'out-of-office' ? ' while out of office' : ''}: "${input.handover.reason}".`
            : input.reason === 'escalated'
            ? 'This request has been escalated to you because it was not decided in time.'
            : input.reason === 'reminder'
              ? 'This request is still waiting for your decision.'
              : `${actorDisplay(input.requestedBy)} asks for your decision on the partnership "${input.partnershipTitle}".`,
          `Request: ${input.summary}.`,
          ...input.details,
          `Please decide before ${input.expiresAt.replace('T', ' ').slice(0, 16)} UTC.`,
        ],
        link: { href: taskLink(deps.publicBaseUrl, token), label: 'Open the request' },
        footer: 'The link is personal to you and works once. Opening it changes nothing until you submit your decision.',
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
      if (await handOverIfAway(deps.store, input)) return { via: 'delegate' };
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
      const open = await stillOpen(input.items.map((i) => i.taskId));
      const items = input.items.filter((i) => open.has(i.taskId));
      if (items.length === 0) return { sent: false, listed: 0 };
      const inboxKinds = [...new Set(items.map((i) => i.taskKind))].filter((k) => INBOX_TASK_KINDS.includes(k));
      const inboxLinks = inboxKinds.map((kind) => {
        const ofKind = items.filter((i) => i.taskKind === kind);
        const exp = Math.max(...ofKind.map((i) => Date.parse(i.expiresAt)));
        const token = createTaskToken(deps.taskLinkSecret, { taskId: kind, email: input.approver.email, exp, kind: 'inbox' });
        return { href: taskLink(deps.publicBaseUrl, token, 'inbox'), label: `Decide all your waiting ${INBOX_TITLES[kind]} on one page` };
      });
      const body = composeEmail({
        greeting: `Dear ${input.approver.name},`,
        lines: [
          `${items.length} request${items.length === 1 ? ' is' : 's are'} waiting for your decision. Rather than one email each, here they are together.`,
        ],
        list: items.map((i) => ({
          text: `${i.partnershipTitle}: ${i.summary} — decide before ${fmt(i.expiresAt)}${i.reason === 'reminder' ? ' (reminder)' : i.reason === 'escalated' ? ' (escalated to you)' : ''}`,
          href: taskLink(deps.publicBaseUrl, createTaskToken(deps.taskLinkSecret, { taskId: i.taskId, email: input.approver.email, exp: Date.parse(i.expiresAt) })),
        })),
        ...(inboxLinks[0] ? { link: inboxLinks[0] } : {}),
        footer:
          'The links are personal to you. Opening them changes nothing until you submit a decision. Requests that arrive meanwhile come in the next digest.',
      });
      const subject = `${items.length} decision${items.length === 1 ? '' : 's'} waiting for you`;
      const result = await deliverOnce(input.deliveryKey, input.approver, subject, body);
      return { ...result, listed: items.length };
    },

    async sendNotification(input: NotificationInput): Promise<{ messageId: string; sent: boolean }> {
      const body = composeEmail({ greeting: `Dear ${input.to.name},`, lines: input.lines });
      return deliverOnce(input.deliveryKey, input.to, input.subject, body);
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

    async sendPartnerEmail(input: PartnerEmailInput): Promise<{ messageId: string; sent: boolean }> {
      const link = input.linkExpiresAt
        ? {
            href: taskLink(
              deps.publicBaseUrl,
              createTaskToken(deps.taskLinkSecret, {
                taskId: input.onboardingId,
                email: input.to.email,
                exp: Date.parse(input.linkExpiresAt),
                kind: input.linkKind ?? 'onboarding',
              }),
              input.linkKind ?? 'onboarding',
            ),
            label: input.linkLabel ?? 'Open your invitation',
          }
        : undefined;
      const body = composeEmail({
        greeting: `Dear ${input.to.name},`,
        lines: input.lines,
        ...(link ? { link, footer: 'This link is personal to you. Opening it changes nothing until you submit the form.' } : {}),
      });
      return deliverOnce(input.deliveryKey, input.to, input.subject, body);
    },

    async createPartnerAgreement(input: { state: OnboardingState; at: string }): Promise<DocumentRef> {
      const r = input.state.request;
      const kind = agreementKind(r);
      const id = `${r.onboardingId}.${kind}`;
      const language = await partnershipLanguage(r.partnershipId);
      return storeDocument(id, { kind: 'agreement', state: input.state }, language, { partnershipId: r.partnershipId, kind, cycle: r.invitedInCycle, phase: r.invitedInPhase });
    },

    async recordMembership(input: { partnerId: string; partnershipId: string; membership: PartnerMembership }): Promise<{ created: boolean }> {
      return deps.registry.putMembership(input.partnerId, input.partnershipId, input.membership);
    },

    async createFundingAgreement(input: { request: FundingChannelRequest; decidedBy: string; at: string }): Promise<DocumentRef> {
      const r = input.request;
      const source: DocumentSource = { kind: 'funding-agreement', request: r, decidedBy: input.decidedBy, at: input.at };
      const language = await partnershipLanguage(r.partnershipId);
      return storeDocument(`${r.channelId}.funding-agreement`, source, language, { partnershipId: r.partnershipId, kind: 'funding-agreement', cycle: r.cycle, phase: r.phase });
    },

    async recordFundingChannel(input: { id: string; record: FundingChannelRecord }): Promise<{ created: boolean }> {
      return deps.registry.putFundingChannel(input.id, input.record);
    },

    async createReviewReport(input: { state: ReviewState; at: string }): Promise<DocumentRef> {
      const r = input.state.request;
      const language = await partnershipLanguage(r.partnershipId);
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

const INBOX_TITLES: Record<ApprovalTaskKind, string> = {
  'partner-approval': 'partner approvals',
  gate: 'phase gates',
  'review-decision': 'review decisions',
  'funding-channel': 'financial channels',
};

export type Activities = ReturnType<typeof createActivities>;
