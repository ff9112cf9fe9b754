import { escapeHtml } from '../../activities/documents/render-html';
import { actorDisplay } from '../../domain/actor';
import type { OnboardingState } from '../../domain/onboarding-state';
import { PRINCIPLES } from '../../domain/principles';
import { page } from './layout';

function header(state: OnboardingState): string {
  const r = state.request;
  return `<div class="box"><dl>
<dt>Partnership</dt><dd>${escapeHtml(r.partnershipTitle)}</dd>
<dt>Its goal</dt><dd>${escapeHtml(r.partnershipGoal)}</dd>
<dt>Your organisation</dt><dd>${escapeHtml(r.stakeholder.organisation)}</dd>
<dt>Invited by</dt><dd>${escapeHtml(actorDisplay(r.invitedBy))}</dd>
</dl></div>`;
}

const hidden = (step: string) => `<input type="hidden" name="step" value="${escapeHtml(step)}">`;

/** GET /invitations/:token — the contact's page shows the step the onboarding is at; rendering changes nothing. */
export function renderInvitationPage(state: OnboardingState, token: string, now: number): string {
  const r = state.request;
  const title = `Invitation: ${r.partnershipTitle}`;
  const open = ['respond', 'due-diligence', 'signature'].includes(state.step);
  if (open && now > Date.parse(state.stepDeadlineAt)) {
    return page(title, `<h1>This step has expired</h1>${header(state)}`);
  }
  switch (state.step) {
    case 'respond':
      return page(
        title,
        `<h1>Will ${escapeHtml(r.stakeholder.organisation)} join as a partner?</h1>${header(state)}
<form method="post">${hidden('respond')}
<p><label for="reason">If you decline, please tell us why</label><br><textarea id="reason" name="reason" maxlength="2000"></textarea></p>
<p><button class="approve" type="submit" name="answer" value="accept">Accept</button>
<button class="reject" type="submit" name="answer" value="decline">Decline</button></p></form>
<p>Answer before ${escapeHtml(state.stepDeadlineAt.replace('T', ' ').slice(0, 16))} UTC.</p>`,
      );
    case 'due-diligence':
      return page(
        title,
        `<h1>Due diligence</h1>${header(state)}
<form method="post">${hidden('due-diligence')}
<p>Please confirm that your organisation subscribes to each principle (ECOSOC 2003 decision and UNSDG guiding principles):</p>
${PRINCIPLES.map(
  (p) => `<p><label><input type="checkbox" name="principles" value="${p.id}"> ${escapeHtml(p.title)} <em>(${escapeHtml(p.source)})</em></label></p>`,
).join('\n')}
<p><label for="coi">Conflicts of interest (write "none" if there are none)</label><br><textarea id="coi" name="conflictsOfInterest" maxlength="4000" required></textarea></p>
<p><button class="approve" type="submit">Submit</button></p></form>`,
      );
    case 'approval':
      return page(title, `<h1>Thank you</h1>${header(state)}<p>Your answers are with the partnership's approvers. We will email you.</p>`);
    case 'signature':
      return page(
        title,
        `<h1>Confirm the signature</h1>${header(state)}
<p>Your participation was approved. Please read the <a href="/invitations/${escapeHtml(token)}/agreement">${escapeHtml(state.document?.title ?? 'agreement')}</a>, sign it, and confirm here.</p>
<form method="post">${hidden('signature')}
<p><label for="signatory">Signed by (name and title)</label><br><input id="signatory" name="signatory" maxlength="200" required style="width:100%"></p>
<p><button class="approve" type="submit">Confirm the signature</button></p></form>`,
      );
    case 'registering':
    case 'active':
      return page(title, `<h1>Welcome to the partnership</h1>${header(state)}<p>${escapeHtml(r.stakeholder.organisation)} is now a partner.</p>`);
    default:
      return page(
        title,
        `<h1>This invitation has ended (${escapeHtml(state.step)})</h1>${header(state)}${state.reason ? `<p>Reason: ${escapeHtml(state.reason)}</p>` : ''}`,
      );
  }
}
