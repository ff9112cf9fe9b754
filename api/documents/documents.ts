import type { Request, Response } from 'express';
import { z } from 'zod';
import { LRUCache } from 'lru-cache';
import pLimit from 'p-limit';
import { buildModel, renderDocumentHtml, type DocumentSource } from '../../activities/documents/sources';
import { PrinterUnavailable, type PageFurniture, type PdfPrinter } from '../../activities/documents/pdf-printer';
import { pageFurniture } from '../../activities/documents/render-html';
import { supportedLanguage, type Language } from '../../domain/language';
import { LanguageTagSchema } from '../../domain/schemas';
import type { StoredDocument } from '../../infra/store/rows';
import { HttpError } from '../errors';
import { queryOf } from '../input';
import { said } from '../../domain/said';

/** `?format=pdf|html&lang=fr`: which rendering of a document, and in which of the six languages. */
export function documentQuerySchema(defaultFormat: 'pdf' | 'html') {
  return z.object({
    format: z.enum(['pdf', 'html'], { error: 'format must be "pdf" or "html"' }).default(defaultFormat),
    lang: LanguageTagSchema.transform((tag) => supportedLanguage(tag)!).optional(),
  });
}

/** Typeset PDFs kept by each API process: a document never changes once stored, so its PDF need not be typeset twice. */
const TYPESET_CACHE_BYTES = 64 * 2 ** 20;

export interface TypesetRequest {
  html: string;
  furniture: PageFurniture;
  printer: PdfPrinter;
}

/**
 * PDFs by document id and language, at most `maxBytes` of them (the API's
 * is `TYPESET_CACHE_BYTES`; exported for its test). `fetch` typesets once
 * however many people ask at the same moment (lru-cache keeps the one
 * promise), and the least recently read PDFs go first once the budget is
 * full. Nothing is written to the store: a GET changes nothing.
 */
export function typesetCache(maxBytes: number): LRUCache<string, Buffer, TypesetRequest> {
  return new LRUCache<string, Buffer, TypesetRequest>({
    maxSize: maxBytes,
    sizeCalculation: (pdf) => Math.max(1, pdf.length),
    // A failed print is not kept (lru-cache drops a rejected fetch): the next read tries again.
    fetchMethod: (_key, _stale, { context }) => inPrintSlot(() => context.printer.print(context.html, context.furniture)),
    // A print still under way can be the least recently used entry once the cache is full (it waits its turn
    // to print while other PDFs come in); evicting it must not fail its readers with "evicted": they get it.
    ignoreFetchAbort: true,
  });
}
const typeset = typesetCache(TYPESET_CACHE_BYTES);

/**
 * How many PDFs this process typesets at once. Reads come from people and
 * tools, in any number: each print is a Chromium page of up to a few hundred
 * MB on a machine of two cores, so the rest wait their turn.
 */
const PRINTS_AT_ONCE = 2;
const inPrintSlot = pLimit(PRINTS_AT_ONCE);

/** How long a reader is asked to wait before trying again after a 503 (Retry-After, seconds). */
const RETRY_PRINT_AFTER_S = 30;

/**
 * A PDF from `print`, with Chromium's failure turned into a 503 that says
 * what happened and that the HTML view reads without it.
 */
async function orUnavailable(req: Request, res: Response, print: () => Promise<Buffer>): Promise<Buffer> {
  try {
    return await print();
  } catch (err) {
    if (!(err instanceof PrinterUnavailable)) throw err;
    req.log?.error({ err }, 'could not typeset a PDF');
    res.set('retry-after', String(RETRY_PRINT_AFTER_S));
    // Why the printer failed is logged above; the reader hears what to do.
    throw new HttpError(503, said('refusals:document.pdfUnavailable'), { printer: err.message });
  }
}

/**
 * `html` typeset now, in this process's turn to print (no cache: for drafts,
 * which change while they are read).
 *
 * @throws HttpError 503 when Chromium cannot make the PDF (see orUnavailable)
 */
export function typesetNow(req: Request, res: Response, printer: PdfPrinter, html: string, furniture: PageFurniture): Promise<Buffer> {
  return orUnavailable(req, res, () => inPrintSlot(() => printer.print(html, furniture)));
}

/**
 * The stored document's PDF in its own language: the PDF it was stored with
 * (documents printed by the worker before typesetting on read), else its
 * stored HTML typeset now with the header and footer it was written with.
 *
 * @throws PrinterUnavailable when Chromium cannot make it (see PdfPrinter.print)
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
  const rendered = lang && lang !== doc.language && doc.source ? await renderIn(doc, lang, format, printer, req, res) : undefined;
  res.set('content-language', rendered ? lang! : doc.language).vary('accept-language');
  if (format === 'html') {
    res.type('html').send(rendered?.html ?? doc.html);
    return;
  }
  const pdf = rendered?.pdf ?? (await orUnavailable(req, res, () => storedPdf(doc, printer)));
  res
    .type('application/pdf')
    .set('content-disposition', `inline; filename="${doc.id}${rendered ? `.${lang}` : ''}.pdf"`)
    .send(pdf);
}

async function renderIn(doc: StoredDocument, language: Language, format: 'pdf' | 'html', printer: PdfPrinter, req: Request, res: Response): Promise<{ html: string; pdf?: Buffer } | undefined> {
  try {
    const { model, html } = renderDocumentHtml(doc.source as DocumentSource, language);
    if (format === 'html') return { html };
    const pdf = await orUnavailable(req, res, async () => (await typeset.fetch(`${doc.id}\u0000${language}`, { context: { html, furniture: pageFurniture(model), printer } }))!);
    return { html, pdf };
  } catch (err) {
    // Chromium's failure is the reader's answer (503): the stored rendering would need it too, or be in another language.
    if (err instanceof HttpError) throw err;
    // A source this version cannot build (written by an older one): the stored rendering is still the document.
    req.log?.warn({ err, language }, 'could not render the document in the requested language; answering the stored one');
    return undefined;
  }
}
