import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startLocalService, type LocalService } from '../../scripts/local-service';
import { CHROMIUM_ARGS, ensureChromium } from '../../infra/chromium';
import { PRINCIPLE_IDS } from '../../domain/partners/principles';
import { APPROVER_1, FAST_TIMINGS, eventually, isTaskEmailFor, taskLinkOf, uniqueSlug } from '../support/fixtures';
import { contactFor, isInvitationEmailFor } from '../support/partners';
import { DESKTOP, check, screenshots as shoot, signIn } from '../support/console';
import { screenshotsDir } from '../support/screenshots';

/**
 * One partnership's whole cycle, in the console, by clicking only (issue 22):
 * Mona starts it with the form, writes the initiating sections, maps the
 * stakeholders, ticks initiating and asks to advance; Ari approves from his
 * emailed link. In adaptive planning she invites three partners (the
 * multi-stakeholder rule asks for three); each contact accepts, attests the
 * principles and signs through their emailed links in their own browser, and
 * Ari approves each partner from his. Then two SMART objectives, two
 * activities, a JPY and a EUR pledge, the fiduciary rule, a funding channel
 * per activity (each approved by Ari's link), the planning sections, the
 * checklist, the gate. In collaborative action she records progress on an
 * activity, ticks, advances. In reflective monitoring the review opens; each
 * partner's focal point answers through the emailed link; Mona reads the
 * report and decides "continue"; Ari approves, and the partnership is in
 * adaptive planning of cycle 2. Nothing is changed through the API (it is
 * read to assert). axe-core at each step, 375 px on a sample of pages; the
 * four phase documents, read back with pdftotext, carry the sections' texts
 * and the roadmap, and no "Not recorded yet".
 */
const SHOTS = screenshotsDir();
/** Where the PDFs read back are kept (ignored by git). */
const OUT = resolve(__dirname, '../../test-output/documents');
const TITLE = 'Green jobs for youth';

const PARTNERS = [
  { organisation: 'Ministry of Labour', group: 'Government', core: true },
  { organisation: 'Youth Employment Network', group: 'Civil society', core: false },
  { organisation: 'Green Business Council', group: 'Private sector', core: false },
] as const;

const TEXTS = {
  issue: 'Young people in the two pilot regions leave school without decent work; green jobs grow faster than the training for them.',
  core: 'Champions from the Ministry of Labour, the youth network and the business council, across government, civil society and business.',
  outline: 'A steering committee of the partners meets every quarter; two working groups (training, placement); the organisation hosts the secretariat.',
  resourceOutline: 'The pilots need development cooperation funds; the business council and a foundation are approached, each tranche tied to a cohort.',
  communication: 'Key message: decent green jobs for young people. Audiences: employers, schools and ministries.',
  reporting: 'The country office focal point reports monthly to the director.',
  ownResources: 'Staff time from the regular budget covers the first workshops.',
  structure: 'A charter signed by every partner; the steering committee decides by consensus; letters of intent with each partner.',
  staffing: 'A programme officer at half time and a national coordinator; the business council seconds a training expert.',
};

const ACTIVITIES = [
  { id: 'solar-installer-training', title: 'Solar installer training', lead: 'Ministry of Labour', contributor: 'Youth Employment Network', pilot: true, indicator: 'Young people trained', target: '250', unit: 'people' },
  { id: 'green-skills-curriculum', title: 'Green-skills curriculum', lead: 'Youth Employment Network', contributor: 'Green Business Council', pilot: false, indicator: 'Schools teaching the curriculum', target: '12', unit: 'schools' },
] as const;

const OBJECTIVES = [
  { statement: '1,000 young people in the two pilot regions hold a decent green job', indicator: 'Young people placed in green jobs', target: '1000', unit: 'people', date: '2028-12-31', relevance: 'Decent green jobs for youth are the heart of the common vision (SDG 8.6)' },
  { statement: 'Three districts adopt a green-skills curriculum in their vocational schools', indicator: 'Districts with the curriculum adopted', target: '3', unit: 'districts', date: '2028-06-30', relevance: 'Skills are what let young people take the green jobs the partners create' },
] as const;

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

