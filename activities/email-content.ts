import { resolve } from 'node:path';
import { DEFAULT_LANGUAGE, type Language } from '../domain/language';
import { htmlLanguage, translator } from '../infra/i18n';
import { templateEnvironment } from '../infra/templates';

const views = templateEnvironment(resolve(__dirname, 'email-templates'));

/**
 * A plain, accessible email in `language` (English when not given): a
 * greeting, some lines, optionally a list and one button-like link. The text
 * part and the HTML part say the same; the HTML carries `lang` and `dir`
 * (Arabic right to left) and escapes every value (Nunjucks autoescape).
 * Callers pass text already in the language; only the frame's own words
 * ("open this request") come from the catalogue here.
 */
export function composeEmail(opts: {
  language?: Language;
  /** Shown as the HTML document's title. */
  subject?: string;
  greeting: string;
  lines: string[];
  /** A list after the lines, each entry optionally with its own link (a digest's requests). */
  list?: Array<{ text: string; href?: string }>;
  link?: { href: string; label: string };
  footer?: string;
}): { text: string; html: string } {
  const language = opts.language ?? DEFAULT_LANGUAGE;
  const text = [
    opts.greeting,
    '',
    ...opts.lines,
    ...(opts.list ?? []).flatMap((i) => ['', `- ${i.text}`, ...(i.href ? [`  ${i.href}`] : [])]),
    ...(opts.link ? ['', `${opts.link.label}: ${opts.link.href}`] : []),
    ...(opts.footer ? ['', opts.footer] : []),
  ].join('\n');
  const html = views.render('email.njk', {
    ...htmlLanguage(language),
    subject: opts.subject ?? '',
    greeting: opts.greeting,
    lines: opts.lines,
    list: opts.list ?? [],
    link: opts.link,
    footer: opts.footer,
    openThis: translator(language)('emails:openThis'),
  });
  return { text, html };
}
