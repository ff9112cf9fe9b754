import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { screenshotsDir } from '../support/screenshots';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startLocalService, type LocalService } from '../../scripts/local-service';
import { CHROMIUM_ARGS, ensureChromium } from '../../infra/chromium';
import { eventually, taskLinkOf, uniqueSlug } from '../support/fixtures';
import { SECTION_TEXTS, sectionsOfPhase } from '../support/sections';

/**
 * The manager's console in a real browser (Debian's Chromium through
 * playwright-core) against the whole service as processes, signing in through
 * the embedded OpenID provider: Mona starts a partnership with the form, maps a
 * stakeholder, ticks initiating's checklist, asks to advance; Ari approves from
 * the email's link; Mona sees the new phase and opens its document. Sam, another
 * manager, gets 403. axe-core checks each kind of page; screenshots go to
 * docs/screenshots (desktop and 375 px). Afterwards the processes' logs are
 * searched for every secret the run used.
 */
const SHOTS = screenshotsDir();
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 375, height: 812 };

let svc: LocalService;
let browser: Browser;
const axeResults: Record<string, { violations: Array<{ id: string; impact: string | null; nodes: number }> }> = {};
const cspViolations: string[] = [];

beforeAll(async () => {
  const cli = process.env.TEMPORAL_CLI;
  if (!cli) throw new Error('TEMPORAL_CLI is not set; run the tests through jest (globalSetup finds the CLI)');
  const executablePath = ensureChromium();
  // The API logs every request at info: the log test below needs them.
  svc = await startLocalService(cli, { signIn: true, env: { LOG_LEVEL: 'info' }, verbose: Boolean(process.env.E2E_VERBOSE) });
  browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
  mkdirSync(SHOTS, { recursive: true });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  writeFileSync(join(SHOTS, 'axe-results.json'), `${JSON.stringify(axeResults, null, 2)}\n`);
  expect(await svc?.stop()).toEqual({ api: 0, worker: 0 });
});

async function newContext(): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: DESKTOP });
  context.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) cspViolations.push(msg.text());
  });
  return context;
}

/** axe-core's rules on the page as it is; fails on any serious or critical violation. */
async function checkAccessibility(page: Page, name: string): Promise<void> {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern (it forbids inline scripts).
  await page.evaluate(AXE);
  const result = (await page.evaluate(() => (globalThis as unknown as { axe: { run(): Promise<unknown> } }).axe.run())) as {
    violations: Array<{ id: string; impact: string | null; help: string; nodes: unknown[] }>;
  };
  axeResults[name] = { violations: result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length })) };
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${name}: ${v.id} (${v.impact}) ${v.help}`)).toEqual([]);
}

/** The page at desktop width and at 375 px, into docs/screenshots. */
async function screenshots(page: Page, name: string): Promise<void> {
  // From the top of the page, as a person arriving sees it (filling a form scrolls it).
  await page.evaluate('window.scrollTo(0, 0)');
  await page.setViewportSize(DESKTOP);
  await page.screenshot({ path: join(SHOTS, `${name}-desktop.png`) });
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: join(SHOTS, `${name}-375.png`) });
  await page.setViewportSize(DESKTOP);
}

/** At 375 px, nothing is wider than the window (the page does not scroll sideways). */
async function fitsPhone(page: Page): Promise<void> {
  await page.setViewportSize(PHONE);
  const { scrollWidth, innerWidth } = (await page.evaluate('({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })')) as { scrollWidth: number; innerWidth: number };
  await page.setViewportSize(DESKTOP);
  expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
}

async function signIn(page: Page, who: string): Promise<void> {
  await page.goto(`${svc.base}/`);
  await page.getByRole('heading', { name: 'Who are you?' }).waitFor();
  await page.getByLabel(new RegExp(who)).check();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${svc.base}/console`);
}

