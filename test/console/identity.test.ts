import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startLocalService, type LocalService } from '../../scripts/local-service';
import type { DemoPerson } from '../../scripts/dev-oidc-people';
import { CHROMIUM_ARGS, ensureChromium } from '../../infra/chromium';
import { partnershipRequest } from '../support/fixtures';

/**
 * Identity against a real OpenID provider (the embedded oidc-provider, with
 * people read from a file this test rewrites between sign-ins) and the whole
 * service as processes, in a real browser: a person is the provider's issuer
 * and subject; an email claim opens nothing unless the provider verified it
 * and nobody else holds it here; sessions live on the server, change id at
 * sign-in and end at sign-out, for the console and the API alike.
 */
let svc: LocalService;
let browser: Browser;
let dir: string;
let peopleFile: string;

function people(list: Array<Partial<DemoPerson> & Pick<DemoPerson, 'sub' | 'name' | 'email'>>): void {
  writeFileSync(peopleFile, JSON.stringify(list.map((p) => ({ role: 'identity test', ...p }))));
}

beforeAll(async () => {
  const cli = process.env.TEMPORAL_CLI;
  if (!cli) throw new Error('TEMPORAL_CLI is not set; run the tests through jest (globalSetup finds the CLI)');
  dir = mkdtempSync(join(tmpdir(), 'msp-identity-'));
  peopleFile = join(dir, 'people.json');
  people([]);
  svc = await startLocalService(cli, { signIn: true, signInPeopleFile: peopleFile, verbose: Boolean(process.env.E2E_VERBOSE) });
  browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS, headless: true });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  expect(await svc?.stop()).toEqual({ api: 0, worker: 0 });
  rmSync(dir, { recursive: true, force: true });
});

async function signIn(context: BrowserContext, sub: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${svc.base}/console`);
  await page.getByRole('heading', { name: 'Who are you?' }).waitFor();
  await page.locator(`#person-${sub}`).check();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${svc.base}/console`);
  return page;
}

/** The console's session cookie and a CSRF pair, as a script that copied them out of the browser would hold them. */
async function stolen(context: BrowserContext, page: Page): Promise<{ cookie: string; csrf: string }> {
  const cookies = await context.cookies(svc.base);
  const csrf = await page.locator('input[name="_csrf"]').first().getAttribute('value');
  return { cookie: cookies.map((c) => `${c.name}=${c.value}`).join('; '), csrf: csrf ?? '' };
}

const asBrowser = (cookie: string, init: RequestInit = {}) => ({ ...init, redirect: 'manual' as const, headers: { cookie, ...(init.headers as Record<string, string>) } });

async function startPartnership(managerEmail: string, name: string): Promise<string> {
  const started = await svc.call('POST', '/api/partnerships', partnershipRequest({ manager: { name, email: managerEmail } }));
  expect(started.status).toBe(201);
  return started.body.id as string;
}

/** A checklist item of the first phase that needs no data to tick: what a stolen session would try to write. */
async function tickable(id: string): Promise<string> {
  const read = await svc.call('GET', `/api/partnerships/${id}`);
  return (read.body.checklist as Array<{ id: string; capability?: string }>).find((c) => !c.capability)!.id;
}

test('an email the provider has not verified opens nothing: not the partnership, not the API, not the new-partnership form', async () => {
  const id = await startPartnership('mona@example.org', 'Mona Lind');
  people([
    { sub: 'mallory', name: 'Mallory', email: 'mona@example.org', emailVerified: false },
    { sub: 'nobody', name: 'No Claim', email: 'mona@example.org', emailVerified: null },
  ]);
  for (const sub of ['mallory', 'nobody']) {
    const context = await browser.newContext();
    const page = await signIn(context, sub);
    await page.getByRole('heading', { name: 'Your email address opens no partnership' }).waitFor();
    expect(await page.locator('body').innerText()).toContain('without confirming that it is yours');

    const opened = await page.goto(`${svc.base}/console/partnerships/${id}`);
    expect(opened?.status()).toBe(403);
    expect((await page.goto(`${svc.base}/console/partnerships/new`))?.status()).toBe(403);

    const { cookie, csrf } = await stolen(context, page);
    expect((await fetch(`${svc.base}/api/partnerships/${id}`, asBrowser(cookie))).status).toBe(403);
    const write = await fetch(`${svc.base}/api/partnerships/${id}/checklist/${await tickable(id)}/complete`, asBrowser(cookie, { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: '{}' }));
    expect(write.status).toBe(403);
    const list = (await (await fetch(`${svc.base}/api/partnerships`, asBrowser(cookie))).json()) as { partnerships: unknown[] };
    expect(list.partnerships).toEqual([]);
    await context.close();
  }
});

