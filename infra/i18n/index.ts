import i18next, { type TFunction } from 'i18next';
import { LANGUAGES, DEFAULT_LANGUAGE, textDirection, type Language } from '../../domain/language';
import { minorUnit } from '../../domain/resources/funding';
import { CATALOGUE } from '../../domain/partnership/catalogue';
import { headingKey } from './checklist-keys';
import ar from './locales/ar.json';
import en from './locales/en.json';
import es from './locales/es.json';
import fr from './locales/fr.json';
import ru from './locales/ru.json';
import zh from './locales/zh.json';

/**
 * Message catalogues, one JSON file per language under `locales/`, loaded
 * into one i18next instance. Top-level keys are i18next namespaces: `common`,
 * `labels` (ids people read: phases, dimensions, groups, statuses), `pages`
 * (pages behind an emailed link), `emails`, `documents`, `checklist` (the
 * guide's catalogue), `console`. Plurals use i18next's `_one`/`_few`/`_many`/
 * `_other` suffixes, chosen by `Intl.PluralRules`, i.e. CLDR's (ICU's) plural
 * rules for each language: Arabic has six forms, Russian four, Chinese one.
 *
 * English is the fallback for a key missing in another language; the catalogue
 * test (test/unit/i18n-catalogue.test.ts) fails on any missing key, so the
 * fallback never shows in a shipped build.
 */
export const CATALOGUES: Record<Language, Record<string, Record<string, unknown>>> = {
  ar,
  en: { ...en, checklist: englishChecklist() },
  es,
  fr,
  ru,
  zh,
};
export const NAMESPACES = [...Object.keys(en), 'checklist'];

const instance = i18next.createInstance();
void instance.init({
  resources: CATALOGUES as never,
  supportedLngs: [...LANGUAGES],
  fallbackLng: DEFAULT_LANGUAGE,
  ns: NAMESPACES,
  defaultNS: 'common',
  // Values are escaped where they are placed (Nunjucks autoescape, escapeHtml, PDF text): escaping
  // here as well would show "&amp;" to people.
  interpolation: { escapeValue: false },
  returnNull: false,
  // Resources are in memory: initialise synchronously so `t` works at import.
  initAsync: false,
});

/**
 * A translator fixed to one language: `t('emails:gate.subject', { title })`.
 * With `namespace`, keys without a `ns:` prefix are looked up there
 * (`translator('fr', 'console')('list.title')`); prefixed keys still work.
 */
export function translator(language: Language, namespace?: string): TFunction {
  return namespace ? (instance.getFixedT(language, namespace) as unknown as TFunction) : instance.getFixedT(language);
}

/** Letters of any script, and the explicit bidi controls (marks, embeddings, overrides, isolates) a pasted name may carry. */
const NEEDS_ISOLATION = /[\p{L}\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/u;
/** Already one isolate from end to end (FSI/LRI/RLI … PDI, nothing outside it). */
const WHOLLY_ISOLATED = /^[\u2066-\u2068][^\u2066-\u2069]*\u2069$/;

/**
 * Text from people (a title, a name, a note) set apart with Unicode's
 * first-strong isolate, U+2068 … U+2069, for plain text: an email's subject
 * and text part, a document's lines. Inside it the text keeps its own
 * direction, and an override it carries (U+202E, which reverses everything
 * after it) ends at the closing U+2069 instead of running on through the rest
 * of the sentence. HTML uses `<bdi>` (or `dir="auto"`) for the same. Values
 * without letters or bidi controls (numbers, amounts) are left as they are.
 */
export function isolate(value: string): string {
  return value === '' || WHOLLY_ISOLATED.test(value) || !NEEDS_ISOLATION.test(value) ? value : `\u2068${value}\u2069`;
}

/**
 * A translator for plain text (email subjects and text parts): every value it
 * interpolates is isolated (see `isolate`), through i18next's escape hook, so
 * no catalogue sentence has to mark its names one by one. Pages, which escape
 * for HTML and isolate with `<bdi>`, keep `translator`.
 */
export function textTranslator(language: Language, namespace?: string): TFunction {
  const t = translator(language, namespace) as unknown as (key: unknown, options?: Record<string, unknown>) => string;
  const isolating = (key: unknown, options?: Record<string, unknown>) =>
    t(key, { ...(options ?? {}), interpolation: { ...((options?.interpolation as object | undefined) ?? {}), escapeValue: true, escape: (v: unknown) => isolate(String(v)) } });
  return isolating as unknown as TFunction;
}

/** `dir` and `lang` attributes for a page or an email in this language. */
export function htmlLanguage(language: Language): { lang: Language; dir: 'ltr' | 'rtl' } {
  return { lang: language, dir: textDirection(language) };
}

/**
 * Formatting with `Intl` for the reader's locale. Every function takes an ISO
 * 8601 instant (or a decimal string) as stored and returns display text.
 * `timeZone` is an IANA zone name (default UTC, which the text then says).
 */
export function formatters(language: Language, timeZone = 'UTC') {
  const dateTime = new Intl.DateTimeFormat(language, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone, timeZoneName: 'short' });
  const date = new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone });
  const number = new Intl.NumberFormat(language);
  return {
    /** "29 Nov 2026, 14:05 UTC" in the reader's language; '' for a missing value. */
    dateTime: (iso: string | null | undefined) => (iso ? dateTime.format(new Date(iso)) : ''),
    /** "29 November 2026" in the reader's language. */
    date: (iso: string | null | undefined) => (iso ? date.format(new Date(iso)) : ''),
    number: (n: number) => number.format(n),
    /**
     * An amount in its currency with exactly the currency's ISO 4217 minor
     * unit (JPY 0, TND 3, most 2): `money('1000', 'JPY')` → "¥1,000".
     * `amount` is a decimal string so no binary rounding happens on the way.
     */
    money: (amount: string, currency: string) => {
      const digits = minorUnit(currency);
      return new Intl.NumberFormat(language, {
        style: 'currency',
        currency,
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      }).format(amount as unknown as number);
    },
  };
}

/**
 * The English `checklist` namespace is the catalogue itself (domain/partnership/catalogue.ts
 * is its one source), so an item added there shows up as a key every other
 * language must translate.
 */
function englishChecklist(): Record<string, unknown> {
  const items: Record<string, Record<string, Record<string, string>>> = {};
  const headings: Record<string, string> = {};
  for (const item of CATALOGUE) {
    const [phase, dimension, slug] = item.id.split('.') as [string, string, string];
    ((items[phase] ??= {})[dimension] ??= {})[slug] = item.title;
    headings[headingKey(item.guideRef)] = item.guideRef.split(' ').slice(1).join(' ');
  }
  return { items, headings };
}

export { LANGUAGES, DEFAULT_LANGUAGE, type Language };
