import { resolve } from 'node:path';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { LANGUAGES, pickLanguage, supportedLanguage, type Language } from '../../domain/language';
import { LanguageTagSchema } from '../../domain/schemas';
import { formatters, htmlLanguage, translator } from '../../infra/i18n';
import { say } from '../../infra/i18n/said';
import type { Text } from '../../domain/said';
import { templateEnvironment } from '../../infra/templates';

/**
 * The pages behind emailed links (tasks, invitations, reviews, an approver's
 * inbox, and the refusals those links can meet): Nunjucks templates under
 * `templates/`, escaped by default, in the reader's language.
 */
export const PAGE_TEMPLATES_DIR = resolve(__dirname, 'templates');
const views = templateEnvironment(PAGE_TEMPLATES_DIR);

/** `?lang=fr` on a link page: shows it in another language for this view only (it changes nothing stored). */
const LangQuerySchema = z.object({ lang: LanguageTagSchema.optional() });

/** Where the page language was decided, kept for the error page of the same request. */
const LANGUAGE_LOCAL = 'pageLanguage';

/** The language named by `?lang=`, if it is one of ours; anything else is ignored (the page still shows). */
function queryLanguage(req: Request): Language | undefined {
  const parsed = LangQuerySchema.safeParse({ lang: typeof req.query.lang === 'string' ? req.query.lang : undefined });
  return parsed.success ? supportedLanguage(parsed.data.lang) : undefined;
}

/**
 * The best of our languages the browser names in `Accept-Language`, or
 * undefined when it names none of them. A bare `*` (what Node's fetch and many
 * tools send) names no language: it would otherwise pick the first of ours.
 */
function browserLanguage(req: Request): Language | undefined {
  const header = req.get('accept-language') ?? '';
  const named = new Set(header.split(',').map((part) => supportedLanguage(part.split(';')[0].trim())));
  const best = req.acceptsLanguages(...LANGUAGES);
  const language = best ? supportedLanguage(best) : undefined;
  return language && named.has(language) ? language : undefined;
}

/**
 * The language of a link page: `?lang=` for this view, then the recipient's
 * own `language` (the person the link was sent to), then the browser's
 * `Accept-Language`, then the partnership's language (asked for only when
 * needed: it costs a query), then English. Remembered on `res.locals` so an
 * error later in the same request answers in the same language.
 */
export async function pageLanguage(
  req: Request,
  res: Response,
  recipient?: { language?: string } | null,
  partnershipLanguage?: () => Promise<string | undefined>,
): Promise<Language> {
  const early = queryLanguage(req) ?? supportedLanguage(recipient?.language) ?? browserLanguage(req);
  const language = early ?? pickLanguage(partnershipLanguage ? await partnershipLanguage().catch(() => undefined) : undefined);
  res.locals[LANGUAGE_LOCAL] = language;
  return language;
}

/** The language of an error page: the page's own if it was decided, else `?lang=`, `Accept-Language`, English. */
export function errorPageLanguage(req: Request, res: Response): Language {
  return (res.locals[LANGUAGE_LOCAL] as Language | undefined) ?? pickLanguage(queryLanguage(req), browserLanguage(req));
}

/**
 * Renders `templates/<view>.njk` in `language`. Every template gets `t` (the
 * catalogue, fixed to the language), `fmt` (dates, numbers, money for the
 * locale), `said` (a sentence a workflow wrote, in the language), `lang`/`dir`
 * for `<html>`, and the language switcher's entries.
 */
export function renderPage(view: string, language: Language, context: Record<string, unknown>): string {
  return views.render(`${view}.njk`, {
    ...context,
    ...htmlLanguage(language),
    t: translator(language),
    fmt: formatters(language),
    // Values people wrote (a name and address, a title) are set apart with Unicode isolates, as in plain text: `<bdi>`
    // cannot be placed inside a sentence the catalogue composed, and an address's "<…>" otherwise turns round in Arabic.
    said: (text: Text) => say(language, text, { plainText: true }),
    languages: LANGUAGES.map((l) => ({ code: l, name: translator(l)('common:languageName'), dir: htmlLanguage(l).dir, current: l === language })),
  });
}
