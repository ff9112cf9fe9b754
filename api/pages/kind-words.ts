import type { Language } from '../../domain/language';
import { knownTaskKind } from '../../domain/human-tasks/kinds';
import { translator } from '../../infra/i18n';

/** What a kind of human task is called and asks, and for an approval what each answer does, in the reader's words. */
export interface KindWords {
  title: string;
  asks: string;
  approves?: string;
  rejects?: string;
}

/**
 * The words of the task kind `id` (domain/human-tasks/kinds) in `language`,
 * from the catalogue (`tasks:<id>.title|asks`, and `approves|rejects` for a
 * kind approvers answer). Undefined for a kind this process does not know (an
 * API older than the worker during a rolling deploy): the page then shows the
 * task without them rather than failing.
 */
export function wordsOfKind(id: string, language: Language): KindWords | undefined {
  const kind = knownTaskKind(id);
  if (!kind) return undefined;
  const t = translator(language);
  const words = { title: t(`tasks:${kind.id}.title`), asks: t(`tasks:${kind.id}.asks`) };
  return kind.answeredBy === 'approvers' ? { ...words, approves: t(`tasks:${kind.id}.approves`), rejects: t(`tasks:${kind.id}.rejects`) } : words;
}
