import { createHash } from 'node:crypto';
import { log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { phaseDocumentFacts, type PartnershipState, type DocumentRef, type PhaseDocumentFacts } from '../domain/partnership-state';
import type { PhaseId } from '../domain/phases';
import { agreementKind, type OnboardingState } from '../domain/onboarding-state';
import type { DocumentKind, FundingChannelRecord, PartnerMembership, Person, TransitionRecord } from '../domain/schemas';
import type { FundingChannelRequest } from '../domain/funding';
import { buildFundingAgreementModel } from './documents/funding-agreement';
import { buildMelReportModel } from './documents/mel-report';
import type { ReviewState } from '../domain/review';
import { buildAgreementModel } from './documents/agreement';
import type { Mailer } from '../infra/mailer';
import type { Store } from '../infra/store/store';
import { createTaskToken, taskLink } from '../infra/task-token';
import { buildDocumentModel, DOCUMENT_KIND_BY_PHASE, type DocumentModel } from './documents/content';
import { renderHtml } from './documents/render-html';
import { renderPdf } from './documents/render-pdf';
import { composeEmail } from './email-content';
import type { RegistryClient } from './registry-client';

export interface ActivityDeps {
  mailer: Mailer;
  registry: RegistryClient;
  /** Holds the mail sent-log that makes emails idempotent. */
  store: Store;
  publicBaseUrl: string;
  taskLinkSecret: string;
}

export interface TaskEmailInput {
  /** Same key ⇒ same email: retries and replays never deliver a second copy. */
  deliveryKey: string;
  reason: 'assigned' | 'reminder' | 'escalated';
  taskId: string;
  approver: Person;
  partnershipTitle: string;
  summary: string;
  details: string[];
  requestedBy: string;
  expiresAt: string;
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

  /** Renders a document model as PDF and HTML and stores it under a deterministic id (a retry stores nothing new). */
  async function storeDocument(
    id: string,
    model: DocumentModel,
    meta: { partnershipId: string; kind: DocumentKind; cycle: number; phase: PhaseId },
    at: string,
  ): Promise<DocumentRef> {
    const pdf = await renderPdf(model, new Date(at));
    const { url } = await deps.registry.putDocument(id, { ...meta, title: model.title, html: renderHtml(model), pdfBase64: pdf.toString('base64') });
    return { id, kind: meta.kind, title: model.title, url, phase: meta.phase, cycle: meta.cycle };
  }

  return {
    async sendTaskEmail(input: TaskEmailInput): Promise<{ messageId: string; sent: boolean }> {
      const token = createTaskToken(deps.taskLinkSecret, {
        taskId: input.taskId,
        email: input.approver.email,
        exp: Date.parse(input.expiresAt),
      });
      const prefix = { assigned: 'Decision needed', reminder: 'Reminder: decision needed', escalated: 'Escalated: decision needed' }[
        input.reason
      ];
      const subject = `${prefix} — ${input.partnershipTitle}: ${input.summary}`;
      const body = composeEmail({
        greeting: `Dear ${input.approver.name},`,
        lines: [
          input.reason === 'escalated'
            ? 'This request has been escalated to you because it was not decided in time.'
            : input.reason === 'reminder'
              ? 'This request is still waiting for your decision.'
              : `${input.requestedBy} asks for your decision on the partnership "${input.partnershipTitle}".`,
          `Request: ${input.summary}.`,
          ...input.details,
          `Please decide before ${input.expiresAt.replace('T', ' ').slice(0, 16)} UTC.`,
        ],
        link: { href: taskLink(deps.publicBaseUrl, token), label: 'Open the request' },
        footer: 'The link is personal to you and works once. Opening it changes nothing until you submit your decision.',
      });
      return deliverOnce(input.deliveryKey, input.approver, subject, body);
    },

    async sendNotification(input: NotificationInput): Promise<{ messageId: string; sent: boolean }> {
      const body = composeEmail({ greeting: `Dear ${input.to.name},`, lines: input.lines });
      return deliverOnce(input.deliveryKey, input.to, input.subject, body);
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
      const model = buildAgreementModel(input.state);
      return storeDocument(id, model, { partnershipId: r.partnershipId, kind, cycle: r.invitedInCycle, phase: r.invitedInPhase }, input.at);
    },

    async recordMembership(input: { partnerId: string; partnershipId: string; membership: PartnerMembership }): Promise<{ created: boolean }> {
      return deps.registry.putMembership(input.partnerId, input.partnershipId, input.membership);
    },

    async createFundingAgreement(input: { request: FundingChannelRequest; decidedBy: string; at: string }): Promise<DocumentRef> {
      const r = input.request;
      const model = buildFundingAgreementModel(r, input.decidedBy, input.at);
      return storeDocument(`${r.channelId}.funding-agreement`, model, { partnershipId: r.partnershipId, kind: 'funding-agreement', cycle: r.cycle, phase: r.phase }, input.at);
    },

    async recordFundingChannel(input: { id: string; record: FundingChannelRecord }): Promise<{ created: boolean }> {
      return deps.registry.putFundingChannel(input.id, input.record);
    },

    async createReviewReport(input: { state: ReviewState; at: string }): Promise<DocumentRef> {
      const r = input.state.request;
      const model = buildMelReportModel(input.state, input.at);
      return storeDocument(`${r.reviewId}.mel-report`, model, { partnershipId: r.partnershipId, kind: 'mel-report', cycle: r.cycle, phase: r.phase }, input.at);
    },

    async createPhaseDocument(input: PhaseDocumentInput): Promise<DocumentRef> {
      const { phase } = input;
      const state = input.facts ?? (input.state ? phaseDocumentFacts(input.state, phase) : undefined);
      if (!state) throw ApplicationFailure.nonRetryable('createPhaseDocument needs the facts of the phase', 'Invalid');
      const { kind } = DOCUMENT_KIND_BY_PHASE[phase];
      const id = `${state.id}.c${state.cycle}.${kind}`;
      const model = buildDocumentModel(state, phase);
      return storeDocument(id, model, { partnershipId: state.id, kind, cycle: state.cycle, phase }, input.at);
    },

    async recordTransition(input: { id: string; record: TransitionRecord }): Promise<{ created: boolean }> {
      return deps.registry.putTransition(input.id, input.record);
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
