import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startLocalService, type LocalService } from '../../scripts/local-service';
import { CHROMIUM_ARGS, ensureChromium } from '../../infra/chromium';
import { APPROVER_1, eventually, isTaskEmailFor, partnershipRequest, taskLinkOf } from '../support/fixtures';
import { e2eSteps, type Running } from '../support/e2e';
import { screenshotsDir } from '../support/screenshots';
import { DESKTOP, PHONE, check, screenshots as shoot, submitObjective, type ObjectiveForm } from '../support/console';
import { stakeholderInput } from '../support/partners';

/**
 * Adaptive planning in the console, in a real browser against the whole
 * service as processes (guide II.2.B). The partnership gets through its first
 * gate and gains two partners through the API and their emails; everything of
 * planning after that is clicked: two SMART objectives (one first refused as
 * not time-bound), two activities (one a pilot; a stale save answered with
 * both versions), a JPY and a EUR pledge (never added together), the
 * rotating fiduciary rule, a funding channel per activity, each approved from
 * its emailed link, then the planning checklist ticked — the first tick
 * refused with a link to where the missing data is entered. axe-core on every
 * page, 375 px on every page, screenshots (desktop, 375, one in Arabic), and
 * what was saved read back through the JSON API.
 */
const SHOTS = screenshotsDir();

let svc: LocalService;
let browser: Browser;

beforeAll(async () => {
  const cli = process.env.TEMPORAL_CLI;
  if (!cli) throw new Error('TEMPORAL_CLI is not set; run the tests through jest (globalSetup finds the CLI)');
  const executablePath = ensureChromium();
  svc = await startLocalService(cli, { signIn: true, verbose: Boolean(process.env.E2E_VERBOSE) });
  browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  expect(await svc?.stop()).toEqual({ api: 0, worker: 0 });
});



const item = (page: Page, id: string) => page.locator(`[id="item-adaptive-planning.${id}"]`);

