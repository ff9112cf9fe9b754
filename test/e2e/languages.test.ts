import { execFileSync } from 'node:child_process';
import { screenshotsDir } from '../support/screenshots';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, ensureChromium } from '../../infra/chromium';
import { itemsOfPhase } from '../../domain/partnership/catalogue';
import { firstWrite, sectionsOfPhase } from '../support/sections';
import { MANAGER, eventually, isTaskEmailFor, partnershipRequest, taskLinkOf } from '../support/fixtures';
import { useRunningService } from '../support/e2e';
import { stakeholderInput } from '../support/partners';
import { englishLeftIn, visibleText } from '../support/english-left';
import { isolate } from '../../infra/i18n';

/**
 * Each person in their own language, over real processes, a real dev server
 * and a real SMTP server: the gate email and the task page follow the
 * approver's `language` (French, Arabic right to left); a person who names
 * none gets their browser's language, `?lang=` switches one view; names in
 * four scripts pass through email and page intact.
 */
const svc = useRunningService();
const call = (method: string, path: string, body?: unknown) => svc.call(method, path, body);

const NAMES = ['وزارة العمل', '劳动部', 'Министерство труда', 'Œuvre Sociale'];
const TITLE = 'Emplois verts 绿色就业 Зелёные рабочие места الوظائف الخضراء';
const FRENCH = { name: 'Amélie Lefèvre', email: 'amelie@example.org', language: 'fr' };
const ARABIC = { name: 'ليلى حسن', email: 'layla@example.org', language: 'ar-EG' };
const NONE = { name: 'Иван Петров', email: 'ivan@example.org' };
const AS_WRITTEN = [...NAMES, TITLE, FRENCH.name, ARABIC.name, NONE.name, MANAGER.name];

const SHOTS = screenshotsDir();

/** The task page at desktop width and at 375 px, into docs/screenshots as task-page-<name>-{desktop,375}.png, for a person to look at. */
async function screenshots(pages: Array<[name: string, url: string]>): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  const browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS, headless: true });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    for (const [name, url] of pages) {
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(url);
      await page.screenshot({ path: join(SHOTS, `task-page-${name}-desktop.png`), fullPage: true });
      await page.setViewportSize({ width: 375, height: 812 });
      await page.screenshot({ path: join(SHOTS, `task-page-${name}-375.png`), fullPage: true });
    }
  } finally {
    await browser.close();
  }
}

const get = async (url: string, headers: Record<string, string> = {}) => {
  const res = await fetch(url, { headers: { accept: 'text/html', ...headers } });
  return { status: res.status, html: await res.text() };
};

