import type { Browser, Page } from 'playwright-core';
import { PRINCIPLE_IDS } from '../../domain/partners/principles';
import type { LocalService } from '../../scripts/local-service';
import { DESKTOP, check } from './console';
import { APPROVER_1, taskLinkOf } from './fixtures';
import { contactFor, isInvitationEmailFor } from './partners';

/**
 * What the people other than the manager do in the whole-cycle walk
 * (test/e2e/whole-cycle.e2e.test.ts), each through the link emailed to them
 * and in a browser of their own: Ari approves a task; a partner's contact
 * accepts the invitation, attests the principles and signs; a partner's focal
 * point answers the review.
 */

/** The running service and the browser each person opens a context of their own in. */
export interface Walk {
  svc: LocalService;
  browser: Browser;
}

/** What an emailed-link matcher is given. */
export type Mail = { to: string[]; text: string; subject: string };

/** A new browser of its own (a contact, an approver): no cookie of anyone else's. */
export async function ownBrowser(walk: Walk): Promise<Page> {
  return (await walk.browser.newContext({ viewport: DESKTOP })).newPage();
}

/** A link in an email to one of the pages behind links (`/tasks/…`, `/invitations/…`, `/reviews/…`). */
export function linkIn(text: string, path: 'tasks' | 'invitations' | 'reviews'): string {
  const m = new RegExp(`(https?://\\S+/${path}/[A-Za-z0-9_.-]+)`).exec(text);
  if (!m) throw new Error(`no /${path}/ link in email`);
  return m[1]!;
}

/** Ari opens the emailed link that matches, in his own browser, and clicks Approve; `look`: axe-core on the approval page first. */
export async function ariApproves(walk: Walk, match: (m: Mail) => boolean, name: string, look = false): Promise<void> {
  const mail = await walk.svc.mail.waitFor((m) => m.to.includes(APPROVER_1.email) && /\/tasks\//.test(m.text) && match(m), 60_000);
  const ari = await ownBrowser(walk);
  await ari.goto(taskLinkOf(mail).url);
  await ari.getByRole('heading', { name: /Decision needed/ }).waitFor();
  if (look) await check(ari, `approval page: ${name}`);
  await ari.getByRole('button', { name: 'Approve' }).click();
  await ari.getByRole('heading', { name: /your decision is recorded/ }).waitFor();
  await ari.context().close();
}

/**
 * The invited organisation's contact accepts from the emailed invitation,
 * attests every principle (the page offers each of them), Ari approves the
 * partner, and the contact confirms the signature from the next email.
 * `look`: axe-core on each of the contact's pages and on Ari's.
 */
export async function contactJoins(walk: Walk, organisation: string, look: boolean): Promise<void> {
  const contact = contactFor(organisation);
  const page = await ownBrowser(walk);
  await page.goto(linkIn((await walk.svc.mail.waitFor(isInvitationEmailFor(contact.email, 'invitation'), 60_000)).text, 'invitations'));
  await page.getByRole('heading', { name: `Will ${organisation} join as a partner?` }).waitFor();
  if (look) await check(page, 'invitation page');
  await page.getByRole('button', { name: 'Accept' }).click();
  await page.getByRole('heading', { name: 'Due diligence' }).waitFor();
  expect(await page.locator('input[name=principles]').count()).toBe(PRINCIPLE_IDS.length);
  for (const box of await page.locator('input[name=principles]').all()) await box.check();
  await page.getByLabel(/Conflicts of interest/).fill('None');
  if (look) await check(page, 'due diligence page');
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.getByRole('heading', { name: 'Thank you' }).waitFor();
  await ariApproves(walk, (m) => m.subject.includes(`Approve ${organisation}`), `partner ${organisation}`, look);
  await page.goto(linkIn((await walk.svc.mail.waitFor(isInvitationEmailFor(contact.email, 'signature'), 60_000)).text, 'invitations'));
  await page.getByRole('heading', { name: 'Confirm the signature' }).waitFor();
  if (look) await check(page, 'signature page');
  await page.getByLabel('Signed by (name and title)').fill(`${contact.name}, director`);
  await page.getByRole('button', { name: 'Confirm the signature' }).click();
  await page.getByRole('heading', { name: 'Welcome to the partnership' }).waitFor();
  await page.context().close();
}

/**
 * The organisation's focal point answers review 1 from its emailed link (not
 * a reminder): every indicator at `value`, fairness 5, issues 4, a lesson and
 * a word on the organisation. `look`: axe-core on the answer page.
 */
export async function contactAnswersReview(walk: Walk, organisation: string, value: number, look: boolean): Promise<void> {
  const email = contactFor(organisation).email;
  const reviewMail = (m: Mail) => m.to.includes(email) && /\/reviews\//.test(m.text) && m.subject.includes('review 1') && !m.subject.includes('reminder');
  const page = await ownBrowser(walk);
  await page.goto(linkIn((await walk.svc.mail.waitFor(reviewMail, 60_000)).text, 'reviews'));
  for (const box of await page.locator('input[name^="value:"]').all()) await box.fill(String(value));
  await page.getByRole('group', { name: 'Were participants treated fairly?' }).getByLabel('5').check();
  await page.getByRole('group', { name: 'Were the important issues discussed?' }).getByLabel('4').check();
  await page.getByLabel('What did we learn? What should change?').fill(`${organisation}: employers join once a pilot shows results`);
  await page.getByLabel(/How is the organisation performing/).fill(`${organisation}: clear coordination, slow contracts`);
  if (look) await check(page, 'review answer page');
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.getByRole('heading', { name: `Thank you, ${organisation}` }).waitFor();
  await page.context().close();
}
