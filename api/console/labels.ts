import type { TFunction } from 'i18next';

/** The kinds of id the console shows in words; each is a group of the catalogue's `labels` namespace. */
export type LabelKind = 'driver' | 'role' | 'group' | 'phase' | 'dimension' | 'status' | 'partnerStatus';

/**
 * Any id the console shows, in words in the reader's language, from the
 * catalogue's `labels:` namespace (the one source for these words): people
 * read "Policy alignment and advocacy", not `policy-alignment-advocacy`. An
 * id the catalogue does not know is shown as it is.
 */
export function label(t: TFunction, kind: LabelKind, id: string | null | undefined): string {
  if (!id) return '';
  return t(`labels:${kind}.${id}`, { defaultValue: id });
}

/** Every id of a kind with its words, in the order given: for selects, radios and checkboxes. */
export function options(t: TFunction, kind: LabelKind, ids: readonly string[]): Array<{ id: string; label: string }> {
  return ids.map((id) => ({ id, label: label(t, kind, id) }));
}