test('the gate email and task page in each approver’s language; the browser’s language and ?lang= for one who names none', async () => {
  // A gate task goes first to the first approver: one partnership per approver, in parallel.
  async function gateFor(approver: { name: string; email: string; language?: string }) {
    const others = [FRENCH, ARABIC, NONE].filter((p) => p !== approver);
    const created = await call('POST', '/api/partnerships', partnershipRequest({ title: TITLE, goal: `Decent green jobs with ${NAMES.join(', ')}`, approvers: [approver, ...others] }));
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    for (const [organisation, group] of [[NAMES[0], 'government'], [NAMES[1], 'government'], [NAMES[2], 'government'], [NAMES[3], 'civil-society']] as const) {
      expect((await call('POST', `/api/partnerships/${id}/stakeholders`, stakeholderInput(organisation, group))).status).toBe(201);
    }
    for (const s of sectionsOfPhase('initiating')) expect((await call('PUT', `/api/partnerships/${id}/sections/${s}`, firstWrite(s, MANAGER.name))).status).toBe(200);
    for (const item of itemsOfPhase('initiating')) expect((await call('POST', `/api/partnerships/${id}/checklist/${item.id}/complete`, { by: MANAGER.name })).status).toBe(200);
    const advance = await call('POST', `/api/partnerships/${id}/advance`, { by: MANAGER.name, note: `Agreed with ${NAMES.join(', ')}` });
    expect(advance.status).toBe(202);
    return { id, taskId: advance.body.task.id as string };
  }
  const [frGate, arGate, noneGate] = await Promise.all([gateFor(FRENCH), gateFor(ARABIC), gateFor(NONE)]);
  const id = frGate.id;

  // French: subject, text and HTML in French, names intact, no English left.
  const fr = await svc.mail.waitFor(isTaskEmailFor(frGate.taskId, FRENCH.email, 'Décision requise'), 60_000);
  // Every value people wrote that is placed in a plain-text sentence is a bidi isolate (U+2068 … U+2069): the title, the names.
  // Our own words (phase labels in the reader's language) are not: they carry no direction of their own to contain.
  expect(fr.subject).toBe(`Décision requise — ${isolate(TITLE)} : ${isolate('Passer de la phase Lancement à la phase Planification adaptative')}`);
  expect(fr.text).toContain(`Bonjour ${isolate(FRENCH.name)},`);
  expect(fr.html).toContain('<html lang="fr" dir="ltr">');
  for (const name of [...NAMES, TITLE]) {
    expect(fr.text).toContain(name);
    expect(fr.html).toContain(name);
  }
  expect(englishLeftIn(`${fr.subject} ${fr.text}`, AS_WRITTEN, 'fr')).toEqual([]);
  expect(englishLeftIn(visibleText(fr.html), AS_WRITTEN, 'fr')).toEqual([]);

  // Arabic (ar-EG): right to left in the email.
  const ar = await svc.mail.waitFor(isTaskEmailFor(arGate.taskId, ARABIC.email, 'مطلوب اتخاذ قرار'), 60_000);
  expect(ar.html).toContain('<html lang="ar" dir="rtl">');
  for (const name of NAMES) expect(ar.html).toContain(name);
  expect(englishLeftIn(`${ar.subject} ${ar.text}`, AS_WRITTEN, 'ar')).toEqual([]);

  // The pages: the person's language wins over the browser's.
  const frPage = await get(taskLinkOf(fr).url, { 'accept-language': 'en-GB,en;q=0.9' });
  expect(frPage.status).toBe(200);
  expect(frPage.html).toContain('<html lang="fr" dir="ltr">');
  expect(frPage.html).toContain(`Décision requise, ${FRENCH.name}`);
  for (const name of [...NAMES, TITLE]) expect(frPage.html).toContain(name);
  expect(englishLeftIn(visibleText(frPage.html), AS_WRITTEN, 'fr')).toEqual([]);

  const arPage = await get(taskLinkOf(ar).url);
  expect(arPage.html).toContain('<html lang="ar" dir="rtl">');
  expect(englishLeftIn(visibleText(arPage.html), AS_WRITTEN, 'ar')).toEqual([]);

  // Someone who names no language: English email, the browser's language on the page, ?lang= for one view.
  const none = await svc.mail.waitFor(isTaskEmailFor(noneGate.taskId, NONE.email), 60_000);
  expect(none.html).toContain('<html lang="en" dir="ltr">');
  const link = taskLinkOf(none).url;
  const ru = await get(link, { 'accept-language': 'ru-RU,ru;q=0.9,en;q=0.5' });
  expect(ru.html).toContain('<html lang="ru" dir="ltr">');
  expect(ru.html).toContain('Одобрить');
  expect(englishLeftIn(visibleText(ru.html), AS_WRITTEN, 'ru')).toEqual([]);
  const zh = await get(`${link}?lang=zh`, { 'accept-language': 'ru' });
  expect(zh.html).toContain('<html lang="zh" dir="ltr">');
  expect(zh.html).toContain('批准');
  expect(englishLeftIn(visibleText(zh.html), AS_WRITTEN, 'zh')).toEqual([]);
  // The switcher keeps the signed link: each entry is the same URL with ?lang=.
  expect(zh.html).toContain('href="?lang=ar"');
  expect((await get(link)).html).toContain('<html lang="en" dir="ltr">');
  // Reading in any language changed nothing.
  expect((await call('GET', `/api/partnerships/${id}`)).body).toMatchObject({ phase: 'initiating', status: 'awaiting-approval' });

  await screenshots([
    ['fr', taskLinkOf(fr).url],
    ['ar', taskLinkOf(ar).url],
    ['zh', `${link}?lang=zh`],
  ]);

  // Refusals in the reader's language: a changed link, then someone posting a decided request.
  const forged = await get(`${link.slice(0, -3)}abc`, { 'accept-language': 'fr' });
  expect(forged.status).toBe(403);
  expect(forged.html).toContain('<html lang="fr"');
  expect(forged.html).toContain('Ce lien n’est pas valide');
  const decided = await fetch(`${taskLinkOf(fr).url}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    body: new URLSearchParams({ decision: 'approve' }).toString(),
  });
  expect(decided.status).toBe(200);
  const recorded = await decided.text();
  expect(recorded).toContain('<html lang="fr" dir="ltr">');
  expect(recorded).toContain('Merci — votre décision est enregistrée');
  // Opened again after the decision, in Arabic for this view: who decided, in Arabic.
  const again = await get(`${taskLinkOf(fr).url}?lang=ar`);
  expect(again.html).toContain('<html lang="ar" dir="rtl">');
  expect(again.html).toContain('سبق البت في هذا الطلب');
  expect(again.html).toContain(FRENCH.name);
  expect(englishLeftIn(visibleText(again.html), AS_WRITTEN, 'ar')).toEqual([]);
  // Posting it again: the refusal (409) in the approver's language.
  const twice = await fetch(taskLinkOf(fr).url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    body: new URLSearchParams({ decision: 'approve' }).toString(),
  });
  expect(twice.status).toBe(409);
  const refusal = await twice.text();
  expect(refusal).toContain('Une décision a déjà été rendue sur cette demande');
  expect(englishLeftIn(visibleText(refusal), AS_WRITTEN, 'fr')).toEqual([]);

  // The gate passed: its document, printed to PDF, holds the title and every organisation's name as written
  // (compared letter by letter: pdftotext may reorder punctuation and drop spaces between scripts).
  const moved = await eventually(async () => {
    const r = await call('GET', `/api/partnerships/${id}`);
    return r.body.phase === 'adaptive-planning' && r.body.documents.length > 0 && r.body;
  }, 60_000);
  const pdf = await fetch(moved.documents[0].url, { headers: { authorization: `Bearer ${svc.apiKey}` } });
  expect(pdf.headers.get('content-type')).toBe('application/pdf');
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: Buffer.from(await pdf.arrayBuffer()), encoding: 'utf8' });
  const letters = (s: string) => s.normalize('NFKC').replace(/[^\p{L}\p{N}]/gu, '');
  for (const name of [...NAMES, TITLE, FRENCH.name]) expect(letters(text)).toContain(letters(name));
});