test('a manager runs a partnership through its first gate in the browser; another manager cannot open it; no secret is logged', async () => {
  const mona = await (await newContext()).newPage();

  // Sign in through the embedded provider.
  await mona.goto(`${svc.base}/`);
  await mona.getByRole('heading', { name: 'Who are you?' }).waitFor();
  await screenshots(mona, '01-sign-in');
  await mona.getByLabel(/Mona Lind/).check();
  await mona.getByRole('button', { name: 'Sign in' }).click();
  await mona.waitForURL(`${svc.base}/console`);
  await mona.getByRole('heading', { name: 'My partnerships' }).waitFor();
  await checkAccessibility(mona, 'my partnerships (empty)');

  // The form: a field error first, with what was typed kept.
  await mona.getByRole('link', { name: 'New partnership', exact: true }).click();
  await mona.getByLabel('Title').fill('Green jobs for youth');
  await mona.getByRole('button', { name: 'Start the partnership' }).click();
  await mona.getByRole('heading', { name: 'There is a problem' }).waitFor();
  expect(await mona.getByLabel('Title').inputValue()).toBe('Green jobs for youth');
  await expect(mona.locator('#goal-error').textContent()).resolves.toContain('Enter the partnership’s goal');
  expect(await mona.locator('.error-summary a').allTextContents()).toEqual(
    expect.arrayContaining(['Enter the partnership’s goal', 'Select at least one driver', 'Select the organisation’s role']),
  );
  await checkAccessibility(mona, 'new partnership (with errors)');
  await screenshots(mona, '03-new-partnership-errors');

  const slug = uniqueSlug('green-jobs');
  await mona.getByLabel('Goal').fill('Decent green jobs for young people (SDG 8.6)');
  await mona.getByLabel('Policy alignment and advocacy').check();
  await mona.getByLabel('Convener').check();
  await mona.getByLabel('Approver 1 name').fill('Ari Approver');
  await mona.getByLabel('Approver 1 email').fill('ari@example.org');
  await mona.getByLabel('Co-manager 1 name').fill('Nadia Haddad');
  await mona.getByLabel('Co-manager 1 email').fill('nadia@example.org');
  await mona.locator('summary').click();
  await mona.getByLabel('Short name for its web address').fill(slug);
  await mona.getByRole('button', { name: 'Start the partnership' }).click();
  await mona.waitForURL(`${svc.base}/console/partnerships/msp-${slug}`);
  await mona.getByRole('heading', { name: 'Partnership started' }).waitFor();
  const partnershipUrl = mona.url();

  // A refused tick says why beside the item itself, where the person is looking: the stakeholder map needs a stakeholder.
  const mapItem = mona.locator('[id="item-initiating.issues-context.stakeholder-map"]');
  await mapItem.getByRole('button').click();
  await mapItem.getByRole('heading', { name: 'This item could not be marked as done' }).waitFor();
  expect(new URL(mona.url()).hash).toBe('#item-initiating.issues-context.stakeholder-map');
  await expect(mapItem.locator('.banner').isVisible()).resolves.toBe(true);
  // In the person's words: what to do, no item id or API path.
  const why = await mapItem.locator('.banner').innerText();
  expect(why).toContain('Map at least one stakeholder first');
  expect(why).not.toMatch(/initiating\.|POST|…\//);

  // Asking too early lists what is missing in words, grouped by dimension, in the panel where the button is.
  await mona.getByRole('button', { name: 'Ask to advance' }).click();
  const advance = mona.locator('#advance');
  await advance.getByRole('heading', { name: 'You cannot ask to advance yet' }).waitFor();
  expect(new URL(mona.url()).hash).toBe('#advance');
  const refusal = (await advance.textContent()) ?? '';
  expect(refusal).toContain('Issues & context');
  expect(refusal).toContain('Describe the issue, its context and the goal the MSP serves');
  expect(refusal).not.toMatch(/initiating\.[a-z-]+\./);
  await checkAccessibility(mona, 'one partnership (ask to advance refused)');
  await fitsPhone(mona);
  await advance.scrollIntoViewIfNeeded();
  await mona.setViewportSize(PHONE);
  await advance.screenshot({ path: join(SHOTS, '10-advance-missing-375.png') });
  await mona.setViewportSize(DESKTOP);

  // Map a stakeholder: the stakeholder-map item needs one.
  await mona.getByRole('link', { name: 'Map a stakeholder' }).click();
  await mona.getByLabel('Organisation', { exact: true }).fill('Ministry of Labour');
  await mona.getByLabel('Government', { exact: true }).check();
  await mona.getByLabel('Why engage them?').fill('Owns the employment policy');
  await mona.getByLabel('How will you engage them?').fill('Bilateral meeting, then the core-group workshop');
  await checkAccessibility(mona, 'map a stakeholder');
  await screenshots(mona, '05-map-stakeholder');
  await mona.getByRole('button', { name: 'Add to the stakeholder map' }).click();
  await mona.getByRole('heading', { name: 'Stakeholder mapped' }).waitFor();

  // Invite it as a partner: the contact gets the invitation; the map shows where it stands. Then withdraw it.
  const ministry = mona.locator('#stakeholder-ministry-of-labour');
  await ministry.getByRole('link', { name: /Invite as a partner/ }).click();
  await mona.getByRole('button', { name: 'Send the invitation' }).click();
  await mona.getByRole('heading', { name: 'There is a problem' }).waitFor();
  await checkAccessibility(mona, 'invite a partner (with errors)');
  await mona.getByLabel("Contact's name").fill('Lea Ministry');
  await mona.getByLabel("Contact's email").fill('lea@example.org');
  await mona.getByLabel("Contact's language").selectOption('fr');
  await screenshots(mona, '09-invite-partner');
  await mona.getByRole('button', { name: 'Send the invitation' }).click();
  await mona.getByRole('heading', { name: 'Invitation sent' }).waitFor();
  await svc.mail.waitFor((m) => m.to.includes('lea@example.org'), 60_000);
  await eventually(async () => {
    await mona.goto(partnershipUrl);
    return (await ministry.textContent())?.includes('Invitation: waiting for the contact');
  }, 30_000, 500);
  await expect(ministry.textContent()).resolves.toContain('Invited');
  await checkAccessibility(mona, 'one partnership (partner invited)');
  await ministry.getByRole('link', { name: /Withdraw/ }).click();
  await mona.getByLabel('Reason').fill('The ministry asked to join later');
  await mona.getByRole('button', { name: 'Withdraw' }).click();
  await mona.getByRole('heading', { name: 'Partner withdrawn' }).waitFor();
  // The onboarding ends first; the stakeholder map follows when the partnership hears of it.
  await eventually(async () => {
    await mona.goto(partnershipUrl);
    return (await ministry.textContent())?.includes('Withdrawn');
  }, 30_000, 500);

  // Items whose substance is a written section need it first: Mona writes each one on its page.
  for (const section of sectionsOfPhase('initiating')) {
    await mona.goto(`${partnershipUrl}/sections/${section}`);
    await mona.getByLabel('Text', { exact: true }).fill(SECTION_TEXTS[section]);
    await mona.getByRole('button', { name: 'Save section' }).click();
    await mona.waitForURL(`${partnershipUrl}#substance`);
  }

  // Tick every initiating item, one form each, the first with a note.
  let ticked = 0;
  for (;;) {
    const form = mona.locator('form.tick-form').first();
    if ((await form.count()) === 0) break;
    if (ticked === 0) await form.locator('input[name=note]').fill('Agreed at the kick-off meeting');
    await form.getByRole('button').click();
    await mona.waitForLoadState('load');
    ticked++;
    expect(ticked).toBeLessThan(60);
  }
  expect(ticked).toBeGreaterThan(10);
  await expect(mona.getByText('“Agreed at the kick-off meeting”').count()).resolves.toBe(1);

  await mona.getByRole('button', { name: 'Ask to advance' }).click();
  await mona.getByRole('heading', { name: 'Approval requested' }).waitFor();
  await checkAccessibility(mona, 'one partnership (awaiting approval)');
  await screenshots(mona, '04-partnership-awaiting-approval');

  // The JSON API answers the same person's session, under the same rules.
  const viaSession = await mona.request.get(`${svc.base}/api/partnerships/msp-${slug}`);
  expect(viaSession.status()).toBe(200);
  expect((await viaSession.json()).checklist.find((c: { note?: string }) => c.note === 'Agreed at the kick-off meeting').doneBy).toMatch(
    /^Mona Lind <mona@example\.org> \[signed in, sub mona\]$/,
  );

  // Ari opens the approval email's link and approves.
  const mail = await svc.mail.waitFor((m) => m.to.includes('ari@example.org') && /\/tasks\//.test(m.text), 60_000);
  const link = taskLinkOf(mail);
  const ari = await (await newContext()).newPage();
  await ari.goto(link.url);
  await ari.getByRole('heading', { name: /Decision needed/ }).waitFor();
  // The approver reads who asked, not the audit trail's subject.
  await expect(ari.content()).resolves.toContain('Mona Lind (mona@example.org)');
  await expect(ari.content()).resolves.not.toContain('[signed in');
  await checkAccessibility(ari, 'approval task page');
  await screenshots(ari, '06-approval-task');
  await ari.getByRole('button', { name: 'Approve' }).click();
  await ari.getByRole('heading', { name: /your decision is recorded/ }).waitFor();

  // Mona sees the new phase and its document.
  await eventually(async () => {
    await mona.goto(partnershipUrl);
    const current = await mona.locator('[aria-current=step]').textContent();
    return current?.includes('Adaptive planning') && (await mona.getByRole('link', { name: 'open as a web page' }).count()) > 0;
  }, 90_000, 1000);
  await checkAccessibility(mona, 'one partnership (adaptive planning)');
  await screenshots(mona, '04-partnership');
  await mona.screenshot({ path: join(SHOTS, '04-partnership-full-desktop.png'), fullPage: true });
  const pdfHref = await mona.getByRole('link', { name: 'PDF' }).first().getAttribute('href');
  await mona.getByRole('link', { name: 'open as a web page' }).first().click();
  await expect(mona.content()).resolves.toContain('Green jobs for youth');
  await screenshots(mona, '07-phase-document');
  const pdf = await mona.request.get(`${svc.base}${pdfHref}`);
  expect(pdf.headers()['content-type']).toBe('application/pdf');
  expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');

  await mona.goto(`${svc.base}/console`);
  await checkAccessibility(mona, 'my partnerships');
  await screenshots(mona, '02-my-partnerships');
  await fitsPhone(mona);

  // Filters: a word of the title, the phase, overdue reviews.
  await eventually(async () => {
    await mona.goto(`${svc.base}/console?title=youth&phase=adaptive-planning`);
    return (await mona.getByRole('link', { name: 'Green jobs for youth' }).count()) > 0;
  }, 30_000, 500);
  await mona.goto(`${svc.base}/console?title=nowhere-${slug}`);
  await mona.getByText('0 partnerships match these filters.').waitFor();
  await mona.goto(`${svc.base}/console?overdue=yes`);
  await expect(mona.getByRole('link', { name: 'Green jobs for youth' }).count()).resolves.toBe(0);

  // A bad id in a console address is a page not found, in words.
  const notFound = await mona.goto(`${svc.base}/console/partnerships/Not An Id`);
  expect(notFound?.status()).toBe(404);
  await mona.getByRole('heading', { name: 'Page not found' }).waitFor();
  await expect(mona.content()).resolves.not.toMatch(/\(body\)|path parameter/);

  // Language and time zone: French, then Arabic (right to left) in Dubai's time, then back.
  const setPreferences = async (page: Page, language: string, zone: string) => {
    await page.goto(`${svc.base}/console/preferences?returnTo=${encodeURIComponent(new URL(partnershipUrl).pathname)}`);
    await page.locator('#language').selectOption(language);
    await page.locator('#timeZone').selectOption(zone);
    await page.locator('form[action="/console/preferences"] button').click();
    await page.waitForURL(partnershipUrl);
  };
  await setPreferences(mona, 'fr', 'Europe/Paris');
  expect(await mona.locator('html').getAttribute('lang')).toBe('fr');
  await mona.getByRole('heading', { name: 'Parties prenantes' }).waitFor();
  await expect(mona.locator('footer').textContent()).resolves.toContain('Europe/Paris');
  await checkAccessibility(mona, 'one partnership (French)');
  await screenshots(mona, '11-partnership-fr');
  await setPreferences(mona, 'ar', 'Asia/Dubai');
  expect(await mona.locator('html').getAttribute('dir')).toBe('rtl');
  await mona.getByRole('heading', { name: 'أصحاب المصلحة' }).waitFor();
  await checkAccessibility(mona, 'one partnership (Arabic)');
  await fitsPhone(mona);
  await screenshots(mona, '12-partnership-ar');
  await setPreferences(mona, 'en', 'UTC');
  expect(await mona.locator('html').getAttribute('dir')).toBe('ltr');

  // Nadia is a co-manager: the partnership is on her list, in Arabic (her provider's locale claim).
  const nadia = await (await newContext()).newPage();
  await signIn(nadia, 'نادية حداد');
  expect(await nadia.locator('html').getAttribute('lang')).toBe('ar');
  await eventually(async () => {
    await nadia.goto(`${svc.base}/console`);
    return (await nadia.getByRole('link', { name: 'Green jobs for youth' }).count()) > 0;
  }, 30_000, 500);
  await checkAccessibility(nadia, 'my partnerships (Arabic, co-manager)');
  await screenshots(nadia, '13-my-partnerships-ar');

  // Sam manages other partnerships: 403, on the page and through the API.
  const sam = await (await newContext()).newPage();
  await signIn(sam, 'Sam Okafor');
  const forbidden = await sam.goto(partnershipUrl);
  expect(forbidden?.status()).toBe(403);
  await sam.getByRole('heading', { name: 'You cannot open this partnership' }).waitFor();
  await expect(sam.content()).resolves.toContain('Only its manager, its co-managers and administrators');
  await checkAccessibility(sam, 'forbidden (403)');
  await screenshots(sam, '08-forbidden');
  expect((await sam.request.get(`${svc.base}/api/partnerships/msp-${slug}`)).status()).toBe(403);
  expect((await sam.request.get(`${svc.base}${pdfHref}`)).status()).toBe(403);

  // Sign out: the console asks for sign-in again.
  await mona.getByRole('button', { name: 'Sign out' }).click();
  await mona.getByRole('heading', { name: 'You have signed out' }).waitFor();
  expect((await mona.request.get(`${svc.base}/api/partnerships/msp-${slug}`)).status()).toBe(401);

  expect(cspViolations).toEqual([]);

  // A bearer call, so the logs have one to leak; then look for every secret of the run.
  expect((await svc.call('GET', `/api/partnerships/msp-${slug}`)).status).toBe(200);
  const cookies = await sam.context().cookies();
  const logs = ['api', 'worker'].map((p) => svc.processes[p as 'api' | 'worker'].output.join('')).join('\n');
  expect(logs).toContain('"url":"/console'); // request logging is on
  expect(logs).not.toContain(svc.apiKey);
  expect(logs).not.toMatch(/Bearer\s+[^\s"[]/i);
  expect(logs).not.toContain(link.token);
  expect(logs).not.toMatch(/\/tasks\/(?!\[redacted\])[A-Za-z0-9]/);
  expect(logs).not.toMatch(/[?&]code=(?!\[redacted\])/);
  for (const c of cookies) expect(logs).not.toContain(c.value);
}, 600_000);