test('a person whose address changes at the provider keeps their partnerships; the recycled address gives its next holder nothing', async () => {
  const id = await startPartnership('lee.old@example.org', 'Lee Chen');
  people([{ sub: 'lee', name: 'Lee Chen', email: 'lee.old@example.org' }]);
  let context = await browser.newContext();
  let page = await signIn(context, 'lee');
  expect((await page.goto(`${svc.base}/console/partnerships/${id}`))?.status()).toBe(200);
  await context.close();

  // Lee's address changes at the provider; the old one goes to someone new (another subject).
  people([
    { sub: 'lee', name: 'Lee Chen', email: 'lee.chen@example.org' },
    { sub: 'newcomer', name: 'New Holder', email: 'lee.old@example.org' },
  ]);
  context = await browser.newContext();
  page = await signIn(context, 'lee');
  expect((await page.goto(`${svc.base}/console/partnerships/${id}`))?.status()).toBe(200);
  await page.goto(`${svc.base}/console`);
  expect(await page.locator(`a[href="/console/partnerships/${id}"]`).count()).toBeGreaterThan(0);
  await context.close();

  context = await browser.newContext();
  page = await signIn(context, 'newcomer');
  expect(await page.locator('body').innerText()).toContain('already belongs here to another person');
  expect((await page.goto(`${svc.base}/console/partnerships/${id}`))?.status()).toBe(403);
  await context.close();
});

test('the session id changes at sign-in, and a cookie copied before sign-out opens nothing after it (console and API)', async () => {
  const id = await startPartnership('sam@example.org', 'Sam Okafor');
  const context = await browser.newContext();
  // Before sign-in: a page with a form gives the browser a session.
  const before = await context.newPage();
  await before.goto(`${svc.base}/console/preferences`);
  const anonymous = (await context.cookies(svc.base)).find((c) => c.name === 'msp_console')?.value;
  expect(anonymous).toBeTruthy();

  const page = await signIn(context, 'sam');
  const signedIn = (await context.cookies(svc.base)).find((c) => c.name === 'msp_console')?.value;
  expect(signedIn).toBeTruthy();
  expect(signedIn).not.toBe(anonymous);
  // The id known before sign-in (session fixation) is not signed in.
  expect((await fetch(`${svc.base}/api/partnerships/${id}`, asBrowser(`msp_console=${anonymous}`))).status).toBe(401);

  await page.goto(`${svc.base}/console/partnerships/${id}`);
  const copy = await stolen(context, page);
  const item = await tickable(id);
  const writeWith = (c: { cookie: string; csrf: string }) =>
    fetch(`${svc.base}/api/partnerships/${id}/checklist/${item}/complete`, asBrowser(c.cookie, { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': c.csrf }, body: '{}' }));
  // The copy works while the session lives.
  expect((await fetch(`${svc.base}/api/partnerships/${id}`, asBrowser(copy.cookie))).status).toBe(200);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'You have signed out' }).waitFor();

  const consolePage = await fetch(`${svc.base}/console/partnerships/${id}`, asBrowser(copy.cookie));
  expect(consolePage.status).toBe(303);
  expect(consolePage.headers.get('location')).toContain('/console/sign-in');
  expect((await fetch(`${svc.base}/api/partnerships/${id}`, asBrowser(copy.cookie))).status).toBe(401);
  expect((await writeWith(copy)).status).toBe(401);
  const state = await svc.call('GET', `/api/partnerships/${id}`);
  expect(state.body.checklist.find((i: { id: string }) => i.id === item)?.done).toBeFalsy();
  await context.close();
});

test('a sign-in cancelled at the provider, or answered with the wrong state, says so (400, not a 500); two tabs may sign in at once; signing out twice is fine', async () => {
  // Two sign-ins begun in one browser (two tabs): both stay pending.
  const first = await fetch(`${svc.base}/console/sign-in`, { redirect: 'manual' });
  const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0];
  const second = await fetch(`${svc.base}/console/sign-in`, asBrowser(cookie));
  const stateOf = (r: Response) => new URL(r.headers.get('location')!).searchParams.get('state')!;
  const [a, b] = [stateOf(first), stateOf(second)];
  expect(a).not.toBe(b);

  const cancelled = await fetch(`${svc.base}/console/auth/callback?error=access_denied&state=${encodeURIComponent(a)}`, asBrowser(cookie));
  expect(cancelled.status).toBe(400);
  expect(await cancelled.text()).toContain('Sign-in did not finish');
  // The other tab's sign-in is still pending: its callback reaches the provider's check (a made-up code is refused, as a 400).
  const wrongCode = await fetch(`${svc.base}/console/auth/callback?code=made-up&state=${encodeURIComponent(b)}&iss=${encodeURIComponent(svc.oidc!.issuer)}`, asBrowser(cookie));
  expect(wrongCode.status).toBe(400);
  // A state nobody began starts over.
  const unknown = await fetch(`${svc.base}/console/auth/callback?code=x&state=nobody-began-this`, asBrowser(cookie));
  expect(unknown.status).toBe(303);

  // Signing out of a session that has already ended (a double click, an old tab) answers the signed-out page.
  const context = await browser.newContext();
  const page = await signIn(context, 'ari');
  const copy = await stolen(context, page);
  const signOut = () => fetch(`${svc.base}/console/sign-out`, asBrowser(copy.cookie, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `_csrf=${encodeURIComponent(copy.csrf)}` }));
  const [one, two] = await Promise.all([signOut(), signOut()]);
  expect([one.status, two.status]).toEqual([200, 200]);
  expect((await fetch(`${svc.base}/api/partnerships`, asBrowser(copy.cookie))).status).toBe(401);
  await context.close();
});
