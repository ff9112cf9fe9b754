import { actorDisplay } from '../../domain/actor';
import { textDirection } from '../../domain/language';
import type { ChannelProposal } from '../../domain/resources/funding';
import { formatters, translator, type Language } from '../../infra/i18n';

/*
 * What every document is made of, whatever its kind (phase documents,
 * agreements, funding agreements, MEL reports): the model the one HTML
 * template draws, and the words all their builders share (lists, dates,
 * money, bidi isolation of names people typed).
 */

/**
 * What goes into a document, independent of its format, already in the
 * reader's language. The HTML template draws it, and the PDF is that HTML
 * printed, so the two never disagree.
 */
export interface DocumentModel {
  language: Language;
  /** The partnership's title, named in the header of every PDF page. */
  partnership: string;
  title: string;
  subtitle: string;
  /** The guide section the document serves, as a sentence ("Serves guide section II.2.A Initiating"). */
  guide: string;
  facts: Array<[label: string, value: string]>;
  sections: DocumentSection[];
  /** Line charts (e.g. an indicator across reviews against its target). */
  charts?: Array<{ title: string; points: Array<{ label: string; value: number }>; target: number; targetLabel: string }>;
}

export interface DocumentSection {
  heading: string;
  /** The guide section (and heading) this part serves. */
  guide?: string;
  /** Who wrote the part and when, under its heading (a written section's last change). */
  byline?: string;
  paragraphs?: string[];
  /** `note`: text a person wrote, set as a paragraph of its own (it takes its own writing direction). */
  items?: Array<{ title: string; detail: string; note?: string }>;
  /** `widths`: each column's share of the page width, in per cent (equal shares when absent). */
  table?: { columns: string[]; rows: string[][]; widths?: number[] };
  subsections?: DocumentSection[];
}

/**
 * A value people typed (a name, a title, an email) set apart with Unicode's
 * first-strong isolate (U+2068 … U+2069), so it keeps its own order and its
 * brackets inside a sentence of the other direction — "Мария Иванова
 * <maria@example.org>" in an Arabic document, an Arabic name in a Chinese one —
 * and does not decide the direction of the paragraph it sits in (`dir="auto"`
 * skips isolated text). In a left-to-right document only values holding
 * right-to-left letters or bidi controls need it (a title carrying U+202E
 * would otherwise reverse the rest of its line); the others are left as typed.
 */
export function isolate(language: Language, value: string): string {
  return textDirection(language) === 'rtl' || RIGHT_TO_LEFT.test(value) ? `\u2068${value}\u2069` : value;
}
/** Right-to-left letters, and the bidi controls that reorder what follows them (RLM, ALM, embeddings, overrides such as U+202E, isolates). */
const RIGHT_TO_LEFT = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\u200f\u061c\u202a-\u202e\u2066-\u2069]/;

/** Helpers every builder shares: the translator, formatters and the phrases they keep using. */
export function documentWords(language: Language) {
  const t = translator(language);
  const f = formatters(language);
  const iso = (value: string) => isolate(language, value);
  const list = new Intl.ListFormat(language, { type: 'conjunction', style: 'long' });
  return {
    /** Names or labels as a list in the language's own way ("a, b and c"; "a、b和c"). */
    list: (items: string[]) => list.format(items),
    t,
    f,
    iso,
    /** "Ana on 29 November 2026". */
    byOn: (by: string, at: string) => t('documents:byOn', { name: iso(actorDisplay(by)), date: f.date(at) }),
    period: (start: string, end: string) => t('documents:period', { start: f.date(start), end: f.date(end) }),
    target: (x: { indicator: string; target: string; unit: string; date: string }) =>
      t('documents:target', { indicator: x.indicator, target: f.number(Number(x.target)), unit: x.unit, date: f.date(x.date) }),
    money: (amount: string, currency: string) => f.money(amount, currency),
    yesNo: (b: boolean) => t(b ? 'documents:yes' : 'documents:no'),
    serves: (section: string) => t('documents:serves', { section }),
  };
}
export type Words = ReturnType<typeof documentWords>;

/** A funding source in words: the organisation's own (RB, …), a partner (by name), or an external one. */
export function sourceText(w: Words, source: ChannelProposal['source'], nameOf: (id: string) => string = (id) => id): string {
  if (source.kind === 'organisation') return w.t('documents:source.organisation', { name: source.name });
  if (source.kind === 'partner') return w.t('documents:source.partner', { name: nameOf(source.partnerId) });
  return w.t('documents:source.external', { name: source.name });
}