/** A new browser of its own (a contact, an approver): no cookie of anyone else's. */
async function ownBrowser(): Promise<Page> {
  return (await browser.newContext({ viewport: DESKTOP })).newPage();
}

/** The page at desktop width and at 375 px, into the screenshots folder. */
const screenshots = (page: Page, name: string, options?: { fullPage?: boolean }) => shoot(page, SHOTS, name, options);

/** A link in an email to one of the pages behind links (`/tasks/…`, `/invitations/…`, `/reviews/…`). */
function linkIn(text: string, path: 'tasks' | 'invitations' | 'reviews'): string {
  const m = new RegExp(`(https?://\\S+/${path}/[A-Za-z0-9_.-]+)`).exec(text);
  if (!m) throw new Error(`no /${path}/ link in email`);
  return m[1]!;
}

/** Ari opens the emailed link that matches, in his own browser, and clicks Approve. */
async function ariApproves(match: (m: { to: string[]; text: string; subject: string }) => boolean, name: string, look = false): Promise<void> {
  const mail = await svc.mail.waitFor((m) => m.to.includes(APPROVER_1.email) && /\/tasks\//.test(m.text) && match(m), 60_000);
  const ari = await ownBrowser();
  await ari.goto(taskLinkOf(mail).url);
  await ari.getByRole('heading', { name: /Decision needed/ }).waitFor();
  if (look) await check(ari, `approval page: ${name}`);
  await ari.getByRole('button', { name: 'Approve' }).click();
  await ari.getByRole('heading', { name: /your decision is recorded/ }).waitFor();
  await ari.context().close();
}

/** Ticks every open item of the page's checklist, one click each; a refused tick fails with its reason. */
async function tickAll(page: Page): Promise<number> {
  for (let ticked = 0; ticked < 40; ticked++) {
    const open = page.locator('li.check-item:has(form.tick-form)');
    if ((await open.count()) === 0) return ticked;
    const id = (await open.first().getAttribute('id'))!;
    const item = page.locator(`[id="${id}"]`);
    await item.getByRole('button', { name: /Mark as done/ }).click();
    await item.locator('.check-by, .banner').first().waitFor();
    if (await item.locator('.banner').count()) throw new Error(`${id} refused: ${await item.locator('.banner').innerText()}`);
  }
  throw new Error('more than 40 items to tick');
}

/** The partnership as the JSON API reads it (reading only, to assert). */
async function view(id: string) {
  return (await svc.call('GET', `/api/partnerships/${id}`)).body;
}

/** Asks to advance from the partnership page, and Ari approves the gate from his email. */
async function advance(mona: Page, id: string, base: string, from: string, to: string): Promise<void> {
  await mona.goto(base);
  await mona.getByRole('button', { name: 'Ask to advance' }).click();
  await mona.getByText('Approval requested').waitFor();
  const task = (await view(id)).pendingTasks[0].id as string;
  await ariApproves(isTaskEmailFor(task, APPROVER_1.email), `${from} to ${to}`);
  await eventually(async () => {
    await mona.goto(base);
    return (await mona.locator('[aria-current=step]').textContent())?.includes(to);
  }, 60_000, 500);
}

test('a manager takes one partnership through a whole cycle into cycle 2 by clicking only; its documents carry what was written and planned', async () => {
  const mona = await ownBrowser();
  await signIn(mona, `${svc.base}/console`, 'Mona Lind');

  // ── Initiating: the partnership starts from the form ──
  await mona.getByRole('link', { name: 'New partnership', exact: true }).click();
  await mona.getByLabel('Title').fill(TITLE);
  await mona.getByLabel('Goal').fill('Raise the share of young people in decent green jobs (SDG 8.6) in two pilot regions');
  await mona.getByLabel('Policy alignment and advocacy').check();
  await mona.getByLabel('Convener').check();
  await mona.getByLabel('Approver 1 name').fill(APPROVER_1.name);
  await mona.getByLabel('Approver 1 email').fill(APPROVER_1.email);
  await mona.locator('summary').click();
  const slug = uniqueSlug('green-jobs');
  await mona.getByLabel('Short name for its web address').fill(slug);
  await mona.locator('#timings-reminderAfter').fill(FAST_TIMINGS.reminderAfter);
  await mona.locator('#timings-escalateAfter').fill(FAST_TIMINGS.escalateAfter);
  await mona.locator('#timings-deadline').fill(FAST_TIMINGS.deadline);
  await mona.locator('#timings-reviewEvery').fill(FAST_TIMINGS.reviewEvery);
  await check(mona, 'new partnership (filled in)');
  await mona.getByRole('button', { name: 'Start the partnership' }).click();
  const id = `msp-${slug}`;
  const base = `${svc.base}/console/partnerships/${id}`;
  await mona.waitForURL(base);
  await mona.getByRole('heading', { name: 'Partnership started' }).waitFor();
  await check(mona, 'partnership page (just started)');

  // The initiating sections, from the Substance panel.
  const write = async (name: string, text: string, fill?: () => Promise<void>) => {
    await mona.goto(base);
    await mona.locator('dl.substance').getByRole('link', { name: new RegExp(`^Write ?: ${name}$`) }).click();
    await mona.getByRole('heading', { name, level: 1 }).waitFor();
    await mona.getByLabel('Text', { exact: true }).fill(text);
    await fill?.();
    await mona.getByRole('button', { name: 'Save section' }).click();
    await mona.getByText('Section saved').waitFor();
  };
  await write('The issue and its context', TEXTS.issue, () => mona.getByLabel('SDG targets it serves').fill('8.6, 8.b'));
  await write('The core group', TEXTS.core);
  await write('First governance outline', TEXTS.outline);
  await write('Resource strategy, first outline', TEXTS.resourceOutline);
  await write('Communication plan', TEXTS.communication);
  await write('Reporting lines', TEXTS.reporting);
  await write("The organisation's own resources", TEXTS.ownResources);
  await check(mona, 'partnership page (initiating sections written)');

  // The stakeholder map: three organisations, the ministry in the core group.
  for (const s of PARTNERS) {
    await mona.goto(base);
    await mona.getByRole('link', { name: 'Map a stakeholder' }).click();
    await mona.getByLabel('Organisation', { exact: true }).fill(s.organisation);
    await mona.getByLabel(s.group, { exact: true }).check();
    await mona.getByLabel('Why engage them?').fill('Brings field presence in both pilot regions');
    await mona.getByLabel('How will you engage them?').fill('Bilateral meeting, then the core-group workshop');
    if (s.core) await mona.getByLabel('In the core group of champions').check();
    if (s.core) await check(mona, 'map a stakeholder');
    await mona.getByRole('button', { name: 'Add to the stakeholder map' }).click();
    await mona.getByRole('heading', { name: 'Stakeholder mapped' }).waitFor();
  }

  // The initiating checklist, then the gate, approved by Ari from his email.
  await mona.goto(base);
  expect(await tickAll(mona)).toBeGreaterThan(10);
  await check(mona, 'partnership page (initiating done)');
  await advance(mona, id, base, 'Initiating', 'Adaptive planning');
  await check(mona, 'partnership page (adaptive planning)');

  // ── Adaptive planning: three partners invited; each contact answers in their own browser; Ari approves each ──
  for (const s of PARTNERS) {
    const contact = contactFor(s.organisation);
    await mona.goto(base);
    await mona.locator('.stakeholder', { hasText: s.organisation }).getByRole('link', { name: /Invite as a partner/ }).click();
    await mona.getByLabel("Contact's name").fill(contact.name);
    await mona.getByLabel("Contact's email").fill(contact.email);
    if (s.core) await check(mona, 'invite a partner');
    await mona.getByRole('button', { name: 'Send the invitation' }).click();
    await mona.getByRole('heading', { name: 'Invitation sent' }).waitFor();
  }
  for (const [i, s] of PARTNERS.entries()) {
    const contact = contactFor(s.organisation);
    const page = await ownBrowser();
    await page.goto(linkIn((await svc.mail.waitFor(isInvitationEmailFor(contact.email, 'invitation'), 60_000)).text, 'invitations'));
    await page.getByRole('heading', { name: `Will ${s.organisation} join as a partner?` }).waitFor();
    if (i === 0) await check(page, 'invitation page');
    await page.getByRole('button', { name: 'Accept' }).click();
    await page.getByRole('heading', { name: 'Due diligence' }).waitFor();
    expect(await page.locator('input[name=principles]').count()).toBe(PRINCIPLE_IDS.length);
    for (const box of await page.locator('input[name=principles]').all()) await box.check();
    await page.getByLabel(/Conflicts of interest/).fill('None');
    if (i === 0) await check(page, 'due diligence page');
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.getByRole('heading', { name: 'Thank you' }).waitFor();
    await ariApproves((m) => m.subject.includes(`Approve ${s.organisation}`), `partner ${s.organisation}`, i === 0);
    await page.goto(linkIn((await svc.mail.waitFor(isInvitationEmailFor(contact.email, 'signature'), 60_000)).text, 'invitations'));
    await page.getByRole('heading', { name: 'Confirm the signature' }).waitFor();
    if (i === 0) await check(page, 'signature page');
    await page.getByLabel('Signed by (name and title)').fill(`${contact.name}, director`);
    await page.getByRole('button', { name: 'Confirm the signature' }).click();
    await page.getByRole('heading', { name: 'Welcome to the partnership' }).waitFor();
    await page.context().close();
  }
  await eventually(async () => {
    await mona.goto(base);
    return (await view(id)).stakeholders.every((s: { status: string }) => s.status === 'active');
  }, 60_000, 500);
  await mona.locator('.stakeholder', { hasText: PARTNERS[0].organisation }).getByRole('link', { name: /Follow the onboarding/ }).click();
  await mona.locator('#step-registered').getByText(/Active partner since/).waitFor();
  await check(mona, 'partner onboarding (active)');

  // SMART objectives, from the Planning panel.
  await mona.goto(base);
  await mona.locator('#planning').getByRole('link', { name: 'SMART objectives' }).click();
  for (const o of OBJECTIVES) {
    await mona.getByRole('link', { name: 'Add a SMART objective' }).click();
    await mona.getByLabel('Objective', { exact: true }).fill(o.statement);
    await mona.getByLabel('Indicator', { exact: true }).fill(o.indicator);
    await mona.getByLabel('Target value').fill(o.target);
    await mona.getByLabel('Unit', { exact: true }).fill(o.unit);
    await mona.getByLabel('Date by which it is reached').fill(o.date);
    await mona.getByLabel('Why it serves the common vision').fill(o.relevance);
    await mona.getByLabel(/The partners agree that this target can be reached/).check();
    await mona.getByRole('button', { name: 'Add the objective' }).click();
    await mona.getByRole('heading', { name: 'SMART objective added' }).waitFor();
  }
  await check(mona, 'SMART objectives');

  // The roadmap: two activities, one a pilot, each led by an active partner, each serving an objective.
  await mona.locator('.planning-nav').getByRole('link', { name: 'Roadmap of activities' }).click();
  for (const [i, a] of ACTIVITIES.entries()) {
    await mona.getByRole('link', { name: 'Add an activity' }).click();
    await mona.getByLabel('Activity', { exact: true }).fill(a.title);
    await mona.getByRole('group', { name: 'Lead partner' }).getByLabel(a.lead).check();
    await mona.getByRole('group', { name: 'Contributing partners' }).getByLabel(a.contributor).check();
    await mona.getByLabel('Start date').fill('2027-01-15');
    await mona.getByLabel('End date').fill('2027-12-15');
    if (a.pilot) await mona.getByLabel(/This is a pilot activity/).check();
    await mona.getByRole('group', { name: 'SMART objectives it serves' }).getByLabel(OBJECTIVES[i]!.statement).check();
    await mona.getByLabel('Target 1: indicator').fill(a.indicator);
    await mona.getByLabel('Target 1: value').fill(a.target);
    await mona.getByLabel('Target 1: unit').fill(a.unit);
    await mona.getByLabel('Target 1: date').fill('2027-12-15');
    if (i === 0) await check(mona, 'add an activity');
    await mona.getByRole('button', { name: 'Add to the roadmap' }).click();
    await mona.getByRole('heading', { name: 'Activity added to the roadmap' }).waitFor();
  }
  await check(mona, 'roadmap');

  // The resource strategy: a JPY and a EUR pledge.
  await mona.locator('.planning-nav').getByRole('link', { name: 'Resource strategy' }).click();
  for (const [partner, amount, currency] of [['Ministry of Labour', '1000000', 'JPY'], ['Green Business Council', '25000.50', 'EUR']] as const) {
    await mona.getByRole('link', { name: 'Add a pledge' }).click();
    await mona.getByLabel('Partner', { exact: true }).selectOption({ label: partner });
    await mona.getByLabel('Money', { exact: true }).check();
    await mona.getByLabel('Amount').fill(amount);
    await mona.getByLabel('Currency').selectOption(currency);
    await mona.getByRole('button', { name: 'Add to the resource strategy' }).click();
    await mona.getByRole('heading', { name: 'Pledge added' }).waitFor();
  }
  expect(await mona.locator('#pledged-totals .amount').allTextContents()).toEqual(['€25,000.50', '¥1,000,000']);
  await check(mona, 'resource strategy');

  // The fiduciary rule: the core group's active partners in turn.
  await mona.locator('.planning-nav').getByRole('link', { name: 'Fiduciary agent' }).click();
  await mona.getByLabel(/Core-group partners in turn/).check();
  await check(mona, 'fiduciary agent');
  await mona.getByRole('button', { name: 'Save the rule' }).click();
  await mona.getByRole('heading', { name: 'Fiduciary rule saved' }).waitFor();

  // A funding channel per activity, each approved by Ari from its emailed link (the rule's save leads back to the Planning panel).
  await mona.locator('#planning').getByRole('link', { name: 'Funding channels' }).click();
  await mona.locator('.card-box', { hasText: ACTIVITIES[0].title }).getByRole('link', { name: /Propose a funding channel/ }).click();
  await mona.getByLabel('A partner', { exact: true }).check();
  await mona.getByLabel('Which partner').selectOption({ label: 'Ministry of Labour' });
  await mona.getByLabel('Amount', { exact: true }).fill('1000000');
  await mona.getByLabel('Currency').selectOption('JPY');
  await mona.getByLabel('Disbursement 1: date').fill('2027-01-20');
  await mona.getByLabel('Disbursement 1: amount').fill('1000000');
  await check(mona, 'propose a funding channel');
  await mona.getByRole('button', { name: 'Send for approval' }).click();
  await mona.getByRole('heading', { name: 'Channel sent for approval' }).waitFor();
  await mona.locator('.card-box', { hasText: ACTIVITIES[1].title }).getByRole('link', { name: /Propose a funding channel/ }).click();
  await mona.getByLabel('A partner', { exact: true }).check();
  await mona.getByLabel('Which partner').selectOption({ label: 'Green Business Council' });
  await mona.getByLabel('Amount', { exact: true }).fill('25000.50');
  await mona.getByLabel('Currency').selectOption('EUR');
  await mona.getByLabel('Disbursement 1: date').fill('2027-02-01');
  await mona.getByLabel('Disbursement 1: amount').fill('25000.50');
  await mona.getByRole('button', { name: 'Send for approval' }).click();
  await mona.getByRole('heading', { name: 'Channel sent for approval' }).waitFor();
  for (const [i, a] of ACTIVITIES.entries()) {
    await ariApproves((m) => taskLinkOf(m).taskId === `${id}.funding.${a.id}.v1.approval`, `channel for ${a.title}`, i === 0);
  }
  await eventually(async () => {
    await mona.reload();
    return (await mona.locator('.channel-status', { hasText: 'Approved' }).count()) === 2;
  }, 60_000, 500);
  await check(mona, 'funding channels (approved)');
  await screenshots(mona, 'cycle-01-channels-approved');

  // The planning sections, the checklist, the gate.
  await write('Governance structure', TEXTS.structure);
  await write('Staffing plan', TEXTS.staffing);
  await mona.goto(base);
  expect(await tickAll(mona)).toBeGreaterThan(10);
  await check(mona, 'partnership page (planning done)');
  await advance(mona, id, base, 'Adaptive planning', 'Collaborative action');

  // ── Collaborative action: progress on an activity, the checklist, the gate ──
  await mona.getByRole('link', { name: 'Progress of the activities' }).click();
  await mona.getByRole('heading', { name: 'Progress of the activities', level: 1 }).waitFor();
  await mona.locator(`#activity-${ACTIVITIES[0].id}`).getByRole('link', { name: /Record progress/ }).click();
  await mona.getByLabel(/^Under way/).check();
  await mona.getByLabel('What was done', { exact: true }).fill('The first cohort of 40 young people started the installer course');
  await mona.getByLabel('Youth Employment Network').check();
  await check(mona, 'record progress');
  await mona.getByRole('button', { name: 'Record progress' }).click();
  await mona.getByRole('heading', { name: 'Progress recorded' }).waitFor();
  await check(mona, 'progress of the activities');
  await mona.goto(base);
  expect(await tickAll(mona)).toBeGreaterThan(10);
  await check(mona, 'partnership page (collaborative action done)');
  await advance(mona, id, base, 'Collaborative action', 'Reflective monitoring');

  // ── Reflective monitoring: the review opens; each partner's focal point answers through the emailed link ──
  const reviewMail = (email: string) => (m: { to: string[]; text: string; subject: string }) =>
    m.to.includes(email) && /\/reviews\//.test(m.text) && m.subject.includes('review 1') && !m.subject.includes('reminder');
  for (const [i, s] of PARTNERS.entries()) {
    const page = await ownBrowser();
    await page.goto(linkIn((await svc.mail.waitFor(reviewMail(contactFor(s.organisation).email), 60_000)).text, 'reviews'));
    for (const box of await page.locator('input[name^="value:"]').all()) await box.fill(String(60 + 10 * i));
    await page.getByRole('group', { name: 'Were participants treated fairly?' }).getByLabel('5').check();
    await page.getByRole('group', { name: 'Were the important issues discussed?' }).getByLabel('4').check();
    await page.getByLabel('What did we learn? What should change?').fill(`${s.organisation}: employers join once a pilot shows results`);
    await page.getByLabel(/How is the organisation performing/).fill(`${s.organisation}: clear coordination, slow contracts`);
    if (i === 0) await check(page, 'review answer page');
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.getByRole('heading', { name: `Thank you, ${s.organisation}` }).waitFor();
    await page.context().close();
  }

  // Mona: the checklist, who answered, the report, the decision "continue".
  await mona.goto(base);
  expect(await tickAll(mona)).toBeGreaterThan(5);
  await mona.locator('#reviews-panel').getByRole('link').first().click();
  await mona.getByRole('link', { name: 'Review 1 (cycle 1)', exact: true }).click();
  await mona.getByRole('heading', { name: 'Review 1', level: 1 }).waitFor();
  await expect(mona.locator('#answers').textContent()).resolves.toContain('Answers: 3 of 3 partners');
  await check(mona, 'review 1 (all answered)');
  await mona.getByRole('link', { name: 'Read the report' }).click();
  await mona.getByRole('heading', { name: 'Report of review 1', level: 1 }).waitFor();
  await expect(mona.locator('main').textContent()).resolves.toContain('3 of 3 partners answered.');
  await mona.getByLabel(/^Continue/).check();
  await mona.getByLabel('Notes for the approvers').fill('On track; keep both regions for the next cycle');
  await check(mona, 'review 1 report');
  await screenshots(mona, 'cycle-02-review-report');
  await mona.getByRole('button', { name: 'Ask the approvers' }).click();
  await mona.getByRole('heading', { name: 'Decision sent for approval' }).waitFor();
  const gate = (await view(id)).pendingTasks[0];
  expect(gate).toMatchObject({ kind: 'review', proposedDecision: 'continue' });
  await ariApproves(isTaskEmailFor(gate.id, APPROVER_1.email), 'review decision', true);

  // ── Cycle 2 ──
  const next = await eventually(async () => {
    const v = await view(id);
    return v.cycle === 2 && v.documents.some((d: { kind: string }) => d.kind === 'review-record') && v;
  }, 60_000);
  expect(next).toMatchObject({ phase: 'adaptive-planning', cycle: 2, status: 'active' });
  // The review takes the gate's decision as its own and reports back to the partnership (a signal: it settles a moment later).
  const review = await eventually(async () => {
    const r = (await svc.call('GET', `/api/partnerships/${id}/reviews`)).body.reviews[0];
    return r?.status === 'decided' && r;
  }, 60_000, 250);
  expect(review).toMatchObject({ number: 1, status: 'decided', answered: 3, asked: 3 });
  expect(next.decisions.at(-1)).toMatchObject({ kind: 'review', proposedDecision: 'continue', outcome: 'approved' });
  await mona.goto(base);
  await expect(mona.locator('[aria-current=step]').textContent()).resolves.toContain('Adaptive planning');
  await check(mona, 'partnership page (cycle 2)');
  await screenshots(mona, 'cycle-03-partnership-cycle-2', { fullPage: false });

  // ── The phase documents, read back with pdftotext ──
  mkdirSync(OUT, { recursive: true });
  const texts: Record<string, string> = {};
  for (const kind of ['process-design', 'workplan', 'action-report', 'review-record']) {
    const doc = next.documents.find((d: { kind: string; cycle: number }) => d.kind === kind && d.cycle === 1) as { id: string } | undefined;
    expect(`${kind}: ${doc ? 'present' : 'missing'}`).toBe(`${kind}: present`);
    const pdf = await mona.context().request.get(`${base}/documents/${encodeURIComponent(doc!.id)}`);
    expect(pdf.headers()['content-type']).toContain('application/pdf');
    const file = join(OUT, `whole-cycle-${kind}.pdf`);
    writeFileSync(file, await pdf.body());
    // -raw: the text in the order it was drawn, so a table reads row by row (cell after cell), whatever the line breaks inside cells.
    texts[kind] = execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(`${kind}: ${texts[kind]}`).not.toContain('Not recorded yet');
    expect(`${kind}: ${texts[kind]}`).not.toContain('No core group of champions has been formed yet');
  }
  for (const t of [TEXTS.issue, TEXTS.core, TEXTS.outline, TEXTS.resourceOutline, TEXTS.communication, TEXTS.reporting, TEXTS.ownResources]) expect(texts['process-design']).toContain(t);
  expect(texts['process-design']).toContain('SDG targets served: 8.6 and 8.b');
  const workplan = texts.workplan!;
  for (const t of [TEXTS.structure, TEXTS.staffing]) expect(workplan).toContain(t);
  // The SMART objectives, then the roadmap row by row: activity, lead, period, contributors, target.
  for (const o of OBJECTIVES) expect(workplan).toContain(o.statement);
  expect(workplan).toContain('Young people placed in green jobs: 1,000 people by December 31, 2028');
  for (const a of ACTIVITIES) {
    expect(workplan).toMatch(new RegExp(`${a.title} ${a.lead} January 15, 2027 to December 15, 2027 ${a.contributor} ${a.indicator}: ${a.target} ${a.unit} by December 15, 2027`));
  }
  // The funding channels, each approved, with its source, amount and fiduciary agent (the core group's partner of cycle 1).
  expect(workplan).toContain('Solar installer training Approved (version 1) Partner Ministry of Labour ¥1,000,000 Ministry of Labour');
  expect(workplan).toContain('Green-skills curriculum Approved (version 1) Partner Green Business Council €25,000.50 Ministry of Labour');
  expect(texts['action-report']).toContain(ACTIVITIES[0].title);
  // The review decided through the gate is recorded with its decision, not as still in progress.
  expect(texts['review-record']).toMatch(/Review decision Continue/);
  expect(texts['review-record']).toMatch(/Review 1 \(cycle 1\) \w+ \d+, \d{4} — Continue/);
  expect(texts['review-record']).not.toContain('In progress');
  execFileSync('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', '1', '-singlefile', join(OUT, 'whole-cycle-workplan.pdf'), join(SHOTS, 'cycle-04-workplan')]);

}, 480_000);
