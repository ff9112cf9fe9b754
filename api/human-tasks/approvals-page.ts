import type { ApprovalState } from '../../domain/human-tasks/approval-state';
import { DEFAULT_LANGUAGE, type Language } from '../../domain/language';
import { translator } from '../../infra/i18n';
import { say } from '../../infra/i18n/said';
import { refusalText, type Refusal } from '../pages/refusal';
import { renderPage } from '../pages/views';

/** What the approver typed for one request, kept when the form comes back with an error. */
export interface TypedDecision {
  decision?: string;
  comment?: string;
}

export interface InboxForm {
  typed?: Map<string, TypedDecision>;
  /** Field problems by task id. */
  errors?: Map<string, string>;
  /** A problem with the form as a whole (nothing chosen). */
  formError?: string;
}

/**
 * The one-line name of a task: the partner for a partner approval, else the
 * request's summary. In English (the default) as the JSON answers give it; in
 * `language` the partner's group and the summary are translated.
 */
export function taskTitle(state: ApprovalState, language: Language = DEFAULT_LANGUAGE): string {
  const p = state.request.partner;
  if (!p) return say(language, state.request.summary);
  const group = language === DEFAULT_LANGUAGE ? p.group : translator(language)(`labels:group.${p.group}`, { defaultValue: p.group });
  return `${p.organisation} (${group})`;
}

/**
 * GET /approvals/:token — every open task of one kind waiting for this
 * approver, each with what is needed to decide it; rendering changes nothing.
 * Re-rendered with the approver's input and an error summary when a POST is incomplete.
 */
export function renderInboxPage(kind: string, approverName: string, tasks: ApprovalState[], language: Language, form: InboxForm = {}): string {
  const t = translator(language);
  const problem = (message: string) => say(language, message);
  const items = tasks.map((state) => {
    const typed = form.typed?.get(state.request.taskId) ?? {};
    const error = form.errors?.get(state.request.taskId);
    return {
      state,
      title: taskTitle(state, language),
      choice: typed.decision === 'approve' || typed.decision === 'reject' ? typed.decision : '',
      comment: typed.comment ?? '',
      ...(error ? { error: problem(error) } : {}),
    };
  });
  const problems = [
    ...(form.formError ? [{ href: '#item-0', text: problem(form.formError) }] : []),
    ...items.flatMap((it, i) => (it.error ? [{ href: `#comment-${i}`, text: `${it.title}: ${it.error}` }] : [])),
  ];
  const title = t('pages:inbox.title', { kind: t(`pages:inbox.kind.${kind}`) });
  return renderPage('inbox', language, { title: items.length ? title : t('pages:inbox.nothingTitle'), hasError: problems.length > 0, approverName, items, problems });
}

export interface InboxResult {
  taskId: string;
  title: string;
  status: 'decided' | 'refused';
  outcome?: 'approved' | 'rejected';
  /**
   * Why a line was refused: the status it would have had on its own (409
   * already decided, 403 not yours…), its code and parameters, and its
   * English words for tools (api/errors.ts `Problem`).
   */
  refusal?: Refusal;
}

/** The answer to POST /approvals/:token: one line per request, decided or refused with the reason. */
export function renderInboxResults(results: InboxResult[], language: Language): string {
  const shown = results.map((r) => (r.status === 'refused' && r.refusal ? { ...r, message: refusalText(language, r.refusal) } : r));
  return renderPage('inbox-results', language, {
    title: translator(language)('pages:inbox.resultsTitle'),
    results: shown,
    decided: results.filter((r) => r.status === 'decided').length,
  });
}
