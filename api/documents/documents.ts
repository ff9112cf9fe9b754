import type { Request, Response } from 'express';
import { z } from 'zod';
import { renderDocument, renderDocumentHtml, type DocumentSource } from '../../activities/documents/sources';
import type { PdfPrinter } from '../../activities/documents/pdf-printer';
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

/**
 * Answers a stored document as PDF or HTML. Without `lang`, or in the
 * language it was generated in, the stored rendering; in another language it
 * is rendered now from the facts stored with it (the HTML by the template,
 * the PDF by this process's headless Chromium), and nothing is written. A
 * document stored before languages has no facts: its stored rendering is
 * answered, and Content-Language says which language that is.
 */
export async function sendDocument(req: Request, res: Response, doc: StoredDocument, printer: PdfPrinter, defaultFormat: 'pdf' | 'html' = 'pdf'): Promise<void> {
  const { format, lang } = queryOf(req, documentQuerySchema(defaultFormat));
  const rendered = lang && lang !== doc.language && doc.source ? await renderIn(doc.source as DocumentSource, lang, format, printer, req) : undefined;
  res.set('content-language', rendered ? lang! : doc.language).vary('accept-language');
  if (format === 'html') {
    res.type('html').send(rendered?.html ?? doc.html);
    return;
  }
  res
    .type('application/pdf')
    .set('content-disposition', `inline; filename="${doc.id}${rendered ? `.${lang}` : ''}.pdf"`)
    .send(rendered?.pdf ?? doc.pdf);
}

async function renderIn(source: DocumentSource, language: Language, format: 'pdf' | 'html', printer: PdfPrinter, req: Request): Promise<{ html: string; pdf?: Buffer } | undefined> {
  try {
    return format === 'html' ? renderDocumentHtml(source, language) : await renderDocument(source, language, printer);
  } catch (err) {
    // A source this version cannot build (written by an older one): the stored rendering is still the document.
    req.log?.warn({ err, language }, 'could not render the document in the requested language; answering the stored one');
    return undefined;
  }
}
