import { createHash } from 'node:crypto';
import { Context, log } from '@temporalio/activity';
import type { DocumentRef } from '../domain/documents/documents';
import type { DocumentKind } from '../domain/documents/schemas';
import type { DigestSettings } from '../domain/human-tasks/digest';
import { pickLanguage, supportedLanguage, type Language } from '../domain/language';
import type { PhaseId } from '../domain/partnership/phases';
import type { Person } from '../domain/schemas';
import type { Mailer } from '../infra/mailer';
import { partnershipStateQuery } from '../workflows/partnership/messages';
import { pageFurniture } from './documents/render-html';
import { renderDocumentHtml, type DocumentSource } from './documents/sources';
import type { RegistryClient } from './registry-client';

/*
 * What every capability's activities share (create-activities.ts composes
 * them): the dependencies the worker injects, the partnership's language
 * asked once a minute at most, email delivered at most once per delivery
 * key, and documents rendered and stored once under a deterministic id.
 */

export interface ActivityDeps {
  mailer: Mailer;
  /** The API: registry and document writes, the mail sent-log that makes emails idempotent, out-of-office lookups. */
  registry: RegistryClient;
  publicBaseUrl: string;
  taskLinkSecret: string;
  /** Approver digests; absent or `after: 0` sends every task email on its own, as before digests existed. */
  digest?: DigestSettings;
}

/** The Message-ID of the email sent for `deliveryKey` (`<32 hex digits@msp-orchestrator>`): the key of the mail sent-log. */
export function messageIdFor(deliveryKey: string): string {
  return `<${createHash('sha256').update(deliveryKey).digest('hex').slice(0, 32)}@msp-orchestrator>`;
}

/** The partnership a task, onboarding, review or delivery key belongs to: every such id starts with the partnership's id. */
const partnershipIdOf = (id: string) => id.split(/[./]/)[0];

/** The shared helpers of one `createActivities` call: its dependencies and the partnership-language cache they keep. */
export function createActivityContext(deps: ActivityDeps) {
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

  return { deps, partnershipLanguage, languageFor, deliverOnce, storeDocument };
}

export type ActivityContext = ReturnType<typeof createActivityContext>;
