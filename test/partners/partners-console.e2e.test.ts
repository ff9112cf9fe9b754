import { chromium, type Browser, type Page } from 'playwright-core';
import { startLocalService, type LocalService } from '../../scripts/local-service';
import { CHROMIUM_ARGS, ensureChromium } from '../../infra/chromium';
import { PRINCIPLE_IDS } from '../../domain/partners/principles';
import { APPROVER_1, eventually, partnershipRequest, taskLinkOf } from '../support/fixtures';
import { e2eSteps, type Running } from '../support/e2e';
import { contactFor, isInvitationEmailFor } from '../support/partners';
import { activityInput, channelInput } from '../support/funding';
import { screenshotsDir } from '../support/screenshots';
import { DESKTOP, check, screenshots as shoot } from '../support/console';

/**
 * Partners, collaborative action and the history in the console, in a real
 * browser against the whole service as processes. Mona maps and invites two
 * partners by clicking; their contacts answer through the emailed links
 * (accept, due diligence, signature) and Ari approves each from his; Mona
 * follows each onboarding step by step (the due-diligence answers, who
 * approved, the letter of intent, which opens), sends one invitation again
 * (a repeated request with the same key sends nothing more), and withdraws a
 * third. In collaborative action she records progress on an activity (a stale
 * save answered with both records), then reads the history: gates, partner
 * approvals decided by link, the channel's approval, progress, each with who
 * and when — also in Arabic. The closing page says what closing does. axe-core
 * and 375 px on every page; what was saved is read back through the JSON API.
 */
const SHOTS = screenshotsDir();
const TITLE = 'Decent work in the care economy';

let svc: LocalService;
let browser: Browser;
let id: string;
let mona: Page;

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



const partnershipUrl = () => `${svc.base}/console/partnerships/${id}`;
const invitationMails = (email: string) => svc.mail.messages.filter(isInvitationEmailFor(email, 'invitation to join'));

