import type { Request, Response } from 'express';
import { z } from 'zod';
import { LRUCache } from 'lru-cache';
import { buildModel, renderDocumentHtml, type DocumentSource } from '../../activities/documents/sources';
import type { PageFurniture, PdfPrinter } from '../../activities/documents/pdf-printer';
import { pageFurniture } from '../../activities/documents/render-html';
import { supportedLanguage, type Language } from '../../domain/language';
import { LanguageTagSchema } from '../../domain/schemas';
import type { StoredDocument } from '../../infra/store/store';
import { queryOf } from '../input';

/** `?format=pdf|html&lang=fr`: which rendering of a document, and in which of the six languages. */
export function documentQuerySchema(defaultFormat: 'pdf' | 'html') {
  return z.object({
    format: z.enum(['pdf', 'html'], { error: 'format must be "pdf" or "html"' }).default(defaultFormat),
    lang: LanguageTagSchema.transform((tag) => supportedLanguage(tag)!).optional(),
  });
}

/** Typeset PDFs kept by each API process: a document never changes once stored, so its PDF need not be typeset twice. */
const TYPESET_CACHE_BYTES = 64 * 2 ** 20;

interface TypesetRequest {
  html: string;
  furniture: PageFurniture;
  printer: PdfPrinter;
}

/**
 * PDFs by document id and language. `fetch` typesets once however many
 * people ask at the same moment (lru-cache keeps the one promise), and the
 * least recently read PDFs go first once `TYPESET_CACHE_BYTES` is full.
 * Nothing is written to the store: a GET changes nothing.
 */
const typeset = new LRUCache<string, Buffer, TypesetRequest>({
  maxSize: TYPESET_CACHE_BYTES,
  sizeCalculation: (pdf) => Math.max(1, pdf.length),
  fetchMethod: (_key, _stale, { context }) => context.printer.print(context.html, context.furniture),
});

/**
 * The stored document's PDF in its own language: the PDF it was stored with
 * (documents printed by the worker before typesetting on read), else its
 * stored HTML typeset now with the header and footer it was written with.
 *
 * @throws when Chromium cannot be started (see PdfPrinter.print)
 */
export async function storedPdf(doc: StoredDocument, printer: PdfPrinter): Promise<Buffer> {
  if (doc.pdf) return doc.pdf;
  // Documents stored with neither (none are written so) get the furniture their model would give.
  const furniture = doc.furniture ?? (doc.source ? pageFurniture(buildModel(doc.source as DocumentSource, doc.language)) : { headerTemplate: '<span></span>', footerTemplate: '<span></span>' });
  return (await typeset.fetch(`${doc.id}\u0000${doc.language}`, { context: { html: doc.html, furniture, printer } }))!;
}

/**
 * Answers a stored document as PDF or HTML. Without `lang`, or in the
 * language it was generated in, the stored HTML (and `storedPdf`); in another
 * language it is rendered now from the facts stored with it (the HTML by the
 * template, the PDF by this process's headless Chromium), and nothing is
 * written. A document stored before languages has no facts: its stored
 * rendering is answered, and Content-Language says which language that is.
 */
export async function sendDocument(req: Request, res: Response, doc: StoredDocument, printer: PdfPrinter, defaultFormat: 'pdf' | 'html' = 'pdf'): Promise<void> {
  const { format, lang } = queryOf(req, documentQuerySchema(defaultFormat));
  const rendered = lang && lang !== doc.language && doc.source ? await renderIn(doc, lang, format, printer, req) : undefined;
  res.set('content-language', rendered ? lang! : doc.language).vary('accept-language');
  if (format === 'html') {
    res.type('html').send(rendered?.html ?? doc.html);
    return;
  }
  const pdf = rendered?.pdf ?? (await storedPdf(doc, printer));
  res
    .type('application/pdf')
    .set('content-disposition', `inline; filename="${doc.id}${rendered ? `.${lang}` : ''}.pdf"`)
    .send(pdf);
}

async function renderIn(doc: StoredDocument, language: Language, format: 'pdf' | 'html', printer: PdfPrinter, req: Request): Promise<{ html: string; pdf?: Buffer } | undefined> {
  try {
    const { model, html } = renderDocumentHtml(doc.source as DocumentSource, language);
    if (format === 'html') return { html };
    const pdf = await typeset.fetch(`${doc.id}\u0000${language}`, { context: { html, furniture: pageFurniture(model), printer } });
    return { html, pdf: pdf! };
  } catch (err) {
    // A source this version cannot build (written by an older one): the stored rendering is still the document.
    req.log?.warn({ err, language }, 'could not render the document in the requested language; answering the stored one');
    return undefined;
  }
}
