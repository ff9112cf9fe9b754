import { CATALOGUES, formatters, translator } from '../../infra/i18n';
import { guideCitation, itemTitle } from '../../infra/i18n/checklist';
import { CATALOGUE } from '../../domain/partnership/catalogue';
import { LANGUAGES, pickLanguage, supportedLanguage } from '../../domain/language';
import { LanguageTagSchema } from '../../domain/schemas';

const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

/** Every leaf key of a catalogue, as `namespace:a.b.c`, with its text. */
function leaves(tree: Record<string, unknown>, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? (prefix.endsWith(':') ? `${prefix}${k}` : `${prefix}.${k}`) : `${k}:`;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of leaves(v as Record<string, unknown>, key)) out.set(kk, vv);
  }
  return out;
}

/** Keys with plural suffixes folded to their base: `x_one`, `x_other` → `x`. */
const bases = (keys: Iterable<string>) => new Set([...keys].map((k) => k.replace(PLURAL_SUFFIX, '')));
const variables = (text: string) => new Set([...text.matchAll(/\{\{\s*([\w.]+)/g)].map((m) => m[1]));

const english = leaves(CATALOGUES.en);

describe.each(LANGUAGES.filter((l) => l !== 'en'))('catalogue %s', (language) => {
  const catalogue = leaves(CATALOGUES[language]);

  it('has every key English has, and no key English lacks', () => {
    const missing = [...bases(english.keys())].filter((k) => !bases(catalogue.keys()).has(k));
    const extra = [...bases(catalogue.keys())].filter((k) => !bases(english.keys()).has(k));
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
  });

  it("has every plural form the language's CLDR rules use", () => {
    const categories = new Intl.PluralRules(language).resolvedOptions().pluralCategories;
    const pluralBases = [...english.keys()].filter((k) => PLURAL_SUFFIX.test(k)).map((k) => k.replace(PLURAL_SUFFIX, ''));
    const missing = [...new Set(pluralBases)].flatMap((base) => categories.filter((c) => !catalogue.has(`${base}_${c}`)).map((c) => `${base}_${c}`));
    expect(missing).toEqual([]);
  });

  it('uses the same {{variables}} as English in every message', () => {
    const differing: string[] = [];
    for (const [key, text] of catalogue) {
      const base = key.replace(PLURAL_SUFFIX, '');
      const en = english.get(key) ?? english.get(`${base}_other`);
      if (en === undefined) continue;
      const [a, b] = [variables(en), variables(text)];
      // A plural form may leave out {{count}} ("one day" written as a word).
      const needed = [...a].filter((v) => !(v === 'count' && PLURAL_SUFFIX.test(key)));
      if (needed.some((v) => !b.has(v)) || [...b].some((v) => !a.has(v))) differing.push(key);
    }
    expect(differing).toEqual([]);
  });

  it('translates: no message other than names is left identical to English', () => {
    // Proper names, words spelt alike in both languages (French "Cycle", "Communication"), and sentences that are only punctuation around their values, may stay.
    const SAME_OK = /^(common:product|common:cycle|labels:dimension\.communication|checklist:headings\.[a-d]-communication|emails:said\.(decided|checklistItem))$/;
    const same = [...catalogue].filter(([k, v]) => english.get(k) === v && !SAME_OK.test(k) && /[a-z]{3,}/i.test(v)).map(([k]) => k);
    expect(same).toEqual([]);
  });
});

describe('languages', () => {
  it('picks the first supported language, by BCP 47 tag', () => {
    expect(pickLanguage(undefined, 'fr-CH', 'ar')).toBe('fr');
    expect(pickLanguage('de', 'zh-Hant-TW')).toBe('zh');
    expect(pickLanguage('not a tag', null)).toBe('en');
    expect(supportedLanguage('ar-EG')).toBe('ar');
  });

  it('refuses a tag outside the six with a message naming them', () => {
    const r = LanguageTagSchema.safeParse('de');
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/ar, en, es, fr, ru, zh/);
    expect(LanguageTagSchema.parse('ZH-hans')).toBe('zh-Hans');
  });

  it('translates with the fixed language and falls back to nothing English for a known key', () => {
    expect(translator('fr')('labels:phase.initiating')).toBe('Lancement');
    expect(translator('ar')('labels:status.closed')).toBe('مغلقة');
  });

  it('formats money with the ISO 4217 minor unit of each currency', () => {
    expect(formatters('en').money('1000', 'JPY')).toBe('¥1,000');
    expect(formatters('en').money('1.125', 'TND')).toMatch(/1\.125/);
    expect(formatters('fr').money('1234.5', 'EUR')).toMatch(/1\s?234,50\s?€/);
    expect(formatters('en').money('10', 'XOF')).toMatch(/^F\s?CFA\s?10$|10/);
  });
});

describe('checklist in the reader\'s language', () => {
  const smart = CATALOGUE.find((i) => i.id === 'adaptive-planning.issues-context.smart-objectives')!;

  it('gives the English title from domain/partnership/catalogue.ts, and the translation in French and Arabic', () => {
    expect(itemTitle('en', smart)).toBe(smart.title);
    expect(itemTitle('fr', smart)).toBe("Fixer des objectifs SMART, chacun assorti d'un indicateur, d'une cible et d'une échéance");
    expect(itemTitle('ar', smart)).toBe('وضع أهداف ذكية (SMART)، لكل منها مؤشر وغاية وموعد');
  });

  it('keeps the section number as the guide prints it and translates the heading', () => {
    const ref = 'II.2.A ILO as a partner › Staff and staff development';
    expect(guideCitation('en', ref)).toBe(ref);
    expect(guideCitation('fr', ref)).toBe("II.2.A L'OIT en tant que partenaire › Personnel et perfectionnement du personnel");
    expect(guideCitation('ar', ref)).toBe('II.2.A منظمة العمل الدولية بوصفها شريكًا › الموظفون وتطوير قدراتهم');
  });

  it('finds a translated title for every catalogue item at run time (no English fallback)', () => {
    const untranslated = LANGUAGES.filter((l) => l !== 'en').flatMap((language) =>
      CATALOGUE.filter((item) => itemTitle(language, item) === item.title).map((item) => `${language} ${item.id}`),
    );
    expect(untranslated).toEqual([]);
  });
});