test('a manager plans a partnership in the console: SMART objectives, roadmap, pledges in two currencies, the fiduciary rule and approved channels', async () => {
  // ── Through the first gate, with two active partners: the API and the partners' own emails ──
  const steps = e2eSteps(svc as Running);
  const id = await steps.readyForFirstGate(partnershipRequest({ title: 'Green jobs for youth' }));
  await steps.approveByEmail((await svc.call('POST', `/api/partnerships/${id}/advance`, {})).body.task.id);
  await eventually(async () => (await svc.call('GET', `/api/partnerships/${id}`)).body.phase === 'adaptive-planning', 60_000);
  await steps.contactJoins(id, 'Ministry of Labour', 'government');
  await steps.contactJoins(id, 'Youth Employment Network', 'civil-society');
  // The ministry joins the core group, for the rotating fiduciary rule (another manager's change, from its version).
  const ministry = (await svc.call('GET', `/api/partnerships/${id}/stakeholders/ministry-of-labour`)).body;
  expect((await svc.call('POST', `/api/partnerships/${id}/stakeholders`, { ...stakeholderInput('Ministry of Labour', 'government', true), id: 'ministry-of-labour', version: ministry.version })).status).toBe(200);
  const base = `${svc.base}/console/partnerships/${id}`;

  // ── Mona signs in ──
  const mona = await (await browser.newContext({ viewport: DESKTOP })).newPage();
  await mona.goto(`${base}`);
  await mona.getByRole('heading', { name: 'Who are you?' }).waitFor();
  await mona.getByLabel(/Mona Lind/).check();
  await mona.getByRole('button', { name: 'Sign in' }).click();
  await mona.waitForURL(base);

  // The Planning panel lists the steps in the order of guide II.2.B.
  const panel = mona.locator('#planning');
  expect(await panel.getByRole('link').allTextContents()).toEqual(['SMART objectives', 'Roadmap of activities', 'Resource strategy', 'Fiduciary agent', 'Funding channels']);
  await check(mona, 'partnership page with the planning panel');

  // ── A tick that needs data is refused, and the refusal links to where that data is entered ──
  await item(mona, 'issues-context.roadmap').getByRole('button').click();
  const refusal = item(mona, 'issues-context.roadmap').locator('.banner');
  await refusal.waitFor();
  expect(await refusal.innerText()).toContain('Add at least one activity to the roadmap first. — Add an activity');
  await item(mona, 'issues-context.smart-objectives').getByRole('button').click();
  const smartRefusal = item(mona, 'issues-context.smart-objectives').locator('.banner');
  await smartRefusal.waitFor();
  expect(await smartRefusal.innerText()).toContain('Set at least one SMART objective first');
  await check(mona, 'partnership page (tick refused, with its link)');
  await smartRefusal.getByRole('link', { name: 'Add a SMART objective' }).click();
  await mona.waitForURL(`${base}/objectives/new`);

  // ── SMART objectives: errors first, then one refused as not time-bound, then two saved ──
  await mona.getByRole('button', { name: 'Add the objective' }).click();
  await mona.getByRole('heading', { name: 'There is a problem' }).waitFor();
  expect(await mona.locator('.error-summary a').allTextContents()).toEqual(expect.arrayContaining(['Say what will change, and for whom', 'Confirm that the partners agree the target can be reached']));
  await check(mona, 'add a SMART objective (with errors)');
  await shoot(mona, SHOTS, 'planning-02-objective-errors');
  const objective = (o: ObjectiveForm) => submitObjective(mona, o);
  const placed = { statement: '1,000 young people in the two pilot regions hold a decent green job', indicator: 'Young people placed in green jobs', target: '1000', unit: 'people', relevance: 'Decent green jobs for youth are the heart of the common vision (SDG 8.6)' };
  await objective({ ...placed, date: '2020-12-31' });
  await mona.locator('#date-error').waitFor();
  expect(await mona.locator('#date-error').innerText()).toContain('Choose a date from today on');
  expect(await mona.getByLabel('Objective', { exact: true }).inputValue()).toBe(placed.statement);
  await mona.getByLabel('Date by which it is reached').fill('2028-12-31');
  await mona.getByRole('button', { name: 'Add the objective' }).click();
  await mona.getByRole('heading', { name: 'SMART objective added' }).waitFor();
  await mona.getByRole('link', { name: 'Add a SMART objective' }).click();
  await objective({ statement: 'Three districts adopt a green-skills curriculum in their vocational schools', indicator: 'Districts with the curriculum adopted', target: '3', unit: 'districts', date: '2028-06-30', relevance: 'Skills are what let young people take the green jobs the partners create' });
  await mona.getByRole('heading', { name: 'SMART objective added' }).waitFor();
  expect(await mona.locator('.smart-check').first().innerText()).toMatch(/Specific: yes[\s\S]*Time-bound: yes/);
  await check(mona, 'SMART objectives');
  await shoot(mona, SHOTS, 'planning-03-objectives');

  // ── The roadmap: two activities, one a pilot, led by active partners ──
  await mona.locator('.planning-nav').getByRole('link', { name: 'Roadmap of activities' }).click();
  await check(mona, 'roadmap (empty)');
  await mona.getByRole('link', { name: 'Add an activity' }).click();
  await mona.getByRole('button', { name: 'Add to the roadmap' }).click();
  await mona.getByRole('heading', { name: 'There is a problem' }).waitFor();
  expect(await mona.locator('.error-summary a').allTextContents()).toEqual(expect.arrayContaining(['Choose the partner who leads the activity', 'Give the activity at least one target: an indicator, a number, a unit and a date']));
  await check(mona, 'add an activity (with errors)');
  const activity = async (a: { title: string; lead: string; contributor: string; pilot: boolean; objective: string; indicator: string; target: string; unit: string }) => {
    await mona.getByLabel('Activity', { exact: true }).fill(a.title);
    await mona.getByRole('group', { name: 'Lead partner' }).getByLabel(a.lead).check();
    await mona.getByRole('group', { name: 'Contributing partners' }).getByLabel(a.contributor).check();
    await mona.getByLabel('Start date').fill('2027-01-15');
    await mona.getByLabel('End date').fill('2027-12-15');
    if (a.pilot) await mona.getByLabel(/This is a pilot activity/).check();
    await mona.getByRole('group', { name: 'SMART objectives it serves' }).getByLabel(a.objective).check();
    await mona.getByLabel('Target 1: indicator').fill(a.indicator);
    await mona.getByLabel('Target 1: value').fill(a.target);
    await mona.getByLabel('Target 1: unit').fill(a.unit);
    await mona.getByLabel('Target 1: date').fill('2027-12-15');
    await mona.getByRole('button', { name: 'Add to the roadmap' }).click();
    await mona.getByRole('heading', { name: 'Activity added to the roadmap' }).waitFor();
  };
  await activity({ title: 'Solar installer training', lead: 'Ministry of Labour', contributor: 'Youth Employment Network', pilot: true, objective: placed.statement, indicator: 'Young people trained', target: '250', unit: 'people' });
  await shoot(mona, SHOTS, 'planning-04-roadmap');
  await mona.getByRole('link', { name: 'Add an activity' }).click();
  await check(mona, 'add an activity');
  await shoot(mona, SHOTS, 'planning-05-activity-form');
  await activity({ title: 'Green-skills curriculum', lead: 'Youth Employment Network', contributor: 'Ministry of Labour', pilot: false, objective: 'Three districts adopt a green-skills curriculum in their vocational schools', indicator: 'Schools teaching the curriculum', target: '12', unit: 'schools' });
  await check(mona, 'roadmap');

  // A stale save: two pages open the same activity; the second save is answered with both versions.
  const other = await mona.context().newPage();
  await other.goto(`${base}/roadmap/solar-installer-training/edit`);
  await mona.goto(`${base}/roadmap/solar-installer-training/edit`);
  await other.getByLabel('Activity', { exact: true }).fill('Solar installer training, first intake');
  await other.getByRole('button', { name: 'Save the changes' }).click();
  await other.getByRole('heading', { name: 'Activity changed' }).waitFor();
  await mona.getByLabel('Activity', { exact: true }).fill('Solar and wind installer training');
  await mona.getByRole('button', { name: 'Save the changes' }).click();
  await mona.getByRole('heading', { name: 'What is saved now' }).waitFor();
  expect(await mona.locator('.current-version').innerText()).toContain('Solar installer training, first intake');
  expect(await mona.locator('#title-error').innerText()).toContain('Someone changed this since you opened it');
  expect(await mona.getByLabel('Activity', { exact: true }).inputValue()).toBe('Solar and wind installer training');
  await check(mona, 'change an activity (stale)');
  await shoot(mona, SHOTS, 'planning-06-activity-stale');
  await mona.getByLabel('Activity', { exact: true }).fill('Solar installer training, first intake');
  await mona.getByRole('button', { name: 'Save the changes' }).click();
  await mona.getByRole('heading', { name: 'Activity changed' }).waitFor();
  await other.close();

  // ── The resource strategy: a JPY and a EUR pledge, never added together ──
  await mona.locator('.planning-nav').getByRole('link', { name: 'Resource strategy' }).click();
  await check(mona, 'resource strategy (empty)');
  const pledge = async (partner: string, amount: string, currency: string) => {
    await mona.getByRole('link', { name: 'Add a pledge' }).click();
    await mona.getByLabel('Partner', { exact: true }).selectOption({ label: partner });
    await mona.getByLabel('Money', { exact: true }).check();
    await mona.getByLabel('Amount').fill(amount);
    await mona.getByLabel('Currency').selectOption(currency);
    await mona.getByRole('button', { name: 'Add to the resource strategy' }).click();
  };
  await pledge('Ministry of Labour', '1000000.5', 'JPY');
  await mona.locator('#amount-error').waitFor();
  expect(await mona.locator('#amount-error').innerText()).toContain('JPY takes no decimals');
  await check(mona, 'add a pledge (with errors)');
  await shoot(mona, SHOTS, 'planning-07-pledge-errors');
  await mona.getByLabel('Amount').fill('1000000');
  await mona.getByRole('button', { name: 'Add to the resource strategy' }).click();
  await mona.getByRole('heading', { name: 'Pledge added' }).waitFor();
  await pledge('Youth Employment Network', '25000.50', 'EUR');
  await mona.getByRole('heading', { name: 'Pledge added' }).waitFor();
  expect(await mona.locator('#pledged-totals .amount').allTextContents()).toEqual(['€25,000.50', '¥1,000,000']);
  await check(mona, 'resource strategy');
  await shoot(mona, SHOTS, 'planning-08-strategy');

  // ── The fiduciary rule: core-group partners in turn ──
  await mona.goto(base);
  await mona.locator('#planning').getByRole('link', { name: 'Fiduciary agent' }).click();
  expect(await mona.getByText('In cycle 1: Ministry of Labour.').count()).toBe(1);
  await mona.getByLabel(/Core-group partners in turn/).check();
  await check(mona, 'fiduciary agent');
  await shoot(mona, SHOTS, 'planning-09-fiduciary');
  await mona.getByRole('button', { name: 'Save the rule' }).click();
  await mona.getByRole('heading', { name: 'Fiduciary rule saved' }).waitFor();

  // ── A funding channel per activity, each approved from its emailed link ──
  await mona.locator('#planning').getByRole('link', { name: 'Funding channels' }).click();
  await check(mona, 'funding channels (none yet)');
  const channel = async (activityTitle: string, fill: () => Promise<void>) => {
    await mona.locator('.card-box', { hasText: activityTitle }).getByRole('link', { name: /Propose a funding channel/ }).click();
    await fill();
    await mona.getByRole('button', { name: 'Send for approval' }).click();
    await mona.getByRole('heading', { name: 'Channel sent for approval' }).waitFor();
  };
  await mona.locator('.card-box', { hasText: 'Solar installer training' }).getByRole('link', { name: /Propose a funding channel/ }).click();
  await mona.getByRole('button', { name: 'Send for approval' }).click();
  await mona.getByRole('heading', { name: 'There is a problem' }).waitFor();
  await check(mona, 'propose a funding channel (with errors)');
  expect(await mona.getByText('The fiduciary agent will be Ministry of Labour').count()).toBe(1);
  await mona.getByLabel('A partner', { exact: true }).check();
  await mona.getByLabel('Which partner').selectOption({ label: 'Ministry of Labour' });
  await mona.getByLabel('Amount', { exact: true }).fill('1000000');
  await mona.getByLabel('Currency').selectOption('JPY');
  await mona.getByLabel('Disbursement 1: date').fill('2027-01-20');
  await mona.getByLabel('Disbursement 1: amount').fill('600000');
  await mona.getByLabel('Disbursement 2: date').fill('2027-06-20');
  await mona.getByLabel('Disbursement 2: amount').fill('400000');
  await shoot(mona, SHOTS, 'planning-10-channel-form');
  await mona.getByRole('button', { name: 'Send for approval' }).click();
  await mona.getByRole('heading', { name: 'Channel sent for approval' }).waitFor();
  await channel('Green-skills curriculum', async () => {
    await mona.getByLabel("The organisation’s own sources", { exact: true }).check();
    await mona.getByLabel('Which of the organisation’s sources').selectOption('RBSA');
    await mona.getByLabel('Amount', { exact: true }).fill('25000.50');
    await mona.getByLabel('Currency').selectOption('EUR');
    await mona.getByLabel('Disbursement 1: date').fill('2027-02-01');
    await mona.getByLabel('Disbursement 1: amount').fill('25000.50');
  });
  expect(await mona.locator('.channel-status', { hasText: 'In review' }).count()).toBe(2);
  await check(mona, 'funding channels (in review)');

  for (const activityId of ['solar-installer-training', 'green-skills-curriculum']) {
    const mail = await svc.mail.waitFor(isTaskEmailFor(`${id}.funding.${activityId}.v1.approval`, APPROVER_1.email), 60_000);
    expect((await svc.form(taskLinkOf(mail).url, { decision: 'approve', comment: 'Agreed' })).status).toBe(200);
  }
  await eventually(async () => {
    await mona.reload();
    return (await mona.locator('.channel-status', { hasText: 'Approved' }).count()) === 2;
  }, 60_000, 500);
  await check(mona, 'funding channels (approved)');
  await shoot(mona, SHOTS, 'planning-11-channels');

  // ── The planning items ticked, one click each ──
  await mona.goto(base);
  for (const tick of ['issues-context.smart-objectives', 'issues-context.roadmap', 'issues-context.pilot-activities', 'partners.roles-assigned', 'resources.funding-strategy', 'resources.fiduciary-agent', 'resources.financial-channels']) {
    await item(mona, tick).getByRole('button').click();
    await item(mona, tick).locator('.check-by').waitFor();
  }
  expect(await mona.locator('#planning .tag', { hasText: 'Started' }).count()).toBe(5);
  await check(mona, 'partnership page (planning done)');
  await mona.locator('#planning').scrollIntoViewIfNeeded();
  await mona.locator('#planning').screenshot({ path: join(SHOTS, 'planning-01-panel-desktop.png') });
  await mona.setViewportSize(PHONE);
  await mona.locator('#planning').screenshot({ path: join(SHOTS, 'planning-01-panel-375.png') });
  await mona.setViewportSize(DESKTOP);

  // ── In Arabic, right to left ──
  await mona.goto(`${base}/objectives`);
  await mona.getByRole('link', { name: 'Language and time zone' }).click();
  await mona.getByLabel('Language').selectOption('ar');
  await mona.getByRole('button', { name: 'Save' }).click();
  await mona.waitForURL(`${base}/objectives`);
  expect(await mona.locator('html').getAttribute('dir')).toBe('rtl');
  await mona.getByRole('heading', { name: 'الأهداف الذكية (SMART)', level: 1 }).waitFor();
  await check(mona, 'SMART objectives (Arabic)');
  await shoot(mona, SHOTS, 'planning-12-objectives-ar');
  await mona.goto(`${base}/channels`);
  await check(mona, 'funding channels (Arabic)');

  // ── Read back through the JSON API ──
  const objectives = (await svc.call('GET', `/api/partnerships/${id}/objectives`)).body.objectives as Array<Record<string, unknown>>;
  expect(objectives.map((o) => [o.statement, o.target, o.unit, o.date, o.achievable])).toEqual([
    [placed.statement, '1000', 'people', '2028-12-31', true],
    ['Three districts adopt a green-skills curriculum in their vocational schools', '3', 'districts', '2028-06-30', true],
  ]);
  const roadmap = (await svc.call('GET', `/api/partnerships/${id}/roadmap`)).body;
  expect(roadmap.roadmap.map((a: Record<string, unknown>) => [a.title, a.leadPartner, a.participatingPartners, Boolean(a.pilot), a.version])).toEqual([
    ['Solar installer training, first intake', 'ministry-of-labour', ['youth-employment-network'], true, 3],
    ['Green-skills curriculum', 'youth-employment-network', ['ministry-of-labour'], false, 1],
  ]);
  expect(roadmap.roadmap[0].objectives).toEqual([objectives[0].id]);
  const strategy = (await svc.call('GET', `/api/partnerships/${id}/resource-strategy`)).body;
  expect(strategy.pledges).toEqual([
    { type: 'financial', partnerId: 'ministry-of-labour', amount: '1000000', currency: 'JPY' },
    { type: 'financial', partnerId: 'youth-employment-network', amount: '25000.50', currency: 'EUR' },
  ]);
  expect((await svc.call('GET', `/api/partnerships/${id}/fiduciary-rule`)).body.rule).toBe('rotating-core');
  const funding = (await svc.call('GET', `/api/partnerships/${id}/funding`)).body;
  expect(funding.pledged).toEqual({ EUR: '25000.50', JPY: '1000000' });
  expect(funding.activities.map((a: { channel: { status: string; fiduciaryAgent: string; proposal: { currency: string } } | null }) => [a.channel?.status, a.channel?.fiduciaryAgent, a.channel?.proposal.currency])).toEqual([
    ['approved', 'ministry-of-labour', 'JPY'],
    ['approved', 'ministry-of-labour', 'EUR'],
  ]);
  const view = (await svc.call('GET', `/api/partnerships/${id}`)).body;
  const done = (view.checklist as Array<{ id: string; done: boolean; doneBy?: string }>).filter((c) => c.id.startsWith('adaptive-planning.') && c.done);
  expect(done.map((c) => c.id)).toEqual(expect.arrayContaining(['adaptive-planning.issues-context.smart-objectives', 'adaptive-planning.resources.financial-channels']));
  expect(done.every((c) => c.doneBy?.includes('Mona Lind'))).toBe(true);
}, 600_000);
