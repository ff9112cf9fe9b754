/**
 * The six official languages of the United Nations, in which every text a
 * person reads is written (pages, emails, documents, the checklist). English
 * is the fallback when nothing better is known.
 */
export const LANGUAGES = ['ar', 'en', 'es', 'fr', 'ru', 'zh'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'en';

/** Writing direction of a supported language (Arabic lays out right to left). */
export function textDirection(language: Language): 'ltr' | 'rtl' {
  return language === 'ar' ? 'rtl' : 'ltr';
}

/**
 * The supported language a BCP 47 tag falls under ("fr-CH" → "fr",
 * "zh-Hant-TW" → "zh"), or undefined when the tag is malformed or its
 * language is not one of the six.
 */
export function supportedLanguage(tag: string | undefined | null): Language | undefined {
  if (!tag) return undefined;
  try {
    const language = new Intl.Locale(tag).language;
    return (LANGUAGES as readonly string[]).includes(language) ? (language as Language) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The first supported language among the candidates, most specific first
 * (e.g. the recipient's own language, then the partnership's), else English.
 */
export function pickLanguage(...candidates: Array<string | undefined | null>): Language {
  for (const c of candidates) {
    const l = supportedLanguage(c);
    if (l) return l;
  }
  return DEFAULT_LANGUAGE;
}