/** The contact of `organisation`, from the invitation email: accepts, attests every principle, and (after Ari approves from his link) signs. */
async function contactAnswers(organisation: string, steps: ReturnType<typeof e2eSteps>): Promise<void> {
  const contact = contactFor(organisation);
  const link = steps.linkIn((await svc.mail.waitFor(isInvitationEmailFor(contact.email, 'invitation'), 60_000)).text, 'invitations');
  expect((await svc.form(link, { step: 'respond', answer: 'accept' })).status).toBe(200);
  expect((await svc.form(link, { step: 'due-diligence', principles: [...PRINCIPLE_IDS], conflictsOfInterest: 'None: we hold no contract with the other partners' })).status).toBe(200);
  const approval = await svc.mail.waitFor((m) => m.to.includes(APPROVER_1.email) && /\/tasks\//.test(m.text) && m.subject.includes(`Approve ${organisation}`), 60_000);
  expect((await svc.form(taskLinkOf(approval).url, { decision: 'approve', comment: 'Due diligence is clean' })).status).toBe(200);
  const signLink = steps.linkIn((await svc.mail.waitFor(isInvitationEmailFor(contact.email, 'signature'), 60_000)).text, 'invitations');
  expect((await svc.form(signLink, { step: 'signature', signatory: `${contact.name}, director` })).status).toBe(200);
}

/** Maps `organisation` and invites its contact, by clicking. */
async function mapAndInvite(organisation: string, group: string): Promise<void> {
  await mona.goto(partnershipUrl());
  await mona.getByRole('link', { name: 'Map a stakeholder' }).click();
  await mona.getByLabel('Organisation', { exact: true }).fill(organisation);
  await mona.getByLabel(group, { exact: true }).check();
  await mona.getByLabel('Why engage them?').fill('Runs care services in both pilot regions');
  await mona.getByLabel('How will you engage them?').fill('Bilateral meeting, then the core-group workshop');
  await mona.getByRole('button', { name: 'Add to the stakeholder map' }).click();
  await mona.getByRole('heading', { name: 'Stakeholder mapped' }).waitFor();
  await inviteByClicking(organisation);
}

async function inviteByClicking(organisation: string): Promise<void> {
  const contact = contactFor(organisation);
  await mona.locator('.stakeholder', { hasText: organisation }).getByRole('link', { name: /Invite as a partner/ }).click();
  await mona.getByLabel("Contact's name").fill(contact.name);
  await mona.getByLabel("Contact's email").fill(contact.email);
  await mona.getByRole('button', { name: 'Send the invitation' }).click();
  await mona.getByRole('heading', { name: 'Invitation sent' }).waitFor();
}

test('a manager invites two partners, follows each onboarding step by step, sends an invitation again, withdraws a third and opens the partners\' documents', async () => {
  const steps = e2eSteps(svc as Running);
  id = await steps.startInPlanning(partnershipRequest({ title: TITLE }));

  mona = await (await browser.newContext({ viewport: DESKTOP })).newPage();
  await mona.goto(partnershipUrl());
  await mona.getByRole('heading', { name: 'Who are you?' }).waitFor();
  await mona.getByLabel(/Mona Lind/).check();
  await mona.getByRole('button', { name: 'Sign in' }).click();
  await mona.waitForURL(partnershipUrl());

  // ── Two partners mapped and invited by clicking ──
  await mapAndInvite('Ministry of Labour', 'Government');
  await mapAndInvite('Care Workers Network', 'Civil society');

  // The first contact answers at once; the second does not yet.
  await contactAnswers('Ministry of Labour', steps);

  // ── The second's onboarding waits for its contact: Mona sends the invitation again ──
  await mona.goto(partnershipUrl());
  await mona.locator('#stakeholder-care-workers-network').getByRole('link', { name: /Follow the onboarding/ }).click();
  await mona.getByRole('heading', { name: 'Care Workers Network', level: 1 }).waitFor();
  await expect(mona.locator('#step-answer').textContent()).resolves.toContain('under way');
  await check(mona, 'partner onboarding (waiting for the contact)');
  const careEmail = contactFor('Care Workers Network').email;
  expect(invitationMails(careEmail)).toHaveLength(1);
  await mona.getByRole('button', { name: 'Send it again' }).click();
  await mona.getByRole('heading', { name: 'Email sent again' }).waitFor();
  await eventually(async () => invitationMails(careEmail).length === 2, 30_000);
  expect(invitationMails(careEmail)[1]!.text).toContain('We are sending this again');
  await expect(mona.locator('#resend').textContent()).resolves.toContain('Mona Lind (mona@example.org) sent the invitation again on');
  await check(mona, 'partner onboarding (sent again)');
  await shoot(mona, SHOTS, 'partners-02-onboarding-sent-again');
  // A request repeated with the same key (a double click, a retried request) is the same request: nothing more is sent.
  const again = { key: 'double-click-0001' };
  const first = await svc.call('POST', `/api/partnerships/${id}/stakeholders/care-workers-network/resend`, again);
  const second = await svc.call('POST', `/api/partnerships/${id}/stakeholders/care-workers-network/resend`, again);
  expect([first.status, second.status]).toEqual([200, 200]);
  expect(second.body).toEqual(first.body);
  await eventually(async () => invitationMails(careEmail).length === 3, 30_000);
  await new Promise((r) => setTimeout(r, 1500));
  expect(invitationMails(careEmail)).toHaveLength(3);
  await contactAnswers('Care Workers Network', steps);

  // ── The first partner's onboarding, step by step, with the answers and who approved ──
  await eventually(async () => {
    await mona.goto(`${partnershipUrl()}/partners/ministry-of-labour`);
    return (await mona.locator('#step-registered').textContent())?.includes('Active partner since') ?? false;
  }, 60_000, 500);
  const steps1 = mona.locator('.onboarding-step');
  expect(await steps1.locator('h3').allTextContents()).toEqual([
    expect.stringContaining('Invitation sent'),
    expect.stringContaining('Answer to the invitation'),
    expect.stringContaining('Due diligence against the principles'),
    expect.stringContaining('Internal approval'),
    expect.stringContaining('Letter of intent and its signature'),
    expect.stringContaining('Registered as a partner'),
  ]);
  await expect(mona.locator('#step-answer').textContent()).resolves.toContain('Accepted on');
  await expect(mona.locator('#step-due-diligence').textContent()).resolves.toContain(`${PRINCIPLE_IDS.length} of ${PRINCIPLE_IDS.length} principles attested`);
  expect(await mona.locator('#step-due-diligence .principles li').count()).toBe(PRINCIPLE_IDS.length);
  await expect(mona.locator('#step-due-diligence').textContent()).resolves.toContain('None: we hold no contract with the other partners');
  await expect(mona.locator('#step-approval').textContent()).resolves.toContain(`Approved by ${APPROVER_1.name} (${APPROVER_1.email})`);
  await expect(mona.locator('#step-approval').textContent()).resolves.toContain('Due diligence is clean');
  await expect(mona.locator('#step-signature').textContent()).resolves.toContain('Signature confirmed by Ministry of Labour focal point, director');
  await check(mona, 'partner onboarding (active)');
  await shoot(mona, SHOTS, 'partners-01-onboarding-active');

  // ── Its documents: the letter of intent opens ──
  await mona.locator('#partner-documents').getByRole('link', { name: /^open as a web page/ }).first().click();
  await mona.waitForURL(/\/documents\//);
  await expect(mona.locator('body').textContent()).resolves.toContain('Letter of intent — Ministry of Labour');
  await mona.goBack();

  // ── A third, invited then withdrawn from its onboarding page ──
  await mona.goto(partnershipUrl());
  await inviteByClicking('Chamber of Commerce');
  await mona.locator('#stakeholder-chamber-of-commerce').getByRole('link', { name: /Follow the onboarding/ }).click();
  await mona.getByRole('link', { name: /^Withdraw/ }).click();
  await mona.getByLabel('Reason').fill('The chamber asked to join in the next cycle');
  await check(mona, 'withdraw a partner');
  await mona.getByRole('button', { name: 'Withdraw' }).click();
  await mona.getByRole('heading', { name: 'Partner withdrawn' }).waitFor();
  await eventually(async () => {
    await mona.goto(`${partnershipUrl()}/partners/chamber-of-commerce`);
    return (await mona.locator('h1 + dl').textContent())?.includes('Withdrawn') ?? false;
  }, 30_000, 500);
  // Nothing is waiting for its contact: no "send it again".
  expect(await mona.locator('#resend').count()).toBe(0);

  // ── Read back through the JSON API: the approvals are on the partnership's own record (decided by link) ──
  const view = (await svc.call('GET', `/api/partnerships/${id}`)).body;
  const ministry = view.stakeholders.find((s: { id: string }) => s.id === 'ministry-of-labour');
  expect(ministry.status).toBe('active');
  expect(ministry.approvals).toEqual([expect.objectContaining({ outcome: 'approved', by: `${APPROVER_1.name} <${APPROVER_1.email}>`, comment: 'Due diligence is clean' })]);
  const onboarding = (await svc.call('GET', `/api/partnerships/${id}/stakeholders/care-workers-network/onboarding`)).body;
  expect(onboarding.resends.map((r: { key: string }) => r.key)).toEqual([expect.any(String), 'double-click-0001']);
  expect(view.stakeholders.find((s: { id: string }) => s.id === 'chamber-of-commerce').status).toBe('withdrawn');
}, 300_000);

test('in collaborative action the manager records progress on an activity, reads the whole history with who decided, and sees what closing would do', async () => {
  const steps = e2eSteps(svc as Running);
  // ── Through the API: a third partner, an activity with its channel, the planning gate ──
  await steps.contactJoins(id, 'Green Business Council', 'private-sector');
  expect((await svc.call('POST', `/api/partnerships/${id}/roadmap`, { ...activityInput('care-pilot', 'ministry-of-labour', 'Care services pilot'), participatingPartners: ['care-workers-network'] })).status).toBe(200);
  await steps.completePhase(id, 'adaptive-planning');
  const channel = await svc.call('POST', `/api/partnerships/${id}/roadmap/care-pilot/channel`, channelInput('40000.00'));
  await steps.approveByEmail(`${channel.body.channel.channelId}.approval`);
  await eventually(async () => (await svc.call('GET', `/api/partnerships/${id}/funding`)).body.activities[0].channel, 60_000);
  await steps.approveByEmail((await svc.call('POST', `/api/partnerships/${id}/advance`, {})).body.task.id);
  await eventually(async () => (await svc.call('GET', `/api/partnerships/${id}`)).body.phase === 'collaborative-action', 60_000);

  // ── Progress: from the partnership page, errors first, then a record ──
  await mona.goto(partnershipUrl());
  await mona.getByRole('link', { name: 'Progress of the activities' }).click();
  await mona.getByRole('heading', { name: 'Progress of the activities', level: 1 }).waitFor();
  await expect(mona.locator('#activity-care-pilot').textContent()).resolves.toContain('Not started');
  await check(mona, 'progress of the activities');
  // A partner joining during implementation: mapped from this page, invited from the map, then listed here.
  await mona.locator('main').getByRole('link', { name: 'Map a stakeholder' }).click();
  await mona.getByLabel('Organisation', { exact: true }).fill('Home Care Cooperative');
  await mona.getByLabel('Private sector', { exact: true }).check();
  await mona.getByLabel('Why engage them?').fill('Runs home care in the southern region, where the pilot extends');
  await mona.getByLabel('How will you engage them?').fill('Join the pilot working group');
  await mona.getByRole('button', { name: 'Add to the stakeholder map' }).click();
  await mona.getByRole('heading', { name: 'Stakeholder mapped' }).waitFor();
  await inviteByClicking('Home Care Cooperative');
  await mona.getByRole('link', { name: 'Progress of the activities' }).click();
  await expect(mona.locator('#joining').locator('xpath=following-sibling::ul[1]').textContent()).resolves.toContain('Home Care Cooperative');
  await mona.locator('#activity-care-pilot').getByRole('link', { name: /Record progress/ }).click();
  const activityUrl = mona.url();
  // A second tab opened now will be stale once the first saves.
  const stale = await mona.context().newPage();
  await stale.goto(activityUrl);
  await mona.getByRole('button', { name: 'Record progress' }).click();
  await mona.getByRole('heading', { name: 'There is a problem' }).waitFor();
  expect(await mona.locator('.error-summary a').allTextContents()).toEqual(['Choose where the activity stands', 'Say what was done']);
  await check(mona, 'record progress (with errors)');
  await shoot(mona, SHOTS, 'progress-02-record-errors');
  await mona.getByLabel(/^Under way/).check();
  await mona.getByLabel('What was done', { exact: true }).fill('Two training sessions held for 40 care workers in the northern region');
  await mona.getByLabel('Care Workers Network').check();
  await mona.getByRole('button', { name: 'Record progress' }).click();
  await mona.getByRole('heading', { name: 'Progress recorded' }).waitFor();
  await expect(mona.locator('#activity-care-pilot').textContent()).resolves.toContain('Under way');
  await expect(mona.locator('#activity-care-pilot').textContent()).resolves.toContain('Done by: Care Workers Network');
  await shoot(mona, SHOTS, 'progress-01-activities');

  // The stale tab: refused, both records shown, what was typed kept; saving again adds it after the other.
  await stale.getByLabel(/^Delayed/).check();
  await stale.getByLabel('What was done', { exact: true }).fill('The southern sessions moved to March: the venue was not ready');
  await stale.getByRole('button', { name: 'Record progress' }).click();
  await stale.getByRole('heading', { name: 'There is a problem' }).waitFor();
  await expect(stale.locator('.section-theirs').textContent()).resolves.toContain('Two training sessions held');
  expect(await stale.getByLabel('What was done', { exact: true }).inputValue()).toBe('The southern sessions moved to March: the venue was not ready');
  await check(stale, 'record progress (changed since opened)');
  await shoot(stale, SHOTS, 'progress-03-changed-since-opened');
  await stale.getByRole('button', { name: 'Record progress' }).click();
  await stale.getByRole('heading', { name: 'Progress recorded' }).waitFor();
  await stale.close();

  const progress = (await svc.call('GET', `/api/partnerships/${id}/roadmap/care-pilot/progress`)).body;
  expect(progress).toMatchObject({ status: 'delayed', version: 2 });
  expect(progress.records.map((r: { status: string; doneBy: string[]; by: string }) => [r.status, r.doneBy, r.by.startsWith('Mona Lind <')])).toEqual([
    ['under-way', ['care-workers-network'], true],
    ['delayed', [], true],
  ]);
  // The API asks for the version too: none is 428, a stale one 409.
  expect((await svc.call('POST', `/api/partnerships/${id}/roadmap/care-pilot/progress`, { status: 'done', note: 'Finished', by: 'tool' })).status).toBe(428);
  expect((await svc.call('POST', `/api/partnerships/${id}/roadmap/care-pilot/progress`, { status: 'done', note: 'Finished', by: 'tool', version: 1 })).status).toBe(409);

  // ── The history: every decision with who took it ──
  await mona.goto(partnershipUrl());
  await mona.getByRole('link', { name: 'The whole history' }).click();
  await mona.getByRole('heading', { name: 'History', level: 1 }).waitFor();
  const history = (await mona.locator('.history-list').textContent()) ?? '';
  for (const line of [
    'Move from Initiating to Adaptive planning: approved',
    'Move from Adaptive planning to Collaborative action: approved',
    'Ministry of Labour approved as a partner',
    'Care Workers Network approved as a partner',
    'Green Business Council approved as a partner',
    'Funding channel for Care services pilot (version 1, $40,000.00) approved',
    'Progress on Care services pilot: Delayed',
    'Chamber of Commerce withdrawn',
  ]) expect(history).toContain(line);
  const approvalEntry = mona.locator('.history-entry', { hasText: 'Ministry of Labour approved as a partner' });
  await expect(approvalEntry.textContent()).resolves.toContain(`${APPROVER_1.name} (${APPROVER_1.email})`);
  await check(mona, 'history');
  await shoot(mona, SHOTS, 'history-01');
  await mona.getByLabel('What to show').selectOption('partner');
  await mona.getByRole('button', { name: 'Show' }).click();
  await mona.waitForURL(/kind=partner/);
  expect(await mona.locator('.history-entry .tag').allTextContents()).toEqual(expect.arrayContaining(['Partner']));
  expect(new Set(await mona.locator('.history-entry .tag').allTextContents())).toEqual(new Set(['Partner']));

  // ── Closing: the page says what it would do; here, in collaborative action, where it is decided ──
  await mona.goto(partnershipUrl());
  await mona.getByRole('link', { name: 'Close the partnership' }).click();
  await mona.getByRole('heading', { name: 'Close the partnership', level: 1 }).waitFor();
  await expect(mona.locator('main').textContent()).resolves.toContain('Closing is decided at a review, in reflective monitoring; the partnership is in Collaborative action.');
  await expect(mona.locator('main').textContent()).resolves.toContain('Invitations still under way end as withdrawn, and their links stop working: Home Care Cooperative');
  await check(mona, 'close the partnership (not yet)');
  await shoot(mona, SHOTS, 'close-01-not-yet');

  // ── In Arabic, in Dubai's time: the history and a partner's onboarding ──
  await mona.goto(`${svc.base}/console/preferences?returnTo=${encodeURIComponent(`/console/partnerships/${id}/history`)}`);
  await mona.locator('#language').selectOption('ar');
  await mona.locator('#timeZone').selectOption('Asia/Dubai');
  await mona.locator('form[action="/console/preferences"] button').click();
  await mona.waitForURL(/\/history$/);
  expect(await mona.locator('html').getAttribute('dir')).toBe('rtl');
  await mona.getByRole('heading', { name: 'السجلّ', level: 1 }).waitFor();
  await expect(mona.locator('.history-list').textContent()).resolves.toContain('الموافقة على Ministry of Labour شريكًا');
  await check(mona, 'history (Arabic)');
  await shoot(mona, SHOTS, 'history-02-ar');
  await mona.goto(`${partnershipUrl()}/partners/ministry-of-labour`);
  await check(mona, 'partner onboarding (Arabic)');
  await shoot(mona, SHOTS, 'partners-03-onboarding-ar');
}, 300_000);
