import type { CatalogueItem } from '../../domain/partnership/catalogue';
import type { Language } from '../../domain/language';
import { translator } from './index';
import { headingKey } from './checklist-keys';

export { headingKey };

/**
 * The guide's catalogue in the reader's language. Items are keyed by their
 * stable id (`checklist:items.<phase>.<dimension>.<slug>`); a citation's
 * heading by a slug of the English citation (`checklist:headings.<slug>`), so
 * the section number stays as the guide prints it and only the heading is
 * translated.
 */
export function itemTitle(language: Language, item: Pick<CatalogueItem, 'id' | 'title'>): string {
  return translator(language)(`checklist:items.${item.id}`, { defaultValue: item.title });
}

/** "II.2.A Issues, situations, challenges" → the section number and the heading in `language`. */
export function guideCitation(language: Language, guideRef: string): string {
  const [section, ...heading] = guideRef.split(' ');
  const translated = translator(language)(`checklist:headings.${headingKey(guideRef)}`, { defaultValue: heading.join(' ') });
  return `${section} ${translated}`;
}

