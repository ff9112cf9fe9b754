import { HttpError } from './errors';
import { said } from '../domain/said';

/**
 * A string literal for a Temporal visibility query. Apostrophes are escaped,
 * never refused: organisation names and email addresses carry them
 * ("Côte d'Ivoire", o'brien@example.org). Temporal's query parser takes `\'`
 * inside single quotes (the API tests check it against the dev server). A
 * backslash has no reliable escape in that parser, and no value we filter on
 * (enums, ids, email addresses) contains one, so it is refused.
 *
 * @throws HttpError 400 when the value contains a backslash
 */
export function visibilityString(value: string): string {
  if (value.includes('\\')) throw new HttpError(400, said('refusals:list.backslash', { value }));
  return `'${value.replace(/'/g, "\\'")}'`;
}
