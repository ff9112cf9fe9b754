import { approvalTaskKind, type ApprovalState } from '../../domain/human-tasks/approval-state';
import type { Language } from '../../domain/language';
import type { PhaseId } from '../../domain/partnership/phases';
import { LANGUAGES, translator } from '../../infra/i18n';
import { wordsOfKind, type KindWords } from '../pages/kind-words';
import { renderPage } from '../pages/views';

/** What the task page shows beside the request. */
export interface TaskPageOptions {
  /** The link's token: the page's own forms (hand-over, out of office) and its document post to paths under it. */
  token: string;
  /** A gate's draft document (`phase`) or a review decision's MEL report (`report`) to read first; none for other tasks. */
  document?: 'phase' | 'report';
  /** A refused submission shown again: the problem in the reader's words and what was typed. */
  problem?: { message: string; typed: { decision?: string; comment?: string; choice?: string } };
}

/**
 * GET /tasks/:token — shows the request, what it is about (its document), the
 * decision form, and the forms to hand it to a colleague or set an absence,
 * in `language`; rendering it changes nothing. With `problem`, the form again
 * after a refused POST (answered 400).
 */
export function renderTaskPage(state: ApprovalState, approverName: string, now: number, language: Language, options: TaskPageOptions): string {
  const t = translator(language);
  const expired = !state.decision && now > Date.parse(state.deadlineAt);
  const title = state.decision ? t('pages:task.titleDecided') : expired ? t('pages:task.titleExpired') : t('pages:task.titleOpen');
  const needingLabels = (state.request.choicesNeedingComment ?? []).map((c) => t(`pages:outcome.${c}`, { defaultValue: c })).join(', ');
  return renderPage('task', language, {
    title: options.problem ? t('pages:errorPrefix', { title }) : title,
    state,
    approverName,
    expired,
    needingLabels,
    kindWords: kindWords(state, language),
    token: options.token,
    document: options.document,
    problem: options.problem,
    typed: options.problem?.typed ?? {},
    today: new Date(now).toISOString().slice(0, 10),
    languageChoices: LANGUAGES.map((l) => ({ id: l, name: translator(l)('common:languageName') })),
  });
}

/**
 * What the task's kind asks and what each answer does, in `language`, from the
 * catalogue (`tasks:<kind>.title|asks|approves|rejects`; approvals have all
 * four, a contact's form the first two). Undefined for a kind this API does
 * not know (a newer worker's, during a rolling deploy): the page shows the
 * task and its decision form without them.
 */
export function kindWords(state: ApprovalState, language: Language): KindWords | undefined {
  return wordsOfKind(approvalTaskKind(state.request), language);
}

/**
 * The answer to POST /tasks/:token: the choice made (e.g. "adapt"), or
 * approved/rejected, and where the partnership now stands (`phase` null:
 * closed; undefined: not a gate).
 */
export function renderDecisionRecorded(state: ApprovalState, outcome: string, phase: PhaseId | null | undefined, language: Language): string {
  return renderPage('task-recorded', language, { title: translator(language)('pages:task.titleRecorded'), state, outcome, phase, closed: phase === null });
}
