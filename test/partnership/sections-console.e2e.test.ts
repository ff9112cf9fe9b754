import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startLocalService, type LocalService } from '../../scripts/local-service';
import { CHROMIUM_ARGS, ensureChromium } from '../../infra/chromium';
import { itemsOfPhase } from '../../domain/partnership/catalogue';
import { e2eSteps, type Running } from '../support/e2e';
import { eventually, partnershipRequest } from '../support/fixtures';
import { stakeholderInput } from '../support/partners';
import { screenshotsDir } from '../support/screenshots';
import { DESKTOP, PHONE, check, screenshots as shoot } from '../support/console';

/**
 * The partnership's substance in the console (guide II.2.A), in a real
 * browser against the whole service as processes: a tick whose substance is a
 * section is refused with a link to that section; the sections are written by
 * clicking (errors first: an empty text, an SDG target the UN does not number);
 * a save made after someone else's is refused and shows both texts; the
 * initiating items are ticked; the gate is approved from its emailed link; and
 * the process design's PDF, read back with pdftotext, holds every section's
 * text and no "Not recorded yet", the checklist's record last. axe-core and
 * 375 px on every page; screenshots (desktop, 375, one in Arabic).
 */
const SHOTS = screenshotsDir();
/** Where the PDF read back is kept (ignored by git). */
const OUT = resolve(__dirname, '../../test-output/documents');

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



const TEXTS = {
  issue: 'Young people in the two pilot regions leave school without decent work.\n\nGreen jobs are growing, but training lags behind what employers ask for.',
  core: 'Champions from the Ministry of Labour, the Chamber of Commerce and the youth network, balanced across government, business and civil society.',
  outline: 'A steering committee of five partners meets every quarter; two working groups (training, placement).',
  theirs: 'A steering committee of seven partners meets every month.',
  mine: 'A steering committee of five partners meets every quarter; two working groups; the organisation hosts the secretariat.',
  communication: 'Key message: decent green jobs for young people. Audiences: employers, schools and ministries.',
  reporting: 'The country office focal point reports monthly to the director.',
  resources: 'Staff time covers the first workshops; the pilots need development cooperation funds.',
  rb: 'Two weeks of a programme officer',
  dc: 'A proposal to the regional fund, due in March',
  funding: 'The Chamber of Commerce and a foundation are approached for the pilots; each tranche is tied to a training cohort.',
};

const item = (page: Page, id: string) => page.locator(`[id="item-${id}"]`);

