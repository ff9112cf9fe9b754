import { escapeHtml } from '../../activities/documents/render-html';
import type { ReviewPartner, ReviewState } from '../../domain/review';
import { page } from './layout';

const scale = (name: string, label: string) => `<p>${escapeHtml(label)}<br>${[1, 2, 3, 4, 5]
  .map((n) => `<label><input type="radio" name="${name}" value="${n}" required> ${n}</label>`)
  .join(' ')} <small>(1 = not at all, 5 = fully)</small></p>`;

/** GET /reviews/:token — the focal point's form for one review; rendering changes nothing. */
export function renderReviewPage(state: ReviewState, partner: ReviewPartner, now: number): string {
  const r = state.request;
  const title = `Review ${r.number}: ${r.partnershipTitle}`;
  const answer = state.answers[partner.id];
  if (answer) {
    return page(title, `<h1>Thank you, ${escapeHtml(partner.organisation)}</h1><p>Your answers were recorded on ${escapeHtml(answer.at)}.</p>`);
  }
  if (state.step !== 'collecting' || now > Date.parse(state.deadlineAt)) {
    return page(title, `<h1>This review is closed</h1><p>Answers were due by ${escapeHtml(state.deadlineAt)}.</p>`);
  }
  const indicators = partner.indicators
    .map(
      (i) => `<p><label>${escapeHtml(i.indicator)} — ${escapeHtml(i.activityTitle)} (target ${escapeHtml(i.target)} ${escapeHtml(i.unit)} by ${escapeHtml(i.date)})<br>
<input name="value:${escapeHtml(i.key)}" inputmode="decimal" placeholder="current value in ${escapeHtml(i.unit)}"></label></p>`,
    )
    .join('\n');
  return page(
    title,
    `<h1>${escapeHtml(title)}</h1><p>For ${escapeHtml(partner.organisation)} · answers due by ${escapeHtml(state.deadlineAt.replace('T', ' ').slice(0, 16))} UTC</p>
<form method="post">
<h2>Your indicators</h2>${indicators || '<p>No indicators are assigned to you in this review.</p>'}
<h2>Our meetings</h2>
${scale('treatedFairly', 'Were participants treated fairly?')}
${scale('importantIssuesDiscussed', 'Were the important issues discussed?')}
<h2>Learning and feedback</h2>
<p><label for="learning">What did we learn? What should change?</label><br><textarea id="learning" name="learning" maxlength="4000"></textarea></p>
<p><label for="feedback">How is the organisation performing as a partner (strengths, weaknesses)?</label><br><textarea id="feedback" name="feedbackOnOrganisation" maxlength="4000"></textarea></p>
<p><button class="approve" type="submit">Submit</button></p></form>`,
  );
}
