import { DEFAULT_LANGUAGE, type Language } from '../../domain/language';
import { translator } from '../../infra/i18n';
import { say } from '../../infra/i18n/said';
import type { Said } from '../../domain/said';

/**
 * Why a link page refused when the refusal carries no code of its own, as the
 * catalogue names it (`pages:refusal.<reason>`): the status says it.
 */
export type RefusalReason = 'closed' | 'conflict' | 'invalid' | 'not-found' | 'not-yours' | 'rate-limited' | 'unavailable' | 'internal';

const BY_STATUS: Record<number, RefusalReason> = {
  400: 'invalid',
  403: 'not-yours',
  404: 'not-found',
  409: 'conflict',
  410: 'closed',
  413: 'invalid',
  415: 'invalid',
  429: 'rate-limited',
  503: 'unavailable',
};

/** A refusal as the API answers it (api/errors.ts `Problem`). */
export interface Refusal {
  status: number;
  /** The refusal's code (domain/said.ts), e.g. `refusals:task.alreadyDecided`. */
  code?: string;
  params?: Said['params'];
  /** English, for a refusal without a code (body-parser's, for instance). */
  message: string;
}

/**
 * What a refusal page (or one refused line of the inbox) says, in `language`:
 * the refusal's own sentence when it has a code (who decided and when, who
 * holds a task now, which field), else — English shows the message as it
 * came — the catalogue's explanation of the status.
 */
export function refusalText(language: Language, refusal: Refusal): string {
  if (refusal.code) return say(language, { code: refusal.code, ...(refusal.params ? { params: refusal.params } : {}) });
  if (language === DEFAULT_LANGUAGE) return refusal.message;
  const reason = BY_STATUS[refusal.status] ?? (refusal.status >= 500 ? 'internal' : 'invalid');
  return translator(language)(`pages:refusal.${reason}`);
}
