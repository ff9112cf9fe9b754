import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startLocalService, type LocalService } from '../../scripts/local-service';
import { CHROMIUM_ARGS, ensureChromium } from '../../infra/chromium';
import { APPROVER_1, FAST_TIMINGS, eventually, isTaskEmailFor, partnershipRequest, taskLinkOf } from '../support/fixtures';
import { activityInput, channelInput } from '../support/funding';
import { contactFor, stakeholderInput } from '../support/partners';
import { e2eSteps, type Running } from '../support/e2e';
import { screenshotsDir } from '../support/screenshots';
import { DESKTOP, check, fitsPhone, screenshots } from '../support/console';

/**
 * Reflective monitoring in the console, in a real browser against the whole
 * service (processes, the embedded OpenID provider, the SMTP sink). A
 * partnership is brought to collaborative action through the API with the
 * key; then Mona opens review 1 from the console (its partners answer through
 * their links, Ari gives the review's advice from his email) and the
 * partnership moves into reflective monitoring, which opens review 2. From
 * there by clicking only: Mona sees who has answered, reminds those who have
 * not, each partner's focal point answers through the emailed reminder's link,
 * Mona reads the report (indicator against target, trend chart across both
 * reviews, feedback), ticks the checklist and decides "continue"; Ari approves
 * from the email, and the partnership is in cycle 2. axe-core on each page,
 * 375 px, screenshots (desktop, 375 px, and the report in Arabic).
 */
const SHOTS = screenshotsDir();
const PARTNERS = [
  ['Ministry of Labour', 'government'],
  ['Youth Network', 'civil-society'],
  ['Workers Union', 'workers-organisation'],
] as const;

let svc: LocalService;
let browser: Browser;

beforeAll(async () => {
  const cli = process.env.TEMPORAL_CLI;
  if (!cli) throw new Error('TEMPORAL_CLI is not set; run the tests through jest (globalSetup finds the CLI)');
  svc = await startLocalService(cli, { signIn: true, verbose: Boolean(process.env.E2E_VERBOSE) });
  browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS, headless: true });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  expect(await svc?.stop()).toEqual({ api: 0, worker: 0 });
});

async function newPage(): Promise<Page> {
  return (await browser.newContext({ viewport: DESKTOP })).newPage();
}



/** At 375 px nothing is wider than the window, then the page at desktop width and at 375 px into the screenshots folder. */
async function look(page: Page, name: string): Promise<void> {
  await fitsPhone(page, name);
  await screenshots(page, SHOTS, name);
}

const reviewMailFor = (email: string, number: number, reminder = false) => (m: { to: string[]; text: string; subject: string }) =>
  m.to.includes(email) && /\/reviews\//.test(m.text) && m.subject.includes(`review ${number}`) && m.subject.includes('reminder') === reminder;


/**
 * Adaptive planning completed, the green-jobs pilot's funding channel approved
 * and the gate to collaborative action passed, each from the approver's email.
 */
async function fundedIntoAction(id: string): Promise<void> {
  const steps = e2eSteps(svc as Running);
  await steps.completePhase(id, 'adaptive-planning');
  const channel = await svc.call('POST', `/api/partnerships/${id}/roadmap/green-jobs-pilot/channel`, channelInput('50000.00'));
  await steps.approveByEmail(`${channel.body.channel.channelId}.approval`);
  await eventually(async () => (await svc.call('GET', `/api/partnerships/${id}/funding`)).body.activities[0].channel, 60_000);
  await steps.approveByEmail((await svc.call('POST', `/api/partnerships/${id}/advance`, {})).body.task.id);
  await eventually(async () => (await svc.call('GET', `/api/partnerships/${id}`)).body.phase === 'collaborative-action', 60_000);
}

