import type { Request } from 'express';
import { z } from 'zod';
import { LANGUAGES, pickLanguage, type Language } from '../../domain/language';
import { CATALOGUES, formatters, htmlLanguage, translator } from '../../infra/i18n';
import { sessionOf } from './session';

/**
 * IANA time zones a person may pick, UTC first: every zone the runtime's `Intl`
 * knows (its list leaves UTC out, since UTC is not a place).
 */
export const TIME_ZONES: readonly string[] = ['UTC', ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC')];
const ZONES = new Set(TIME_ZONES);

/** Each language named in itself, for the language selects (preferences, a new partnership's language). */
export const LANGUAGE_NAMES = LANGUAGES.map((id) => ({ id, name: String(CATALOGUES[id].common?.languageName ?? id) }));

/** The language and time zone form (`POST /console/preferences`). */
export const PreferencesSchema = z.object({
  language: z.enum(LANGUAGES, { error: 'choose one of the six languages offered' }),
  timeZone: z.string().refine((v) => ZONES.has(v), { error: 'choose a time zone from the list, e.g. Europe/Paris or UTC' }),
});
export type Preferences = z.infer<typeof PreferencesSchema>;

/**
 * The languages of an `Accept-Language` header, most wanted first
 * (`fr-CH, en;q=0.8` → ["fr-CH", "en"]); malformed entries and q=0 are left out.
 */
export function acceptedLanguages(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';');
      const q = Number(params.find((p) => p.trim().startsWith('q='))?.trim().slice(2) ?? '1');
      return { tag: tag!.trim(), q: Number.isFinite(q) ? q : 0, index };
    })
    .filter((l) => l.tag && l.tag !== '*' && l.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map((l) => l.tag);
}

/**
 * The language a console page is written in: the one the person chose on the
 * preferences page, else the `locale` their sign-in provider asserted, else
 * the browser's `Accept-Language`, else English.
 */
export function consoleLanguage(req: Request): Language {
  const s = sessionOf(req);
  return pickLanguage(s.language, s.user?.locale, ...acceptedLanguages(req.get('accept-language')));
}

/** The zone times are shown in: the person's choice, else UTC (the zone is always named beside the time). */
export function consoleTimeZone(req: Request): string {
  const zone = sessionOf(req).timeZone;
  return zone && ZONES.has(zone) ? zone : 'UTC';
}

/** What every template gets to speak the person's language: `t` (console namespace), `fmt`, `lang`, `dir`. */
export function pageLocale(req: Request) {
  const language = consoleLanguage(req);
  const timeZone = consoleTimeZone(req);
  const t = translator(language, 'console');
  return { language, timeZone, t, fmt: formatters(language, timeZone), ...htmlLanguage(language) };
}
export type PageLocale = ReturnType<typeof pageLocale>;
