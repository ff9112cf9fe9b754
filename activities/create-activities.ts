import { createHash } from 'node:crypto';
import { log } from '@temporalio/activity';
import type { PartnershipState, DocumentRef } from '../domain/partnership-state';
import type { PhaseId } from '../domain/phases';
import type { Person, TransitionRecord } from '../domain/schemas';
import type { Mailer } from '../infra/mailer';
import type { Store } from '../infra/store/store';
import { createTaskToken, taskLink } from '../infra/task-token';
import { buildDocumentModel, DOCUMENT_KIND_BY_PHASE } from './documents/content';
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

export interface PhaseDocumentInput {
  state: PartnershipState;
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
    await deps.mailer.send({ messageId, to: `${to.name} <${to.email}>`, subject, ...body });
    await deps.store.recordMailSent(messageId, to.email, subject);
    return { messageId, sent: true };
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

    async createPhaseDocument(input: PhaseDocumentInput): Promise<DocumentRef> {
      const { state, phase } = input;
      const { kind } = DOCUMENT_KIND_BY_PHASE[phase];
      const id = `${state.id}.c${state.cycle}.${kind}`;
      const model = buildDocumentModel(state, phase);
      const pdf = await renderPdf(model, new Date(input.at));
      const { url } = await deps.registry.putDocument(id, {
        partnershipId: state.id,
        kind,
        title: model.title,
        cycle: state.cycle,
        phase,
        html: renderHtml(model),
        pdfBase64: pdf.toString('base64'),
      });
      return { id, kind, title: model.title, url, phase, cycle: state.cycle };
    },

    async recordTransition(input: { id: string; record: TransitionRecord }): Promise<{ created: boolean }> {
      return deps.registry.putTransition(input.id, input.record);
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
