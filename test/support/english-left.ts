import { CATALOGUES } from '../../infra/i18n';
import type { Language } from '../../domain/language';

const NAMESPACES = ['pages', 'emails', 'labels', 'refusals'] as const;

function strings(language: Language): string[] {
  const out: string[] = [];
  const walk = (node: unknown) => (typeof node === 'string' ? out.push(node) : node && typeof node === 'object' && Object.values(node).forEach(walk));
  for (const ns of NAMESPACES) walk(CATALOGUES[language][ns]);
  return out;
}

/** The English catalogue's fixed words (between {{variables}}) in the namespaces people read on link pages and in emails. */
function englishFragments(): string[] {
  const out = new Set<string>();
  for (const text of strings('en')) {
    for (const part of text.split(/\{\{[^}]+\}\}/)) {
      const words = part.replace(/[^\p{L}\s'’-]/gu, ' ').trim().split(/\s+/).filter(Boolean);
      // Two words or more ("Decision needed", "Move from"), or one long word ("Disbursements").
      if (words.length >= 2 || (words.length === 1 && words[0].length >= 7)) out.add(words.join(' '));
    }
  }
  return [...out];
}
const FRAGMENTS = englishFragments();

/** The text a person reads on a page: body text and the values of buttons, placeholders and titles, without markup, scripts or styles. */
export function visibleText(html: string): string {
  const attributes = [...html.matchAll(/\b(?:placeholder|aria-label|title)="([^"]*)"/g)].map((m) => m[1]);
  const body = html
    .replace(/<head>[\s\S]*?<\/head>/i, ' ')
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ');
  return [body, ...attributes].join(' ').replace(/&[#\w]+;/g, ' ').replace(/\s+/g, ' ');
}

/**
 * English catalogue phrases left in `text` (a page or email in another
 * language). `names` (people, organisations, titles, ids the test put in) are
 * taken out first: they are shown as written, in whatever language.
 */
export function englishLeftIn(text: string, names: string[] = [], language?: Language): string[] {
  // A word the language itself writes is its own (French "Invitation", "Comment"), not English left behind.
  const own = language ? ` ${strings(language).join(' ').replace(/[^\p{L}\s'’-]/gu, ' ').replace(/\s+/g, ' ')} ` : '';
  let rest = ` ${text.replace(/\s+/g, ' ')} `;
  for (const n of names) rest = rest.split(n).join(' ');
  rest = rest.replace(/[^\p{L}\s'’-]/gu, ' ').replace(/\s+/g, ' ');
  const found = (f: string, where: string) => new RegExp(`(^|[^\\p{L}])${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^\\p{L}]|$)`, 'u').test(where);
  return FRAGMENTS.filter((f) => found(f, rest) && !found(f, own));
}
