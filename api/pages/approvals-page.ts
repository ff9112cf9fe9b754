import { escapeHtml } from '../../activities/documents/render-html';
import { actorDisplay } from '../../domain/actor';
import type { ApprovalState, ApprovalTaskKind } from '../../domain/approval-state';
import { page } from './layout';

const KIND_TITLES: Record<ApprovalTaskKind, string> = {
  'partner-approval': 'Partner approvals',
  gate: 'Phase gates',
  'review-decision': 'Review decisions',
  'funding-channel': 'Financial channels',
};

const when = (iso: string) => `${iso.replace('T', ' ').slice(0, 16)} UTC`;

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

/** The one-line name of a task on the page: the partner for a partner approval, else the request's summary. */
export function taskTitle(state: ApprovalState): string {
  const p = state.request.partner;
  return p ? `${p.organisation} (${p.group})` : state.request.summary;
}

function facts(state: ApprovalState): string {
  const r = state.request;
  const p = r.partner;
  const rows: Array<[string, string]> = [['Partnership', r.partnershipTitle]];
  if (p) {
    rows.push(
      ['Contact', `${p.contact.name} <${p.contact.email}>`],
      ['Principles attested', `${p.principlesAttested} of ${p.principlesTotal}`],
      ['Conflicts of interest', p.conflictsOfInterest],
    );
  } else {
    rows.push(['Request', r.summary], ...r.details.map((d): [string, string] => ['Details', d]));
  }
  rows.push(['Requested by', actorDisplay(r.requestedBy)], ['Decide before', when(state.deadlineAt)]);
  return `<dl>${rows.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`;
}

function item(state: ApprovalState, i: number, form: InboxForm): string {
  const id = state.request.taskId;
  const typed = form.typed?.get(id) ?? {};
  const error = form.errors?.get(id);
  const choice = typed.decision === 'approve' || typed.decision === 'reject' ? typed.decision : '';
  const radio = (value: string, label: string) =>
    `<label class="choice"><input type="radio" name="decision:${escapeHtml(id)}" value="${value}"${choice === value ? ' checked' : ''}> ${label}</label>`;
  return `<fieldset class="box${error ? ' has-error' : ''}" id="item-${i}"><legend><strong>${escapeHtml(taskTitle(state))}</strong></legend>
${facts(state)}
<p>${radio('approve', 'Approve')} ${radio('reject', 'Reject')} ${radio('', 'Not now')}</p>
<p><label for="comment-${i}">Comment (required to reject)</label>
${error ? `<span class="error-message" id="comment-${i}-error">${escapeHtml(error)}</span>` : ''}
<textarea id="comment-${i}" name="comment:${escapeHtml(id)}" maxlength="2000" rows="2"${error ? ` aria-describedby="comment-${i}-error"` : ''}>${escapeHtml(typed.comment ?? '')}</textarea></p>
</fieldset>`;
}

const STYLE = `<style>.choice{display:inline-block;padding:.4rem .6rem .4rem 0;min-height:44px}fieldset.box{min-width:0}
.has-error{border-left:5px solid #b10e1e}.error-message{display:block;color:#b10e1e;font-weight:600}
.error-summary{border:4px solid #b10e1e;padding:1rem;margin:1rem 0}.error-summary a{color:#b10e1e}
dd{margin:0 0 .4rem 0;overflow-wrap:anywhere}.result-decided{color:#1d6b35}.result-refused{color:#8b1c1c}</style>`;

/**
 * GET /approvals/:token — every open task of one kind waiting for this
 * approver, each with what is needed to decide it; rendering changes nothing.
 * Re-rendered with the approver's input and an error summary when a POST is incomplete.
 */
export function renderInboxPage(kind: ApprovalTaskKind, approverName: string, tasks: ApprovalState[], form: InboxForm = {}): string {
  const title = `${KIND_TITLES[kind]} waiting for you`;
  if (tasks.length === 0) {
    return page(title, `<h1>Nothing is waiting for you</h1><p>${escapeHtml(approverName)}, no ${escapeHtml(KIND_TITLES[kind].toLowerCase())} are open for you right now.</p>`);
  }
  const problems = [
    ...(form.formError ? [`<li><a href="#item-0">${escapeHtml(form.formError)}</a></li>`] : []),
    ...tasks.flatMap((t, i) => {
      const e = form.errors?.get(t.request.taskId);
      return e ? [`<li><a href="#comment-${i}">${escapeHtml(taskTitle(t))}: ${escapeHtml(e)}</a></li>`] : [];
    }),
  ];
  const summary = problems.length
    ? `<div class="error-summary" role="alert" tabindex="-1"><h2>There is a problem</h2><ul>${problems.join('')}</ul></div>`
    : '';
  return page(
    (problems.length ? 'Error: ' : '') + title,
    `${STYLE}${summary}<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(approverName)}, ${tasks.length} request${tasks.length === 1 ? ' is' : 's are'} open. Choose approve or reject for the ones you want to decide now, then submit once; requests left at “Not now” stay open.</p>
<form method="post" novalidate>
<p><button type="button" id="approve-all" hidden>Mark every request “Approve”</button></p>
${tasks.map((t, i) => item(t, i, form)).join('\n')}
<p><button class="approve" type="submit">Submit these decisions</button></p>
</form>
<script>(function(){var b=document.getElementById('approve-all');b.hidden=false;b.addEventListener('click',function(){
document.querySelectorAll('input[type=radio][value=approve]').forEach(function(r){r.checked=true;});});})();</script>`,
  );
}

export interface InboxResult {
  taskId: string;
  title: string;
  status: 'decided' | 'refused';
  outcome?: 'approved' | 'rejected';
  message?: string;
}

/** The answer to POST /approvals/:token: one line per request, decided or refused with the reason. */
export function renderInboxResults(kind: ApprovalTaskKind, results: InboxResult[]): string {
  const decided = results.filter((r) => r.status === 'decided').length;
  const lines = results
    .map((r) =>
      r.status === 'decided'
        ? `<li class="result-decided"><strong>${escapeHtml(r.title)}</strong>: ${escapeHtml(r.outcome ?? '')} — recorded</li>`
        : `<li class="result-refused"><strong>${escapeHtml(r.title)}</strong>: not recorded — ${escapeHtml(r.message ?? '')}</li>`,
    )
    .join('\n');
  return page(
    'Decisions',
    `${STYLE}<h1>${decided} of ${results.length} decision${results.length === 1 ? '' : 's'} recorded</h1>
<ul>${lines}</ul>
<p><a href="">Back to the ${escapeHtml(KIND_TITLES[kind].toLowerCase())} still open</a></p>`,
  );
}
