import { DEFAULT_LANGUAGE, type Language } from '../../domain/language';
import { isSaid, type Said, type SaidParam, type Text } from '../../domain/said';
import { CATALOGUE } from '../../domain/partnership/catalogue';
import { formatters, isolate, translator } from './index';
import { guideCitation, itemTitle } from './checklist';
import { legacySubject, legacyText } from './legacy-workflow-text';

/** How a sentence is placed: in a page (HTML escapes and `<bdi>` later) or in plain text (values isolated here). */
export interface SayOptions {
  /** Email subjects and text parts: every value is set apart with Unicode isolates (see `isolate`). */
  plainText?: boolean;
  /** IANA zone for instants (default UTC, which the text then says). */
  timeZone?: string;
}

/**
 * A sentence handed on by a workflow, an activity or a refusal, in
 * `language`: a code rendered from the catalogue with its parameters in the
 * reader's words (phases, statuses, dates, amounts, checklist items), or the
 * English of a run from before codes, read by the frozen legacy reader.
 * A code the catalogue lacks shows as the code itself (and the codes test
 * fails), never as an empty string.
 */
export function say(language: Language, text: Text, options: SayOptions = {}): string {
  if (!isSaid(text)) return legacyText(language, text, options.plainText);
  // In plain text only the values placed as written (names, titles, free text) are set apart: the words the
  // catalogue gives for a typed value (a phase, a status, a date, a sentence inside) are the language's own.
  // English places them bare, as the English emails of older runs did (their subject's title aside).
  const isolating = options.plainText && language !== DEFAULT_LANGUAGE;
  const params: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(text.params ?? {})) {
    params[name] = isolating && typeof value === 'string' ? isolate(value) : paramText(language, value, options);
  }
  return translator(language)(text.code, { ...params, defaultValue: text.code }) as string;
}

/**
 * An email subject "<partnership title>: <what>": the title kept as written and
 * isolated for bidi, the rest in `language` (see `say`). Subjects of older runs
 * are English strings that carry the title themselves.
 */
export function saySubject(language: Language, subject: Text, title?: string): string {
  if (!isSaid(subject)) return legacySubject(language, subject, title);
  const what = say(language, subject, { plainText: true });
  if (title === undefined) return what;
  const separator = language === DEFAULT_LANGUAGE ? ': ' : translator(language)('emails:notice.titleSeparator');
  return `${isolate(title)}${separator}${what}`;
}

function paramText(language: Language, value: SaidParam, options: SayOptions): unknown {
  if (typeof value === 'string' || typeof value === 'number') return value;
  const t = translator(language);
  const f = formatters(language, options.timeZone);
  if ('phase' in value) return t(`labels:phase.${value.phase}`);
  if ('status' in value) return t(`emails:status.${value.status}`, { defaultValue: value.status });
  if ('group' in value) return t(`labels:group.${value.group}`, { defaultValue: value.group });
  if ('at' in value) return f.dateTime(value.at);
  if ('date' in value) return f.date(value.date);
  if ('currency' in value) return moneyText(f, value.amount, value.currency);
  if ('item' in value) {
    const entry = CATALOGUE.find((i) => i.id === value.item);
    return entry ? `${itemTitle(language, entry)} [${guideCitation(language, entry.guideRef)}]` : value.item;
  }
  return say(language, value.said as Said, options);
}

function moneyText(f: ReturnType<typeof formatters>, amount: string, currency: string): string {
  try {
    return f.money(amount, currency);
  } catch {
    return `${amount} ${currency}`;
  }
}
