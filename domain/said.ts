import type { PhaseId } from './partnership/phases';

/**
 * A sentence as a code and its parameters: what workflows, activities and the
 * domain's refusals hand to the next layer instead of English. Only the edge
 * (a page, an email, a document; infra/i18n/said.ts) turns it into words, in
 * the reader's language, so changing a sentence's wording is a catalogue edit
 * and never breaks a translation or a branch somewhere else.
 *
 * `code` is the catalogue key of the sentence, with its namespace
 * (`emails:notice.moved`, `pages:request.move`, `refusals:task.alreadyDecided`);
 * test/unit/said-codes.unit.test.ts fails on a code written in the code base
 * that the English catalogue lacks. Parameters are named as the catalogue
 * sentence names them.
 *
 * Shapes are plain JSON (they travel in workflow histories, activity inputs and
 * Update results); keep parameters small — ids, names, counts, instants — and
 * never a list that grows with a partnership's size.
 */
export interface Said {
  readonly code: string;
  readonly params?: Readonly<Record<string, SaidParam>>;
}

/**
 * A parameter: a value placed as written (a person's name, a title, free text,
 * a count), or a typed value the edge renders in the reader's language.
 */
export type SaidParam =
  | string
  | number
  | { readonly phase: PhaseId }
  /** An outcome or status word (`approved`, `rejected`, `continue`…), as `emails:status.<word>`. */
  | { readonly status: string }
  /** A stakeholder group id (`core`, `supporting`…), as `labels:group.<id>`. */
  | { readonly group: string }
  /** An instant (ISO 8601), as a date and time in the reader's time zone. */
  | { readonly at: string }
  /** A calendar day (ISO 8601 date), as the reader writes dates. */
  | { readonly date: string }
  /** A decimal amount in an ISO 4217 currency, with the currency's minor unit. */
  | { readonly amount: string; readonly currency: string }
  /** A checklist item id (`initiating.context.issue`), as its title and guide citation. */
  | { readonly item: string }
  /** A sentence inside the sentence (e.g. "approved — <what was asked>"). */
  | { readonly said: Said };

/**
 * What a layer hands on where a reader will see a sentence: a `Said`, or —
 * only in records from runs that started before sentences became codes — the
 * English text those runs wrote, which the edge still translates through the
 * frozen reader in infra/i18n/legacy-workflow-text.ts.
 */
export type Text = Said | string;

/** `said('emails:notice.moved', { from: phase('initiating'), to: phase('adaptive-planning') })`. */
export function said(code: string, params?: Record<string, SaidParam>): Said {
  return params && Object.keys(params).length ? { code, params } : { code };
}

/** Typed parameters, so a call site reads as what it places. */
export const phase = (id: PhaseId): SaidParam => ({ phase: id });
export const status = (word: string): SaidParam => ({ status: word });
export const group = (id: string): SaidParam => ({ group: id });
export const at = (iso: string): SaidParam => ({ at: iso });
export const day = (isoDate: string): SaidParam => ({ date: isoDate });
export const money = (amount: string, currency: string): SaidParam => ({ amount, currency });
export const item = (id: string): SaidParam => ({ item: id });
export const nested = (s: Said): SaidParam => ({ said: s });

/** Whether `text` is a code (rather than the English of an older run). */
export function isSaid(text: unknown): text is Said {
  return typeof text === 'object' && text !== null && typeof (text as Said).code === 'string';
}

/**
 * A one-line stand-in for logs and the Temporal Web UI, which are for
 * operators and stay in codes: `emails:notice.moved {"from":…}`.
 */
export function saidForLog(text: Text): string {
  if (!isSaid(text)) return text;
  return text.params ? `${text.code} ${JSON.stringify(text.params)}` : text.code;
}
