/**
 * Names in four scripts (Latin with accents, Chinese, Cyrillic, Arabic) that
 * the language tests place in pages and sentences: they must come out exactly
 * as written, whatever the reader's language.
 */
export const FOUR_SCRIPT_NAMES = {
  title: 'Emplois verts 绿色就业 Зелёные рабочие места الوظائف الخضراء',
  ministryAr: 'وزارة العمل',
  ministryZh: '劳动部',
  ministryRu: 'Министерство труда',
  ngo: 'Œuvre Sociale',
  person: 'Amélie Lefèvre',
};

/** What those tests may find unchanged in any language: the names, and the ids, addresses and URL they use. */
export const SHOWN_AS_WRITTEN = [...Object.values(FOUR_SCRIPT_NAMES), 'msp-emplois-verts', 'mona@example.org', 'amelie@example.org', 'https://example.org/documents/mel.pdf'];
