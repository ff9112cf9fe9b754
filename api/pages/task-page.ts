import { escapeHtml } from '../../activities/documents/render-html';
import { actorDisplay } from '../../domain/actor';
import type { ApprovalState } from '../../domain/approval-state';
import { page } from './layout';
import { phaseLabel, type PhaseId } from '../../domain/phases';

function requestBlock(state: ApprovalState): string {
  const r = state.request;
  return `<div class="box"><dl>
<dt>Partnership</dt><dd>${escapeHtml(r.partnershipTitle)} (${escapeHtml(r.partnershipId)})</dd>
<dt>Request</dt><dd>${escapeHtml(r.summary)}</dd>
<dt>Requested by</dt><dd>${escapeHtml(actorDisplay(r.requestedBy))}</dd>
${r.details.length ? `<dt>Details</dt>${r.details.map((d) => `<dd>${escapeHtml(d)}</dd>`).join('')}` : ''}
<dt>Decide before</dt><dd>${escapeHtml(state.deadlineAt.replace('T', ' ').slice(0, 16))} UTC</dd>
</dl></div>`;
}

/** GET /tasks/:token — shows the request and a form; rendering it changes nothing. */
export function renderTaskPage(state: ApprovalState, approverName: string, now: number): string {
  const d = state.decision;
  if (d) {
    return page(
      'Already decided',
      `<h1>This request has already been decided</h1>${requestBlock(state)}
<p><strong>${escapeHtml(d.choice ?? d.outcome)}</strong> by ${escapeHtml(d.by ? d.by.name : 'the deadline')} at ${escapeHtml(d.at)}${
        d.comment ? ` — “${escapeHtml(d.comment)}”` : ''
      }</p>`,
    );
  }
  if (now > Date.parse(state.deadlineAt)) {
    return page('Expired', `<h1>This request has expired</h1>${requestBlock(state)}`);
  }
  const choices = state.request.choices;
  if (choices) {
    return page(
      'Decision needed',
      `<h1>Decision needed, ${escapeHtml(approverName)}</h1>${requestBlock(state)}
<form method="post"><input type="hidden" name="decision" value="approve">
<fieldset><legend>Your decision</legend>
${choices.map((c, i) => `<p><label><input type="radio" name="choice" value="${escapeHtml(c)}"${i === 0 ? ' required' : ''}> ${escapeHtml(c)}</label></p>`).join('\n')}
</fieldset>
<p><label for="comment">Notes${state.request.choicesNeedingComment?.length ? ` (required for: ${escapeHtml(state.request.choicesNeedingComment.join(', '))})` : ''}</label><br><textarea id="comment" name="comment" maxlength="2000"></textarea></p>
<p><button class="approve" type="submit">Submit the decision</button></p></form>`,
    );
  }
  return page(
    'Decision needed',
    `<h1>Decision needed, ${escapeHtml(approverName)}</h1>${requestBlock(state)}
<form method="post">
<p><label for="comment">Comment (required to reject)</label><br><textarea id="comment" name="comment" maxlength="2000"></textarea></p>
<p><button class="approve" type="submit" name="decision" value="approve">Approve</button>
<button class="reject" type="submit" name="decision" value="reject">Reject</button></p>
</form>`,
  );
}

/** The answer to POST /tasks/:token: the choice made (e.g. "adapt"), or approved/rejected. */
export function renderDecisionRecorded(state: ApprovalState, outcome: string, phase?: PhaseId | null): string {
  const where = phase === undefined ? '' : phase === null ? '<p>The partnership is now closed.</p>' : `<p>The partnership is now in <strong>${escapeHtml(phaseLabel(phase))}</strong>.</p>`;
  return page(
    'Decision recorded',
    `<h1>Thank you — your decision is recorded</h1>${requestBlock(state)}<p>Outcome: <strong>${escapeHtml(outcome)}</strong>.</p>${where}
<p>The partnership's manager is notified by email.</p>`,
  );
}
