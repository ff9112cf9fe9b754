import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { APPROVER_1, FAST_TIMINGS, eventually, isTaskEmailFor, uniqueSlug } from './fixtures';
import { contactFor } from './partners';
import { check, screenshots as shoot, signIn, submitObjective } from './console';
import { screenshotsDir } from './screenshots';
import { ariApproves, ownBrowser, type Walk } from './whole-cycle-links';

/**
 * What Mona, the manager, does in the console in the whole-cycle walk
 * (test/e2e/whole-cycle.e2e.test.ts), one step of a phase per function, by
 * clicking only; and what she enters, which the walk then finds in the phase
 * documents. Each step checks with axe-core the pages it passes through.
 */

const SHOTS = screenshotsDir();
/** Where the PDFs read back are kept (ignored by git). */
const OUT = resolve(__dirname, '../../test-output/documents');

export const PARTNERS = [
  { organisation: 'Ministry of Labour', group: 'Government', core: true },
  { organisation: 'Youth Employment Network', group: 'Civil society', core: false },
  { organisation: 'Green Business Council', group: 'Private sector', core: false },
] as const;

export const TEXTS = {
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

export const ACTIVITIES = [
  { id: 'solar-installer-training', title: 'Solar installer training', lead: 'Ministry of Labour', contributor: 'Youth Employment Network', pilot: true, indicator: 'Young people trained', target: '250', unit: 'people' },
  { id: 'green-skills-curriculum', title: 'Green-skills curriculum', lead: 'Youth Employment Network', contributor: 'Green Business Council', pilot: false, indicator: 'Schools teaching the curriculum', target: '12', unit: 'schools' },
] as const;

export const OBJECTIVES = [
  { statement: '1,000 young people in the two pilot regions hold a decent green job', indicator: 'Young people placed in green jobs', target: '1000', unit: 'people', date: '2028-12-31', relevance: 'Decent green jobs for youth are the heart of the common vision (SDG 8.6)' },
  { statement: 'Three districts adopt a green-skills curriculum in their vocational schools', indicator: 'Districts with the curriculum adopted', target: '3', unit: 'districts', date: '2028-06-30', relevance: 'Skills are what let young people take the green jobs the partners create' },
] as const;

/** A funding channel per activity: the partner it comes from, its amount and its one disbursement. */
const CHANNELS = [
  { activity: ACTIVITIES[0].title, partner: 'Ministry of Labour', amount: '1000000', currency: 'JPY', date: '2027-01-20' },
  { activity: ACTIVITIES[1].title, partner: 'Green Business Council', amount: '25000.50', currency: 'EUR', date: '2027-02-01' },
] as const;

/** The walk once the partnership is started: Mona's signed-in page, the partnership's id and its console page. */
export interface ConsoleWalk extends Walk {
  mona: Page;
  id: string;
  base: string;
}

/** The page at desktop width and at 375 px, into the screenshots folder. */
export const screenshots = (page: Page, name: string, options?: { fullPage?: boolean }) => shoot(page, SHOTS, name, options);

/** The partnership as the JSON API reads it (reading only, to assert). */
export async function view(walk: ConsoleWalk) {
  return (await walk.svc.call('GET', `/api/partnerships/${walk.id}`)).body;
}

/** Mona signs in, fills the new-partnership form (Ari the approver, fast timings) and starts it. */
export async function startPartnership(walk: Walk, title: string): Promise<ConsoleWalk> {
  const mona = await ownBrowser(walk);
  await signIn(mona, `${walk.svc.base}/console`, 'Mona Lind');
  await mona.getByRole('link', { name: 'New partnership', exact: true }).click();
  await mona.getByLabel('Title').fill(title);
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
  const base = `${walk.svc.base}/console/partnerships/${id}`;
  await mona.waitForURL(base);
  await mona.getByRole('heading', { name: 'Partnership started' }).waitFor();
  await check(mona, 'partnership page (just started)');
  return { ...walk, mona, id, base };
}

/** Writes one section from the Substance panel; `fill`: the section's other fields. */
export async function writeSection({ mona, base }: ConsoleWalk, name: string, text: string, fill?: () => Promise<void>): Promise<void> {
  await mona.goto(base);
  await mona.locator('dl.substance').getByRole('link', { name: new RegExp(`^Write ?: ${name}$`) }).click();
  await mona.getByRole('heading', { name, level: 1 }).waitFor();
  await mona.getByLabel('Text', { exact: true }).fill(text);
  await fill?.();
  await mona.getByRole('button', { name: 'Save section' }).click();
  await mona.getByText('Section saved').waitFor();
}

/** Puts one organisation on the stakeholder map (the core-group one checked with axe-core). */
export async function mapStakeholder({ mona, base }: ConsoleWalk, s: (typeof PARTNERS)[number]): Promise<void> {
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

/** Ticks every open item of the page's checklist, one click each; a refused tick fails with its reason. */
export async function tickAll(page: Page): Promise<number> {
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

/** Asks to advance from the partnership page, and Ari approves the gate from his email. */
export async function advance(walk: ConsoleWalk, from: string, to: string): Promise<void> {
  const { mona, base } = walk;
  await mona.goto(base);
  await mona.getByRole('button', { name: 'Ask to advance' }).click();
  await mona.getByText('Approval requested').waitFor();
  const task = (await view(walk)).pendingTasks[0].id as string;
  await ariApproves(walk, isTaskEmailFor(task, APPROVER_1.email), `${from} to ${to}`);
  await eventually(async () => {
    await mona.goto(base);
    return (await mona.locator('[aria-current=step]').textContent())?.includes(to);
  }, 60_000, 500);
}

/** Invites a mapped organisation as a partner, its contact named (the core-group one checked with axe-core). */
export async function invitePartner({ mona, base }: ConsoleWalk, s: (typeof PARTNERS)[number]): Promise<void> {
  const contact = contactFor(s.organisation);
  await mona.goto(base);
  await mona.locator('.stakeholder', { hasText: s.organisation }).getByRole('link', { name: /Invite as a partner/ }).click();
  await mona.getByLabel("Contact's name").fill(contact.name);
  await mona.getByLabel("Contact's email").fill(contact.email);
  if (s.core) await check(mona, 'invite a partner');
  await mona.getByRole('button', { name: 'Send the invitation' }).click();
  await mona.getByRole('heading', { name: 'Invitation sent' }).waitFor();
}

/** The SMART objectives, from the Planning panel. */
export async function addObjectives({ mona, base }: ConsoleWalk): Promise<void> {
  await mona.goto(base);
  await mona.locator('#planning').getByRole('link', { name: 'SMART objectives' }).click();
  for (const o of OBJECTIVES) {
    await mona.getByRole('link', { name: 'Add a SMART objective' }).click();
    await submitObjective(mona, o);
    await mona.getByRole('heading', { name: 'SMART objective added' }).waitFor();
  }
  await check(mona, 'SMART objectives');
}

/** The roadmap: each activity led by an active partner, with a contributor, serving the objective of the same rank, with one target. */
export async function addActivities({ mona }: ConsoleWalk): Promise<void> {
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
}

/** The resource strategy: a money pledge per `[partner, amount, currency]`; answers the pledged totals as the page shows them. */
export async function addPledges({ mona }: ConsoleWalk, pledges: ReadonlyArray<readonly [string, string, string]>): Promise<string[]> {
  await mona.locator('.planning-nav').getByRole('link', { name: 'Resource strategy' }).click();
  for (const [partner, amount, currency] of pledges) {
    await mona.getByRole('link', { name: 'Add a pledge' }).click();
    await mona.getByLabel('Partner', { exact: true }).selectOption({ label: partner });
    await mona.getByLabel('Money', { exact: true }).check();
    await mona.getByLabel('Amount').fill(amount);
    await mona.getByLabel('Currency').selectOption(currency);
    await mona.getByRole('button', { name: 'Add to the resource strategy' }).click();
    await mona.getByRole('heading', { name: 'Pledge added' }).waitFor();
  }
  return mona.locator('#pledged-totals .amount').allTextContents();
}

/** The fiduciary rule: the core group's active partners in turn. */
export async function setFiduciaryRule({ mona }: ConsoleWalk): Promise<void> {
  await mona.locator('.planning-nav').getByRole('link', { name: 'Fiduciary agent' }).click();
  await mona.getByLabel(/Core-group partners in turn/).check();
  await check(mona, 'fiduciary agent');
  await mona.getByRole('button', { name: 'Save the rule' }).click();
  await mona.getByRole('heading', { name: 'Fiduciary rule saved' }).waitFor();
}

/** Proposes a funding channel per activity from the Planning panel (where the rule's save leads back to), each sent for approval. */
export async function proposeChannels({ mona }: ConsoleWalk): Promise<void> {
  await mona.locator('#planning').getByRole('link', { name: 'Funding channels' }).click();
  for (const [i, c] of CHANNELS.entries()) {
    await mona.locator('.card-box', { hasText: c.activity }).getByRole('link', { name: /Propose a funding channel/ }).click();
    await mona.getByLabel('A partner', { exact: true }).check();
    await mona.getByLabel('Which partner').selectOption({ label: c.partner });
    await mona.getByLabel('Amount', { exact: true }).fill(c.amount);
    await mona.getByLabel('Currency').selectOption(c.currency);
    await mona.getByLabel('Disbursement 1: date').fill(c.date);
    await mona.getByLabel('Disbursement 1: amount').fill(c.amount);
    if (i === 0) await check(mona, 'propose a funding channel');
    await mona.getByRole('button', { name: 'Send for approval' }).click();
    await mona.getByRole('heading', { name: 'Channel sent for approval' }).waitFor();
  }
}

/** Records progress on the first activity from "Progress of the activities": under way, what was done, who contributed. */
export async function recordProgress({ mona }: ConsoleWalk): Promise<void> {
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
}

/** Opens review 1 from the Reviews panel; answers its "who answered" text. */
export async function openReview({ mona }: ConsoleWalk): Promise<string | null> {
  await mona.locator('#reviews-panel').getByRole('link').first().click();
  await mona.getByRole('link', { name: 'Review 1 (cycle 1)', exact: true }).click();
  await mona.getByRole('heading', { name: 'Review 1', level: 1 }).waitFor();
  return mona.locator('#answers').textContent();
}

/** From the review page, opens its report; answers the report's text. */
export async function openReport({ mona }: ConsoleWalk): Promise<string | null> {
  await mona.getByRole('link', { name: 'Read the report' }).click();
  await mona.getByRole('heading', { name: 'Report of review 1', level: 1 }).waitFor();
  return mona.locator('main').textContent();
}

/** On the report, proposes "Continue" with notes for the approvers and sends the decision for approval. */
export async function askToContinue({ mona }: ConsoleWalk, notes: string): Promise<void> {
  await mona.getByLabel(/^Continue/).check();
  await mona.getByLabel('Notes for the approvers').fill(notes);
  await check(mona, 'review 1 report');
  await screenshots(mona, 'cycle-02-review-report');
  await mona.getByRole('button', { name: 'Ask the approvers' }).click();
  await mona.getByRole('heading', { name: 'Decision sent for approval' }).waitFor();
}

/** Downloads a document from the console, which must be a PDF, as `<OUT>/<file>`; its text as pdftotext -raw reads it, whitespace collapsed. */
export async function readDocument({ mona, base }: ConsoleWalk, documentId: string, file: string): Promise<string> {
  mkdirSync(OUT, { recursive: true });
  const pdf = await mona.context().request.get(`${base}/documents/${encodeURIComponent(documentId)}`);
  expect(pdf.headers()['content-type']).toContain('application/pdf');
  const path = join(OUT, file);
  writeFileSync(path, await pdf.body());
  // -raw: the text in the order it was drawn, so a table reads row by row (cell after cell), whatever the line breaks inside cells.
  return execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', path, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
}

/** The first page of a document read back (`<OUT>/<file>`) as a PNG in the screenshots folder. */
export function shootFirstPage(file: string, name: string): void {
  execFileSync('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', '1', '-singlefile', join(OUT, file), join(SHOTS, name)]);
}
