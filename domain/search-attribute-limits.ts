/**
 * Temporal's limits on search attributes, checked before we write one.
 *
 * A value over the limit is not an error the server returns to the caller: the
 * workflow task that wrote it fails with BAD_SEARCH_ATTRIBUTES and the server
 * then terminates the workflow. So nothing that grows with a partnership (its
 * partners, its reviews) is a search attribute, and every value we do write is
 * measured here first: the API refuses a start with a 400 naming the field, and
 * the workflow leaves an oversized attribute out (with an error in its log)
 * rather than lose the partnership.
 */

/** `limit.searchAttributeValueSize`, the server's default: bytes of one encoded value (a whole list for KeywordList). */
export const SEARCH_ATTRIBUTE_VALUE_LIMIT_BYTES = 2 * 1024;
/** `limit.searchAttributeTotalSize`, the server's default: bytes of all of a workflow's search attributes together. */
export const SEARCH_ATTRIBUTES_TOTAL_LIMIT_BYTES = 40 * 1024;

/** A search attribute as the SDK's typed API takes it; only the name of its key matters here. */
export interface SearchAttributeEntry {
  key: { name: string };
  value: unknown;
}

export interface SearchAttributeProblem {
  name: string;
  bytes: number;
  limit: number;
  message: string;
}

const encoder = new TextEncoder();

/** Bytes of the value as the default payload converter encodes it (JSON, UTF-8); a Date encodes as its ISO string. */
export function encodedBytes(value: unknown): number {
  return encoder.encode(JSON.stringify(value)).length;
}

/**
 * Every attribute over a limit, with a message that names it and what to do.
 * An empty answer means all of them may be written.
 */
export function searchAttributeProblems(attributes: readonly SearchAttributeEntry[]): SearchAttributeProblem[] {
  const problems: SearchAttributeProblem[] = [];
  let total = 0;
  for (const { key, value } of attributes) {
    const bytes = encodedBytes(value);
    total += bytes;
    if (bytes > SEARCH_ATTRIBUTE_VALUE_LIMIT_BYTES) {
      problems.push({
        name: key.name,
        bytes,
        limit: SEARCH_ATTRIBUTE_VALUE_LIMIT_BYTES,
        message: `search attribute ${key.name} would be ${bytes} bytes; Temporal refuses values over ${SEARCH_ATTRIBUTE_VALUE_LIMIT_BYTES} bytes (shorten the value it comes from)`,
      });
    }
  }
  if (total > SEARCH_ATTRIBUTES_TOTAL_LIMIT_BYTES) {
    problems.push({
      name: '(all)',
      bytes: total,
      limit: SEARCH_ATTRIBUTES_TOTAL_LIMIT_BYTES,
      message: `search attributes would be ${total} bytes together; Temporal refuses more than ${SEARCH_ATTRIBUTES_TOTAL_LIMIT_BYTES} bytes per workflow`,
    });
  }
  return problems;
}

/** The attributes that fit, and the problems of those left out (all of them when the total is over). */
export function withinSearchAttributeLimits<T extends SearchAttributeEntry>(attributes: readonly T[]): { fit: T[]; problems: SearchAttributeProblem[] } {
  const problems = searchAttributeProblems(attributes);
  if (problems.some((p) => p.name === '(all)')) return { fit: [], problems };
  const over = new Set(problems.map((p) => p.name));
  return { fit: attributes.filter((a) => !over.has(a.key.name)), problems };
}