test('a manager follows a review in the console: who answered, a reminder, the report with its trend, and "continue" into cycle 2', async () => {
  const steps = e2eSteps(svc as Running);
  // ── Through the API with the key: three partners, one activity with a target, funded, in collaborative action.
  const id = await steps.startInPlanning(partnershipRequest({ timings: { ...FAST_TIMINGS, reviewEvery: '30 days' } }));
  for (const [organisation, group] of PARTNERS) await steps.contactJoins(id, organisation, group);
  expect(
    (await svc.call('POST', `/api/partnerships/${id}/roadmap`, { ...activityInput('green-jobs-pilot', 'ministry-of-labour', 'Green jobs pilot'), participatingPartners: ['youth-network'] })).status,
  ).toBe(200);
  await fundedIntoAction(id);

  // ── Mona signs in and opens review 1 from the console, during collaborative action.
  const mona = await newPage();
  await mona.goto(`${svc.base}/`);
  await mona.getByLabel(/Mona Lind/).check();
  await mona.getByRole('button', { name: 'Sign in' }).click();
  await mona.waitForURL(`${svc.base}/console`);
  await mona.getByRole('link', { name: 'Decent jobs for young people in the green economy' }).first().click();
  const partnershipUrl = mona.url();
  expect(partnershipUrl).toBe(`${svc.base}/console/partnerships/${id}`);
  await mona.getByRole('link', { name: /^Reviews: who has answered/ }).click();
  await mona.getByRole('heading', { name: 'Reviews', level: 1 }).waitFor();
  await expect(mona.locator('#next').textContent()).resolves.toMatch(/The next review opens on .* when the partnership moves into reflective monitoring/);
  await check(mona, 'reviews (none yet)', { phone: false });
  await look(mona, '30-reviews');
  await mona.getByRole('button', { name: 'Open a review now' }).click();
  await mona.getByRole('heading', { name: 'Review 1 opened' }).waitFor();
  expect(mona.url()).toBe(`${partnershipUrl}/reviews/1`);
  await expect(mona.locator('#answers').textContent()).resolves.toContain('Answers: 0 of 3 partners');

  // Its partners answer through their links and Ari gives the review's advice (quickly, over HTTP): the first point of the trend.
  const review1 = (await svc.call('GET', `/api/partnerships/${id}/reviews`)).body.reviews[0];
  const base = { treatedFairly: '4', importantIssuesDiscussed: '4', learning: 'Start small', feedbackOnOrganisation: 'Good convening' };
  const values1: Record<string, string> = { 'Ministry of Labour': '60', 'Youth Network': '70' };
  for (const [organisation] of PARTNERS) {
    const link = steps.linkIn((await svc.mail.waitFor(reviewMailFor(contactFor(organisation).email, 1), 60_000)).text, 'reviews');
    const value = values1[organisation];
    expect((await svc.form(link, { ...base, ...(value ? { 'value:green-jobs-pilot/0': value } : {}) })).status).toBe(200);
  }
  const advice = await svc.mail.waitFor(isTaskEmailFor(`${review1.id}.decision`, APPROVER_1.email), 60_000);
  expect((await svc.form(taskLinkOf(advice).url, { decision: 'approve', choice: 'continue' })).status).toBe(200);
  await eventually(async () => (await svc.call('GET', `/api/partnerships/${id}/reviews`)).body.reviews[0].status === 'decided', 60_000);

  // Into reflective monitoring through the API: review 2 opens by itself.
  await steps.completePhase(id, 'collaborative-action');
  await steps.approveByEmail((await svc.call('POST', `/api/partnerships/${id}/advance`, {})).body.task.id);
  await eventually(async () => (await svc.call('GET', `/api/partnerships/${id}/reviews`)).body.reviews[1]?.status === 'in-progress', 60_000);

  // ── From here by clicking only. The partnership page's Reviews panel leads to review 2: nobody has answered.
  await mona.getByRole('link', { name: 'My partnerships' }).click();
  await mona.getByRole('link', { name: 'Decent jobs for young people in the green economy' }).first().click();
  await mona.locator('#reviews-panel').screenshot({ path: join(SHOTS, '34-partnership-reviews-panel-desktop.png') });
  await mona.locator('#reviews-panel').getByRole('link').click();
  await mona.getByRole('link', { name: 'Review 2 (cycle 1)', exact: true }).click();
  await mona.getByRole('heading', { name: 'Review 2', level: 1 }).waitFor();
  await expect(mona.locator('#answers').textContent()).resolves.toContain('Answers: 0 of 3 partners');
  expect(await mona.locator('table tbody tr').count()).toBe(3);
  expect(await mona.getByText('Not yet').count()).toBe(3);
  await expect(mona.locator('table').textContent()).resolves.toContain(contactFor('Youth Network').email);
  await check(mona, 'review 2 (nobody answered)', { phone: false });
  await look(mona, '31-review-answers');

  // Remind those who have not answered: each focal point gets the link again.
  const before = svc.mail.messages.length;
  await mona.getByRole('button', { name: 'Remind those who have not answered' }).click();
  await mona.getByRole('heading', { name: 'Reminders sent to 3 partners' }).waitFor();
  await expect(mona.locator('#reminders').textContent()).resolves.toMatch(/Reminders sent[\s\S]*by Mona Lind, to 3 partners/);
  const reminders = await Promise.all(PARTNERS.map(([organisation]) => svc.mail.waitFor(reviewMailFor(contactFor(organisation).email, 2, true), 60_000)));
  // The same reminder again (its key, as a double click or a retried request sends it) sends nothing more.
  const sameKey = { key: 'api-reminder-0001' };
  const once = await svc.call('POST', `/api/partnerships/${id}/reviews/2/reminders`, sameKey);
  const twice = await svc.call('POST', `/api/partnerships/${id}/reviews/2/reminders`, sameKey);
  expect(once.status).toBe(200);
  expect(twice.body.reminder).toEqual(once.body.reminder);
  await eventually(async () => svc.mail.messages.length >= before + 6, 30_000);
  await new Promise((r) => setTimeout(r, 2000));
  expect(svc.mail.messages.slice(before).filter((m) => /reminder/.test(m.subject)).length).toBe(6);

  // Each partner's focal point answers through the reminder's link, in their own browser.
  const values2: Record<string, string> = { 'Ministry of Labour': '120', 'Youth Network': '140' };
  for (const [i, [organisation]] of PARTNERS.entries()) {
    const contact = await newPage();
    await contact.goto(steps.linkIn(reminders[i].text, 'reviews'));
    if (values2[organisation]) await contact.getByRole('textbox', { name: /Young people placed in green jobs/ }).fill(values2[organisation]);
    await contact.getByRole('group', { name: 'Were participants treated fairly?' }).getByLabel('5').check();
    await contact.getByRole('group', { name: 'Were the important issues discussed?' }).getByLabel('4').check();
    await contact.getByLabel('What did we learn? What should change?').fill(`${organisation}: employers join once a pilot shows results`);
    await contact.getByLabel(/How is the organisation performing/).fill(`${organisation}: clear coordination, slow contracts`);
    await contact.getByRole('button', { name: 'Submit' }).click();
    await contact.getByRole('heading', { name: `Thank you, ${organisation}` }).waitFor();
    await contact.context().close();
    if (i === 0) {
      // Mona sees who has answered so far.
      await mona.reload();
      await expect(mona.locator('#answers').textContent()).resolves.toContain('Answers: 1 of 3 partners');
      await expect(mona.locator('#partner-ministry-of-labour').textContent()).resolves.toContain('Answered');
    }
  }

  // ── The report: the indicator against its target, its trend across both reviews (chart and table), partners' feedback.
  await mona.reload();
  await mona.getByRole('link', { name: 'Read the report' }).click();
  await mona.getByRole('heading', { name: 'Report of review 2', level: 1 }).waitFor();
  await expect(mona.locator('main').textContent()).resolves.toContain('3 of 3 partners answered.');
  const indicator = mona.locator('.review-indicator').first();
  await expect(indicator.textContent()).resolves.toMatch(/Target: \W*250 people\W* by/);
  await expect(indicator.locator('table').first().textContent()).resolves.toMatch(/Ministry of Labour\W*120 people\W*48%/);
  const chart = indicator.getByRole('img', { name: /Young people placed in green jobs.* across reviews/ });
  expect(await chart.count()).toBe(1);
  expect(await indicator.locator('svg polyline').count()).toBe(2);
  expect(await indicator.locator('.review-chart-svg text').allTextContents()).toEqual(expect.arrayContaining(['R1', 'R2', 'Target']));
  await indicator.getByText('Show these values as a table').click();
  await expect(indicator.locator('details table').textContent()).resolves.toMatch(/Review 1\W*Ministry of Labour\W*60 people[\s\S]*Review 2\W*Youth Network\W*140 people/);
  await expect(mona.locator('main').textContent()).resolves.toContain('Workers Union: clear coordination, slow contracts');
  await check(mona, 'review 2 report', { phone: false });
  await look(mona, '32-review-report');

  // The decision: the checklist of reflective monitoring first (the report lists what is missing, linked to the items).
  await mona.getByRole('button', { name: 'Ask the approvers' }).click();
  await mona.getByRole('heading', { name: 'There is a problem' }).waitFor();
  await expect(mona.locator('.error-summary').textContent()).resolves.toContain('Choose continue, adapt or exit');
  await check(mona, 'review 2 report (decision error)', { phone: false });
  await mona.locator('#decision').getByRole('listitem').first().getByRole('link').click();
  for (let ticked = 0; ; ticked++) {
    const form = mona.locator('form.tick-form').first();
    if ((await form.count()) === 0) break;
    await form.getByRole('button').click();
    await mona.waitForLoadState('load');
    expect(ticked).toBeLessThan(30);
  }
  await mona.getByRole('link', { name: 'Read the report of review 2 before you decide' }).click();
  await mona.getByLabel(/^Continue/).check();
  await mona.getByLabel('Notes for the approvers').fill('On track; keep both regions');
  await mona.getByRole('button', { name: 'Ask the approvers' }).click();
  await mona.getByRole('heading', { name: 'Decision sent for approval' }).waitFor();
  await expect(mona.locator('#decision').textContent()).resolves.toMatch(/Your decision “Continue” waits for\s*Ari Approver/);
  await check(mona, 'review 2 report (decision sent)', { phone: false });

  // The report in Arabic, right to left, through the preferences.
  await mona.getByRole('link', { name: 'Language and time zone' }).click();
  await mona.getByLabel('Language').selectOption('ar');
  await mona.getByRole('button', { name: 'Save' }).click();
  await mona.getByRole('heading', { name: 'تقرير المراجعة 2', level: 1 }).waitFor();
  expect(await mona.locator('html').getAttribute('dir')).toBe('rtl');
  await check(mona, 'review 2 report (Arabic)', { phone: false });
  await look(mona, '33-review-report-ar');

  // Ari approves from the email; the partnership is in cycle 2.
  const gate = (await svc.call('GET', `/api/partnerships/${id}`)).body.pendingTasks[0];
  expect(gate).toMatchObject({ kind: 'review', proposedDecision: 'continue' });
  const ari = await newPage();
  await ari.goto(taskLinkOf(await svc.mail.waitFor(isTaskEmailFor(gate.id, APPROVER_1.email), 60_000)).url);
  await ari.getByRole('button', { name: 'Approve' }).click();
  await ari.getByRole('heading', { name: /your decision is recorded/ }).waitFor();
  const next = await eventually(async () => {
    const v = (await svc.call('GET', `/api/partnerships/${id}`)).body;
    return v.cycle === 2 && v;
  }, 60_000);
  expect(next.phase).toBe('adaptive-planning');
  expect(next.decisions.at(-1)).toMatchObject({ kind: 'review', proposedDecision: 'continue', outcome: 'approved', by: expect.stringContaining(APPROVER_1.email) });
  // What the partners answered, read back through the JSON API.
  const answers = (await svc.call('GET', `/api/partnerships/${id}/reviews/2`)).body.answers;
  expect(Object.fromEntries(Object.entries(answers).map(([k, a]) => [k, (a as { values: Record<string, string> }).values['green-jobs-pilot/0']]))).toEqual({
    'ministry-of-labour': '120',
    'youth-network': '140',
    'workers-union': undefined,
  });
}, 600_000);

