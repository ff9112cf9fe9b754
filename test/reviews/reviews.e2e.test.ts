import { itemsOfPhase } from '../../domain/partnership/catalogue';
import { eventually, partnershipRequest, FAST_TIMINGS, APPROVER_1, isTaskEmailFor, taskLinkOf } from '../support/fixtures';
import { activityInput, channelInput } from '../support/funding';
import { e2eSteps, useRunningService } from '../support/e2e';
import { contactFor } from '../support/partners';

/**
 * A periodic review over HTTP and real SMTP: partners' focal points answer
 * through their links, the MEL report is produced and downloadable, and the
 * governance decision (chosen on the emailed task page) starts the next cycle.
 */
const svc = useRunningService();
const { approveByEmail, completePhase, contactJoins, linkIn, startInPlanning } = e2eSteps(svc);

const reviewMailFor = (email: string) => (m: { to: string[]; text: string }) => m.to.includes(email) && /\/reviews\//.test(m.text);

test('two partners answer, the MEL report is downloadable, the decision moves the partnership to its next cycle', async () => {
  const id = await startInPlanning(partnershipRequest({ timings: { ...FAST_TIMINGS, reviewEvery: '3s' } }));
  await contactJoins(id, 'Ministry of Labour', 'government');
  await contactJoins(id, 'Youth Network', 'civil-society');
  await contactJoins(id, 'Workers Union', 'workers-organisation');
  await svc.call('POST', `/api/partnerships/${id}/roadmap`, { ...activityInput('green-jobs-pilot', 'ministry-of-labour', 'Green jobs pilot'), participatingPartners: ['youth-network'] });
  await completePhase(id, 'adaptive-planning');
  const channel = await svc.call('POST', `/api/partnerships/${id}/roadmap/green-jobs-pilot/channel`, channelInput('50000.00'));
  await approveByEmail(`${channel.body.channel.channelId}.approval`);
  await eventually(async () => (await svc.call('GET', `/api/partnerships/${id}/funding`)).body.activities[0].channel, 60_000);
  await approveByEmail((await svc.call('POST', `/api/partnerships/${id}/advance`, {})).body.task.id);

  // The review cadence (3s) moves the partnership into reflective monitoring and opens review 1.
  const review = await eventually(async () => (await svc.call('GET', `/api/partnerships/${id}/reviews`)).body.reviews?.[0], 60_000);
  const ministryLink = linkIn((await svc.mail.waitFor(reviewMailFor(contactFor('Ministry of Labour').email), 60_000)).text, 'reviews');
  const youthLink = linkIn((await svc.mail.waitFor(reviewMailFor(contactFor('Youth Network').email), 60_000)).text, 'reviews');
  const unionLink = linkIn((await svc.mail.waitFor(reviewMailFor(contactFor('Workers Union').email), 60_000)).text, 'reviews');
  expect(await (await fetch(ministryLink)).text()).toContain('Young people placed in green jobs');

  const base = { treatedFairly: '5', importantIssuesDiscussed: '4', learning: 'Pilots convince employers', feedbackOnOrganisation: 'Clear coordination' };
  const notNumber = await svc.form(ministryLink, { ...base, 'value:green-jobs-pilot/0': 'many' });
  expect(notNumber.status).toBe(400);
  expect(notNumber.text).toContain('must be a number');
  const notOwned = await svc.form(unionLink, { ...base, 'value:green-jobs-pilot/0': '5' });
  expect(notOwned.status).toBe(400);
  expect(notOwned.text).toContain('is not one of yours');
  expect((await svc.form(ministryLink, { ...base, 'value:green-jobs-pilot/0': '120' })).status).toBe(200);
  expect((await svc.form(youthLink, { ...base, 'value:green-jobs-pilot/0': '130' })).status).toBe(200);
  const twice = await svc.form(youthLink, { ...base, 'value:green-jobs-pilot/0': '999' });
  expect(twice.status).toBe(409);
  expect((await svc.form(unionLink, base)).status).toBe(200);

  // The decision leaves reflective monitoring only with its checklist done, as an advance would.
  for (const item of itemsOfPhase('reflective-monitoring')) {
    expect((await svc.call('POST', `/api/partnerships/${id}/checklist/${item.id}/complete`, { by: 'Mona' })).status).toBe(200);
  }
  const decisionMail = await svc.mail.waitFor(isTaskEmailFor(`${review.id}.decision`, APPROVER_1.email), 60_000);
  const page = await (await fetch(taskLinkOf(decisionMail).url)).text();
  expect(page).toContain('value="adapt"');
  const detail = await eventually(async () => {
    const r = await svc.call('GET', `/api/partnerships/${id}/reviews/${review.id}`);
    return r.body.report && r.body;
  });
  expect(Object.keys(detail.answers).sort()).toEqual(['ministry-of-labour', 'workers-union', 'youth-network']);
  const pdf = await fetch(detail.report.url, { headers: { authorization: `Bearer ${svc.apiKey}` } });
  expect(pdf.headers.get('content-type')).toBe('application/pdf');
  const html = await (await fetch(`${detail.report.url}?format=html`, { headers: { authorization: `Bearer ${svc.apiKey}` } })).text();
  expect(html).toContain('120 people of 250 people');

  const adaptWithoutNotes = await svc.form(taskLinkOf(decisionMail).url, { decision: 'approve', choice: 'adapt' });
  expect(adaptWithoutNotes.status).toBe(400);
  expect((await svc.form(taskLinkOf(decisionMail).url, { decision: 'approve', choice: 'adapt', comment: 'Add a second region' })).status).toBe(200);
  const next = await eventually(async () => {
    const v = (await svc.call('GET', `/api/partnerships/${id}`)).body;
    return v.cycle === 2 && v;
  }, 60_000);
  expect(next).toMatchObject({ phase: 'adaptive-planning', reviewNotes: 'Add a second region' });
  const series = (await svc.call('GET', `/api/partnerships/${id}/indicators`)).body.indicators[0].series;
  expect(series.map((p: { value: string }) => p.value).sort()).toEqual(['120', '130']);
  const late = await svc.form(ministryLink, { ...base, 'value:green-jobs-pilot/0': '1' });
  expect([409, 410]).toContain(late.status);
});