test('a manager writes the partnership\'s sections in the console; a stale save shows both texts; the process design carries them', async () => {
  const created = await svc.call('POST', '/api/partnerships', partnershipRequest({ title: 'Green jobs for youth' }));
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  // The stakeholder map has pages of its own; here a tool records it. The resource strategy is sketched as a section below.
  expect((await svc.call('POST', `/api/partnerships/${id}/stakeholders`, stakeholderInput('Ministry of Labour', 'government', true))).status).toBe(201);
  const base = `${svc.base}/console/partnerships/${id}`;

  // ── Mona signs in ──
  const mona = await (await browser.newContext({ viewport: DESKTOP })).newPage();
  await mona.goto(base);
  await mona.getByRole('heading', { name: 'Who are you?' }).waitFor();
  await mona.getByLabel(/Mona Lind/).check();
  await mona.getByRole('button', { name: 'Sign in' }).click();
  await mona.waitForURL(base);

  // The Substance panel: every section, none written yet, and the organisation's role.
  const panel = mona.locator('dl.substance');
  expect(await panel.locator('dt').allInnerTexts()).toEqual([
    expect.stringContaining('The issue and its context'),
    expect.stringContaining('The core group'),
    expect.stringContaining('First governance outline'),
    expect.stringContaining('Resource strategy, first outline'),
    expect.stringContaining('Communication plan'),
    expect.stringContaining('Reporting lines'),
    expect.stringContaining("The organisation's own resources"),
    expect.stringContaining('Governance structure'),
    expect.stringContaining('Staffing plan'),
    "The organisation's role",
  ]);
  expect(await panel.getByText('Not written yet').count()).toBe(9);
  await check(mona, 'partnership page with the substance panel');

  // ── A tick whose substance is a section is refused, with a link to write it ──
  await item(mona, 'initiating.communication.communications-plan').getByRole('button').click();
  const refusal = item(mona, 'initiating.communication.communications-plan').locator('.banner');
  await refusal.waitFor();
  expect(await refusal.innerText()).toContain('Write the communication plan first. — Write the communication plan');
  await check(mona, 'partnership page (tick refused, with its link)');
  await refusal.getByRole('link', { name: 'Write the communication plan' }).click();
  await mona.waitForURL(`${base}/sections/communication-plan`);

  // ── An empty text is an error, said at the top and beside the field ──
  await mona.getByRole('button', { name: 'Save section' }).click();
  await mona.getByRole('heading', { name: 'There is a problem' }).waitFor();
  expect(await mona.locator('.error-summary a').allTextContents()).toEqual(["Write the section's text"]);
  await check(mona, 'communication plan (with an error)');
  await shoot(mona, SHOTS, 'sections-02-error');
  await mona.getByLabel('Text', { exact: true }).fill(TEXTS.communication);
  await mona.getByRole('button', { name: 'Save section' }).click();
  await mona.waitForURL(`${base}#substance`);
  await mona.getByText('Section saved').waitFor();

  /** Opens a section from the panel, types its text and saves it. */
  const write = async (name: string, text: string, fill?: () => Promise<void>) => {
    await mona.locator('dl.substance').getByRole('link', { name: new RegExp(`^Write ?: ${name}$`) }).click();
    await mona.getByRole('heading', { name, level: 1 }).waitFor();
    await mona.getByLabel('Text', { exact: true }).fill(text);
    await fill?.();
    await mona.getByRole('button', { name: 'Save section' }).click();
  };

  // ── The issue and its context, with the SDG targets it serves: one the UN does not number is refused ──
  await write('The issue and its context', TEXTS.issue, () => mona.getByLabel('SDG targets it serves').fill('8.6, 18.1'));
  await mona.getByRole('heading', { name: 'There is a problem' }).waitFor();
  expect(await mona.locator('#sdgTargets-error').innerText()).toContain('Enter each SDG target as the UN numbers it');
  expect(await mona.getByLabel('Text', { exact: true }).inputValue()).toBe(TEXTS.issue);
  await check(mona, 'the issue and its context (SDG target refused)');
  await mona.getByLabel('SDG targets it serves').fill('8.6, 8.b');
  await mona.getByRole('button', { name: 'Save section' }).click();
  await mona.waitForURL(`${base}#substance`);

  await write('The core group', TEXTS.core);
  await mona.waitForURL(`${base}#substance`);
  await write('First governance outline', TEXTS.outline);
  await mona.waitForURL(`${base}#substance`);
  await write('Resource strategy, first outline', TEXTS.funding);
  await mona.waitForURL(`${base}#substance`);
  await write('Reporting lines', TEXTS.reporting);
  await mona.waitForURL(`${base}#substance`);
  await write("The organisation's own resources", TEXTS.resources, async () => {
    await mona.getByLabel('RB — regular budget').fill(TEXTS.rb);
    await mona.getByLabel('DC — development cooperation (voluntary contributions)').fill(TEXTS.dc);
  });
  await mona.waitForURL(`${base}#substance`);
  expect(await mona.locator('dl.substance').getByText('Not written yet').count()).toBe(2);
  await check(mona, 'partnership page (six sections written)');
  // The panel alone (the whole partnership page is another page's screenshot).
  const substance = mona.locator('section.substance-panel');
  await substance.scrollIntoViewIfNeeded();
  await substance.screenshot({ path: join(SHOTS, 'sections-01-panel-desktop.png') });
  await mona.setViewportSize(PHONE);
  await substance.screenshot({ path: join(SHOTS, 'sections-01-panel-375.png') });
  await mona.setViewportSize(DESKTOP);

  // ── A stale save: someone else saves while Mona's page is open; her save shows both texts ──
  await mona.locator('dl.substance').getByRole('link', { name: /^Edit ?: First governance outline$/ }).click();
  await mona.getByRole('heading', { name: 'First governance outline', level: 1 }).waitFor();
  expect(await mona.locator('input[name="version"]').inputValue()).toBe('1');
  expect((await svc.call('PUT', `/api/partnerships/${id}/sections/governance-outline`, { text: TEXTS.theirs, by: 'Ana Tool', version: 1 })).status).toBe(200);
  await mona.getByLabel('Text', { exact: true }).fill(TEXTS.mine);
  await mona.getByRole('button', { name: 'Save section' }).click();
  await mona.getByRole('heading', { name: 'There is a problem' }).waitFor();
  expect(await mona.locator('.error-summary').innerText()).toContain('Someone changed this section since you opened it');
  expect(await mona.locator('.section-theirs').innerText()).toContain(TEXTS.theirs);
  expect(await mona.locator('.section-theirs').innerText()).toContain('version 2, saved by Ana Tool');
  expect(await mona.getByLabel('What you typed').inputValue()).toBe(TEXTS.mine);
  expect((await svc.call('GET', `/api/partnerships/${id}/sections/governance-outline`)).body.text).toBe(TEXTS.theirs);
  await check(mona, 'governance outline (stale save, both texts)');
  await shoot(mona, SHOTS, 'sections-03-stale');
  // Saving again is a deliberate choice to replace theirs.
  await mona.getByRole('button', { name: 'Save section' }).click();
  await mona.waitForURL(`${base}#substance`);
  await mona.goto(`${base}/sections/governance-outline`);
  expect(await mona.locator('ol.timeline li').allInnerTexts()).toEqual([
    expect.stringMatching(/^Version 3: Mona Lind \(mona@example\.org\), .* \(Initiating, cycle 1\)$/),
    expect.stringMatching(/^Version 2: Ana Tool, /),
    expect.stringMatching(/^Version 1: Mona Lind /),
  ]);
  await check(mona, 'governance outline (with its changes)');
  await shoot(mona, SHOTS, 'sections-04-section');

  // ── The initiating checklist, ticked by clicking ──
  await mona.goto(base);
  for (const i of itemsOfPhase('initiating')) {
    await item(mona, i.id).getByRole('button', { name: /Mark as done/ }).click();
    await item(mona, i.id).locator('.tag', { hasText: 'Done' }).waitFor();
  }
  expect((await svc.call('GET', `/api/partnerships/${id}`)).body.progress).toEqual({ done: itemsOfPhase('initiating').length, total: itemsOfPhase('initiating').length });
  await mona.getByRole('button', { name: 'Ask to advance' }).click();
  await mona.getByText('Approval requested').waitFor();
  const task = (await svc.call('GET', `/api/partnerships/${id}`)).body.pendingTasks[0].id as string;
  await e2eSteps(svc as Running).approveByEmail(task);
  const view = await eventually(async () => {
    const v = (await svc.call('GET', `/api/partnerships/${id}`)).body;
    return v.phase === 'adaptive-planning' && v.documents.some((d: { kind: string }) => d.kind === 'process-design') && v;
  }, 60_000);

  // ── Read back through the JSON API ──
  const sections = (await svc.call('GET', `/api/partnerships/${id}/sections`)).body.sections as Array<{ id: string; text: string; version: number; sdgTargets?: string[]; bySource?: Record<string, string> }>;
  const byId = Object.fromEntries(sections.map((s) => [s.id, s]));
  expect(byId['issue-context']).toMatchObject({ text: TEXTS.issue, sdgTargets: ['8.6', '8.b'], version: 1 });
  expect(byId['governance-outline']).toMatchObject({ text: TEXTS.mine, version: 3 });
  expect(byId['own-resources']).toMatchObject({ text: TEXTS.resources, bySource: { RB: TEXTS.rb, DC: TEXTS.dc } });
  expect(byId['staffing-plan']).toMatchObject({ text: '', version: 0 });

  // ── The process design, as a partnership would circulate it: its sections' texts, and no "Not recorded yet" ──
  const doc = view.documents.find((d: { kind: string }) => d.kind === 'process-design') as { id: string };
  const pdf = await mona.context().request.get(`${base}/documents/${encodeURIComponent(doc.id)}`);
  expect(pdf.headers()['content-type']).toContain('application/pdf');
  mkdirSync(OUT, { recursive: true });
  const file = join(OUT, 'sections-process-design.pdf');
  writeFileSync(file, await pdf.body());
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  for (const t of [...TEXTS.issue.split('\n\n'), TEXTS.core, TEXTS.mine, TEXTS.communication, TEXTS.reporting, TEXTS.resources, TEXTS.rb, TEXTS.dc, TEXTS.funding]) expect(text).toContain(t);
  expect(text).toContain('SDG targets served: 8.6 and 8.b');
  expect(text).not.toContain('Not recorded yet');
  expect(text).not.toContain('No core group of champions has been formed yet');
  // The record of who ticked what comes last, after the substance.
  expect(text.indexOf('Annex: record of the checklist')).toBeGreaterThan(text.indexOf(TEXTS.resources));
  expect(text.lastIndexOf('Done by Mona Lind')).toBeGreaterThan(text.indexOf('Annex: record of the checklist'));
  expect(text.indexOf('Done by Mona Lind')).toBeGreaterThan(text.indexOf('Annex: record of the checklist'));
  execFileSync('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', '1', '-singlefile', file, join(SHOTS, 'sections-05-process-design')]);

  // ── In Arabic, right to left ──
  await mona.goto(`${base}/sections/own-resources`);
  await mona.getByRole('link', { name: 'Language and time zone' }).click();
  await mona.getByLabel('Language').selectOption('ar');
  await mona.getByRole('button', { name: 'Save' }).click();
  await mona.waitForURL(`${base}/sections/own-resources`);
  expect(await mona.locator('html').getAttribute('dir')).toBe('rtl');
  await mona.getByRole('heading', { name: 'الموارد الذاتية للمنظمة', level: 1 }).waitFor();
  await check(mona, 'own resources (Arabic)');
  await shoot(mona, SHOTS, 'sections-06-own-resources-ar');
  await mona.goto(base);
  await check(mona, 'partnership page (Arabic)');
}, 420_000);