test('a manager closes a partnership from the console: the page says what closing does, the approvers decide, and an invitation under way stops working', async () => {
  const steps = e2eSteps(svc as Running);
  // ── Through the API with the key, into reflective monitoring, with one more organisation invited and not yet answering.
  const id = await steps.startInPlanning(partnershipRequest({ title: 'Skills for the rural economy', timings: { ...FAST_TIMINGS, reviewEvery: '30 days' } }));
  // Organisations of their own: the mail sink still holds the first test's emails to the first ones' contacts.
  for (const [organisation, group] of [['Ministry of Education', 'government'], ['Youth Forum', 'civil-society'], ['Teachers Union', 'workers-organisation']] as const) {
    await steps.contactJoins(id, organisation, group);
  }
  expect((await svc.call('POST', `/api/partnerships/${id}/roadmap`, activityInput('green-jobs-pilot', 'ministry-of-education', 'Green jobs pilot'))).status).toBe(200);
  await fundedIntoAction(id);
  await steps.completePhase(id, 'collaborative-action');
  await steps.approveByEmail((await svc.call('POST', `/api/partnerships/${id}/advance`, {})).body.task.id);
  await eventually(async () => (await svc.call('GET', `/api/partnerships/${id}`)).body.phase === 'reflective-monitoring', 60_000);
  const late = contactFor('Green Building Council');
  expect((await svc.call('POST', `/api/partnerships/${id}/stakeholders`, stakeholderInput('Green Building Council', 'private-sector'))).status).toBe(201);
  expect((await svc.call('POST', `/api/partnerships/${id}/stakeholders/green-building-council/invite`, {})).status).toBe(202);
  const invitation = steps.linkIn((await svc.mail.waitFor((m) => m.to.includes(late.email) && /\/invitations\//.test(m.text), 60_000)).text, 'invitations');

  // ── Mona opens the closing page from the partnership page: it names what closing does here.
  const mona = await newPage();
  await mona.goto(`${svc.base}/console/partnerships/${id}`);
  await mona.getByLabel(/Mona Lind/).check();
  await mona.getByRole('button', { name: 'Sign in' }).click();
  await mona.waitForURL(`${svc.base}/console/partnerships/${id}`);
  await mona.getByRole('link', { name: 'Close the partnership' }).first().click();
  await mona.getByRole('heading', { name: 'Close the partnership', level: 1 }).waitFor();
  const what = await mona.locator('main').innerText();
  expect(what).toContain('Invitations still under way end as withdrawn');
  expect(what).toContain('Green Building Council');
  await check(mona, 'close (what closing does)', { phone: false });
  // Nothing said, nothing confirmed: both asked for, at the top and at each field.
  await mona.getByRole('button', { name: 'Ask the approvers to close it' }).click();
  await mona.getByRole('heading', { name: 'There is a problem' }).waitFor();
  expect(await mona.locator('.error-summary').innerText()).toContain('Say why the partnership should close');
  await steps.completePhase(id, 'reflective-monitoring');
  await mona.reload();
  await mona.getByLabel('Why the partnership should close').fill('The pilots ended and the ministry carries the programme on its own budget.');
  await mona.getByLabel('I understand that once the exit is approved, the partnership closes for good').check();
  await mona.getByRole('button', { name: 'Ask the approvers to close it' }).click();
  await mona.waitForURL(new RegExp(`/console/partnerships/${id}`));
  await look(mona, '35-close-asked');

  // ── Ari approves the exit from his email; the partnership closes, and the open invitation with it.
  const task = (await svc.call('GET', `/api/partnerships/${id}`)).body.pendingTasks[0];
  expect(task).toMatchObject({ kind: 'review', proposedDecision: 'exit' });
  await steps.approveByEmail(task.id);
  await eventually(async () => (await svc.call('GET', `/api/partnerships/${id}`)).body.status === 'closed', 60_000);
  const page = await (await newPage()).goto(invitation);
  expect(page?.status()).toBe(410);
  expect(await page?.text()).not.toMatch(/<form[^>]*method="post"/i);
  expect((await svc.form(invitation, { step: 'respond', answer: 'accept' })).status).toBe(410);
  await mona.goto(`${svc.base}/console/partnerships/${id}/close`);
  expect(await mona.locator('main').innerText()).toContain('This partnership is closed');
});
