import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

/**
 * What the console's browser tests share: axe-core with no serious or
 * critical violation, no sideways scroll at 375 px, screenshots at desktop
 * width and 375 px, and signing in through the embedded OpenID provider.
 */
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 375, height: 812 };

/** axe-core on the page as it is: no serious or critical violation. `phone`: also nothing wider than a 375-px phone. */
export async function check(page: Page, name: string, { phone = true } = {}): Promise<void> {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern (it forbids inline scripts).
  await page.evaluate(AXE);
  const result = (await page.evaluate(() => (globalThis as unknown as { axe: { run(): Promise<unknown> } }).axe.run())) as {
    violations: Array<{ id: string; impact: string | null; help: string }>;
  };
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${name}: ${v.id} (${v.impact}) ${v.help}`)).toEqual([]);
  if (phone) await fitsPhone(page, name);
}

/** At 375 px, nothing is wider than the window (the page does not scroll sideways). */
export async function fitsPhone(page: Page, name: string): Promise<void> {
  const before = page.viewportSize() ?? DESKTOP;
  await page.setViewportSize(PHONE);
  const { scrollWidth, innerWidth } = (await page.evaluate('({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })')) as { scrollWidth: number; innerWidth: number };
  await page.setViewportSize(before);
  expect(`${name}: ${scrollWidth}`).toBe(`${name}: ${Math.min(scrollWidth, innerWidth)}`);
}

/** The page at desktop width and at 375 px, as `<dir>/<name>-desktop.png` and `-375.png`; `fullPage: false`: only its top, as it opens. */
export async function screenshots(page: Page, dir: string, name: string, { fullPage = true } = {}): Promise<void> {
  await page.evaluate('window.scrollTo(0, 0)');
  await page.setViewportSize(DESKTOP);
  await page.screenshot({ path: join(dir, `${name}-desktop.png`), fullPage });
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: join(dir, `${name}-375.png`), fullPage });
  await page.setViewportSize(DESKTOP);
}

/** Opens `url` (a console page), is asked "Who are you?" by the embedded provider, picks `who` and lands back on `url`. */
export async function signIn(page: Page, url: string, who: string | RegExp): Promise<void> {
  await page.goto(url);
  await page.getByRole('heading', { name: 'Who are you?' }).waitFor();
  await page.getByLabel(typeof who === 'string' ? new RegExp(who) : who).check();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(url);
}

/** A SMART objective as the console's form asks for it (api/resources/templates). */
export interface ObjectiveForm {
  statement: string;
  indicator: string;
  target: string;
  unit: string;
  date: string;
  relevance: string;
}

/** Fills the "Add a SMART objective" form with `o`, ticks that the partners agree, and sends it. */
export async function submitObjective(page: Page, o: ObjectiveForm): Promise<void> {
  await page.getByLabel('Objective', { exact: true }).fill(o.statement);
  await page.getByLabel('Indicator', { exact: true }).fill(o.indicator);
  await page.getByLabel('Target value').fill(o.target);
  await page.getByLabel('Unit', { exact: true }).fill(o.unit);
  await page.getByLabel('Date by which it is reached').fill(o.date);
  await page.getByLabel('Why it serves the common vision').fill(o.relevance);
  await page.getByLabel(/The partners agree that this target can be reached/).check();
  await page.getByRole('button', { name: 'Add the objective' }).click();
}
