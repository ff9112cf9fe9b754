import type { ApprovalState } from '../../domain/approval-state';
import type { Language } from '../../domain/language';
import type { PhaseId } from '../../domain/phases';
import { translator } from '../../infra/i18n';
import { renderPage } from './views';

/** GET /tasks/:token — shows the request and a form in `language`; rendering it changes nothing. */
export function renderTaskPage(state: ApprovalState, approverName: string, now: number, language: Language): string {
  const t = translator(language);
  const expired = !state.decision && now > Date.parse(state.deadlineAt);
  const title = state.decision ? t('pages:task.titleDecided') : expired ? t('pages:task.titleExpired') : t('pages:task.titleOpen');
  const needingLabels = (state.request.choicesNeedingComment ?? []).map((c) => t(`pages:outcome.${c}`, { defaultValue: c })).join(', ');
  return renderPage('task', language, { title, state, approverName, expired, needingLabels });
}

/**
 * The answer to POST /tasks/:token: the choice made (e.g. "adapt"), or
 * approved/rejected, and where the partnership now stands (`phase` null:
 * closed; undefined: not a gate).
 */
export function renderDecisionRecorded(state: ApprovalState, outcome: string, phase: PhaseId | null | undefined, language: Language): string {
  return renderPage('task-recorded', language, { title: translator(language)('pages:task.titleRecorded'), state, outcome, phase, closed: phase === null });
}
