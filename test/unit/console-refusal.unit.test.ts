import type { Request } from 'express';
import { refusalReason } from '../../api/console/kit';
import { toProblem, HttpError } from '../../api/errors';
import { said } from '../../domain/said';

/**
 * A refusal on a console page (api/console/kit.ts `refusal`) is said in the
 * console's language when it carries a code; English reads as the API's
 * message; a refusal without a code (a tool's words) shows as it came.
 */
const inLanguage = (language: string) => ({ session: { language }, get: () => undefined }) as unknown as Request;
const closed = toProblem(new HttpError(409, said('refusals:partnership.closed')));

test('a coded refusal reads in the console language, and in English as the API says it', () => {
  expect(refusalReason(inLanguage('fr'), closed)).toBe('Le partenariat est clos.');
  expect(refusalReason(inLanguage('en'), closed)).toBe(closed.message);
});

test('a refusal without a code shows its words as they came, in every language', () => {
  const tool = { status: 400, message: 'request entity too large' };
  expect(refusalReason(inLanguage('ar'), tool)).toBe('request entity too large');
});
