import { resolve } from 'node:path';
import nunjucks from 'nunjucks';
import { htmlLanguage, translator, type Language } from '../../infra/i18n';
import type { DocumentModel } from './document-model';
import type { PageFurniture } from './pdf-printer';

/** Documents' templates (Nunjucks, autoescape on). The build copies them beside the compiled code. */
export const DOCUMENT_TEMPLATES_DIR = resolve(__dirname, 'templates');

const views = new nunjucks.Environment(new nunjucks.FileSystemLoader(DOCUMENT_TEMPLATES_DIR), { autoescape: true, throwOnUndefined: false });
views.addFilter('dirOf', textDirectionOf);

/**
 * The writing direction of a block of text, from its first letter outside
 * Unicode isolates (U+2066–U+2069): what `dir="auto"` would find if Chromium
 * skipped isolated names, which it does not (a Chinese sentence starting with
 * an Arabic name would be set right to left). 'ltr' when there is no letter.
 */
export function textDirectionOf(text: unknown): 'ltr' | 'rtl' {
  const outside = String(text ?? '').replace(/[\u2066-\u2068][^\u2069]*\u2069/g, '');
  const letter = outside.match(/\p{L}/u)?.[0];
  return letter && /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]/.test(letter) ? 'rtl' : 'ltr';
}

/**
 * Font families: Noto Sans for Latin, Cyrillic and Greek, then Noto Naskh
 * Arabic, then the Simplified Chinese face of Noto Sans CJK (named, so Han
 * characters never fall back to a Japanese face). Arabic documents put Naskh
 * first. Every family comes from Debian's fonts-noto-core / fonts-noto-cjk
 * (see infra/chromium.ts). Naskh rather than Noto Sans Arabic: the latter's
 * lam–alef-maksura ligature comes out of text extraction (copy, search,
 * pdftotext) with its letters swapped.
 */
export function fontStack(language: Language): string {
  const families = ["'Noto Sans'", "'Noto Naskh Arabic'", "'Noto Sans CJK SC'"];
  const first = language === 'ar' ? ["'Noto Naskh Arabic'"] : [];
  return [...new Set([...first, ...families])].join(', ') + ', sans-serif';
}

/** Escapes text for HTML built outside a template (the pages behind links still build some by hand). */
export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** The document as a whole HTML page in its language (`lang`, `dir`), the same page the PDF is printed from. */
export function renderHtml(doc: DocumentModel): string {
  return views.render('document.njk', { doc, ...htmlLanguage(doc.language), fonts: fontStack(doc.language), charts: (doc.charts ?? []).map(chartGeometry) });
}

/** The running header (the partnership's name) and footer ("Page 2 of 5") of the PDF, in the document's language. */
export function pageFurniture(doc: DocumentModel): PageFurniture {
  const t = translator(doc.language);
  // The page numbers are elements Chromium fills in, so the translated sentence is cut around them.
  const [before = '', middle = '', after = ''] = t('documents:page', { page: '\u0000', total: '\u0000' }).split('\u0000');
  const common = { ...htmlLanguage(doc.language), fonts: fontStack(doc.language), partnership: doc.partnership };
  return {
    headerTemplate: views.render('page-furniture.njk', { ...common, part: 'header' }),
    footerTemplate: views.render('page-furniture.njk', { ...common, part: 'footer', product: t('common:product'), before, middle, after }),
  };
}

/** A small line chart's coordinates: values across reviews against the target (dashed). */
function chartGeometry(c: NonNullable<DocumentModel['charts']>[number]) {
  const [width, height, pad] = [480, 160, 30];
  const max = Math.max(c.target, ...c.points.map((p) => p.value), 1);
  const x = (i: number) => pad + (c.points.length <= 1 ? 0 : (i * (width - 2 * pad)) / (c.points.length - 1));
  const y = (v: number) => height - pad - (v / max) * (height - 2 * pad);
  const points = c.points.map((p, i) => ({ label: p.label, x: x(i).toFixed(1), y: y(p.value).toFixed(1) }));
  return { ...c, width, height, pad, targetY: y(c.target).toFixed(1), line: points.map((p) => `${p.x},${p.y}`).join(' '), points };
}
