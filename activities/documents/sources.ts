import type { FundingChannelRequest } from '../../domain/resources/funding';
import type { OnboardingState } from '../../domain/partners/onboarding-state';
import type { PhaseDocumentFacts } from '../../domain/partnership/document-facts';
import type { PhaseId } from '../../domain/partnership/phases';
import type { ReviewState } from '../../domain/reviews/review';
import { translator, type Language } from '../../infra/i18n';
import { DOCUMENT_SOURCE_KINDS } from '../../domain/documents/schemas';
import { buildAgreementModel } from './agreement';
import type { DocumentModel } from './document-model';
import { buildDocumentModel } from './phase-document';
import { buildFundingAgreementModel } from './funding-agreement';
import { buildMelReportModel } from './mel-report';
import type { PdfPrinter } from './pdf-printer';
import { pageFurniture, renderHtml } from './render-html';

/**
 * What a document is built from, language aside. It is stored with the
 * document, so the API can render the same document in another language on
 * request (`?lang=`) without the worker: the facts are fixed, only the words
 * change.
 */
export type DocumentSource =
  | { kind: 'phase'; phase: PhaseId; facts: PhaseDocumentFacts; /** Shown to an approver before the gate: marked as a draft. */ draft?: boolean }
  | { kind: 'agreement'; state: OnboardingState }
  | { kind: 'funding-agreement'; request: FundingChannelRequest; decidedBy: string; at: string }
  | { kind: 'mel-report'; state: ReviewState; at: string };

// The kinds the registry accepts (domain/documents/schemas.ts) are exactly these.
const _kinds: ReadonlyArray<DocumentSource['kind']> = DOCUMENT_SOURCE_KINDS;
void _kinds;

/** The document's model in `language`. */
export function buildModel(source: DocumentSource, language: Language): DocumentModel {
  switch (source.kind) {
    case 'phase': {
      const model = buildDocumentModel(source.facts, source.phase, language);
      return source.draft ? { ...model, title: translator(language)('documents:draft', { title: model.title }) } : model;
    }
    case 'agreement':
      return buildAgreementModel(source.state, language);
    case 'funding-agreement':
      return buildFundingAgreementModel(source.request, source.decidedBy, source.at, language);
    case 'mel-report':
      return buildMelReportModel(source.state, source.at, language);
  }
}

/** The document in `language` as its HTML view. */
export function renderDocumentHtml(source: DocumentSource, language: Language): { model: DocumentModel; html: string } {
  const model = buildModel(source, language);
  return { model, html: renderHtml(model) };
}

/** The document in `language` as HTML and as the PDF printed from that HTML. */
export async function renderDocument(source: DocumentSource, language: Language, printer: PdfPrinter): Promise<{ model: DocumentModel; html: string; pdf: Buffer }> {
  const { model, html } = renderDocumentHtml(source, language);
  return { model, html, pdf: await printer.print(html, pageFurniture(model)) };
}
