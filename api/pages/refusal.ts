import { DEFAULT_LANGUAGE, type Language } from '../../domain/language';
import { formatters, translator } from '../../infra/i18n';
import { localiseText } from '../../infra/i18n/workflow-text';

/**
 * Why a link page refused, as the catalogue names it (`pages:refusal.<reason>`).
 * The status says most of it; within a status, the few refusals a person can
 * act on differently (a changed link, someone else's link, an expired one, a
 * request already decided) are told apart by what the refusing code said.
 */
export type RefusalReason =
  | 'link-malformed'
  | 'link-forged'
  | 'link-expired'
  | 'link-wrong-kind'
  | 'not-yours'
  | 'handed-over'
  | 'already-decided'
  | 'closed'
  | 'partnership-closed'
  | 'conflict'
  | 'invalid'
  | 'not-found'
  | 'rate-limited'
  | 'unavailable'
  | 'internal';

const BY_MESSAGE: Array<[RegExp, RefusalReason]> = [
  [/link is malformed/, 'link-malformed'],
  [/signature does not match/, 'link-forged'],
  [/link expired on|key that has since been retired/, 'link-expired'],
  [/another kind of request|not for a list of requests/, 'link-wrong-kind'],
  [/you handed this task to/, 'handed-over'],
  [/not assigned to you|sent to another contact|not sent to you/, 'not-yours'],
  [/already decided/, 'already-decided'],
  [/its partnership (closed|was)|closed with its partnership/, 'partnership-closed'],
];

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

export function refusalReason(status: number, message: string): RefusalReason {
  return BY_MESSAGE.find(([pattern]) => pattern.test(message))?.[1] ?? BY_STATUS[status] ?? (status >= 500 ? 'internal' : 'invalid');
}

/**
 * What a refusal page (or one refused line of the inbox) says, in `language`.
 * English shows the refusing code's own message, which names the detail
 * (e.g. which field, who decided and when); other languages show the
 * catalogue's explanation of the reason, with who decided and when for a
 * request already decided, and a form problem the catalogue knows.
 */
export function refusalText(language: Language, status: number, message: string): string {
  if (language === DEFAULT_LANGUAGE) return message;
  const t = translator(language);
  const reason = refusalReason(status, message);
  if (reason === 'already-decided') {
    const m = /already decided: (\w+) by (.+) at (\S+)$/.exec(message);
    if (m) return t('pages:refusal.already-decided', { outcome: t(`pages:outcome.${m[1]}`, { defaultValue: m[1] }), by: m[2] === 'the deadline' ? t('pages:task.byDeadline') : m[2], at: formatters(language).dateTime(m[3]) });
    return t('pages:refusal.conflict');
  }
  if (reason === 'handed-over') {
    const m = /you handed this task to (.+); (.+) holds it now$/.exec(message);
    if (m) return t('pages:refusal.handed-over', { to: m[1], holder: m[2] });
  }
  if (reason === 'invalid') {
    const known = message.split('; ').map((part) => localiseText(language, part.replace(/^[\w.:()]+: /, '')));
    if (known.every((k, i) => k !== message.split('; ')[i].replace(/^[\w.:()]+: /, ''))) return known.join('; ');
  }
  return t(`pages:refusal.${reason}`);
}
