import { execFileSync } from 'node:child_process';
import { screenshotsDir } from '../support/screenshots';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import request from 'supertest';
import { createApp } from '../../api/create-app';
import { createLogger } from '../../infra/logger';
import { Store } from '../../infra/store/store';
import { PdfPrinter } from '../../activities/documents/pdf-printer';
import { renderDocument, renderDocumentHtml } from '../../activities/documents/sources';
import { LANGUAGES } from '../../domain/language';
import { DOCUMENT_FACT_LIMITS, phaseDocumentFacts } from '../../domain/partnership/document-facts';
import { upsertStakeholder, applyPartnerStatus } from '../../domain/partners/partner-map';
import { StakeholderInputSchema } from '../../domain/partners/schemas';
import { formatters, translator } from '../../infra/i18n';
import { MULTISCRIPT, multiscriptPartnership, withSections } from '../support/multiscript';

/**
 * Documents in every script, printed by the real headless Chromium and read
 * back with the real `pdftotext` (poppler-utils): what a reader's PDF viewer
 * would copy out of the file. The PDFs, and a picture of the Arabic one, are
 * kept under test-output/documents/ for a person to look at (the picture also
 * as docs/screenshots/documents-ar.png, which docs/documents.md shows).
 */
const OUT = join(__dirname, '../../test-output/documents');
let printer: PdfPrinter;
beforeAll(() => {
  mkdirSync(OUT, { recursive: true });
  printer = new PdfPrinter();
});
afterAll(() => printer.close());

/**
 * Text as compared: NFKC (pdftotext gives back Arabic presentation forms and
 * full-width punctuation as the font's glyphs map them), without bidi
 * controls (pdftotext wraps right-to-left runs in U+202B … U+202C; our
 * isolates are U+2068 … U+2069), and with every run of white space — line
 * ends included, as a block wraps or a font change starts a new text block —
 * as one space.
 */
function normalise(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

const RTL_RUN = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]+(?:\s+[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]+)*/g;

const squash = (s: string) => normalise(s).replace(/\s/g, '');
/** Letters and digits only, in order: what must survive any reordering of punctuation by pdftotext. */
const letters = (s: string) => normalise(s).replace(/[^\p{L}\p{N}]/gu, '');

/**
 * True when `expected` is in the extracted text. pdftotext writes each line
 * in the visual order of its directional runs: in a right-to-left line, a
 * value mixing Arabic with Cyrillic or digits can come out with its runs the
 * other way round ("2026 نوفمبر 29" for "29 نوفمبر 2026", "شراكة Партнёрство …"
 * for "Партнёрство … شراكة"), while the letters of each run stay in reading
 * order, and the spaces between runs are guessed from glyph positions (often
 * lost). So the runs in reverse order, compared without white space, also
 * count as found.
 */
function found(text: string, expected: string): boolean {
  const want = normalise(expected);
  // Spaces between a digit and an Arabic word are often lost as well, so the runs in order count without them too.
  if (text.includes(want) || squash(text).includes(squash(want))) return true;
  const runs = want.split(new RegExp(`(${RTL_RUN.source})`)).map((r) => r.trim()).filter(Boolean);
  return runs.length > 1 && squash(text).includes(squash(runs.reverse().join('')));
}

function pdfText(file: string): string {
  return normalise(execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }));
}

describe.each(LANGUAGES)('the process design in %s', (language) => {
  let text: string;
  let html: string;
  beforeAll(async () => {
    const state = multiscriptPartnership(language);
    const rendered = await renderDocument({ kind: 'phase', phase: 'initiating', facts: phaseDocumentFacts(state, 'initiating') }, language, printer);
    html = rendered.html;
    const file = join(OUT, `process-design-${language}.pdf`);
    writeFileSync(file, rendered.pdf);
    text = pdfText(file);
    if (language === 'ar') {
      // The first page as a picture, for a person to look at (docs/documents.md shows it).
      execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', file, join(OUT, 'documents-ar')]);
      copyFileSync(join(OUT, 'documents-ar.png'), join(screenshotsDir(), 'documents-ar.png'));
    }
  }, 60_000);

  it('holds the exact title, people and organisations, in any script', () => {
    const missing = [MULTISCRIPT.title, MULTISCRIPT.manager.name, MULTISCRIPT.approver.name, MULTISCRIPT.secondApprover.name, ...MULTISCRIPT.organisations].filter((s) => !found(text, s));
    expect(missing).toEqual([]);
  });

  it('is written in the language: its kind, headings and dates', () => {
    const t = translator(language);
    for (const s of [t('documents:kind.process-design'), t('documents:section.stakeholderMap'), t('documents:section.governance'), formatters(language).date('2026-11-29T10:00:00Z')]) {
      expect(found(text, s)).toBe(true);
    }
    expect(html).toContain(`lang="${language}" dir="${language === 'ar' ? 'rtl' : 'ltr'}"`);
  });

  it('numbers its pages and names the partnership in every header', () => {
    const t = translator(language);
    const pages = Number(execFileSync('pdfinfo', [join(OUT, `process-design-${language}.pdf`)], { encoding: 'utf8' }).match(/Pages:\s+(\d+)/)![1]);
    expect(pages).toBeGreaterThan(1);
    expect(found(text, t('documents:page', { page: 1, total: pages }))).toBe(true);
    expect(found(text, t('documents:page', { page: pages, total: pages }))).toBe(true);
    // Every page's header holds the title (the whole title is checked above). pdftotext may put the
    // Han and Arabic words of a line in a block of their own, so the Cyrillic part is what is counted; in a
    // right-to-left page the guillemets around it come out mirrored, so letters alone are compared.
    const cyrillic = letters('Партнёрство «Зелёные рабочие места»');
    expect(letters(text).split(cyrillic).length - 1).toBeGreaterThanOrEqual(pages);
  });

  it('wraps a long note rather than cutting it: all of it is there', () => {
    // Line breaks fall anywhere in the unbroken reference, so white space is left out of the comparison; in a
    // right-to-left document pdftotext may also move a line's closing punctuation (" ;") to its visual end, so
    // what is compared is every letter and digit, in order.
    expect(letters(text)).toContain(letters(MULTISCRIPT.longNote));
  });
});

describe.each(['ar', 'en', 'zh'] as const)('the process design with written sections, in %s', (language) => {
  let text: string;
  beforeAll(async () => {
    const state = withSections(multiscriptPartnership(language));
    const rendered = await renderDocument({ kind: 'phase', phase: 'initiating', facts: phaseDocumentFacts(state, 'initiating') }, language, printer);
    const file = join(OUT, `process-design-sections-${language}.pdf`);
    writeFileSync(file, rendered.pdf);
    text = pdfText(file);
  }, 60_000);

  it("prints each paragraph the partnership wrote, in its own script, before the checklist's record", () => {
    for (const paragraph of MULTISCRIPT.issue.split('\n\n')) expect(letters(text)).toContain(letters(paragraph));
    expect(letters(text)).toContain(letters(MULTISCRIPT.governance));
    const t = translator(language);
    expect(letters(text).indexOf(letters(MULTISCRIPT.governance))).toBeLessThan(letters(text).indexOf(letters(t('documents:annex.heading'))));
    // A written section never says it is not recorded.
    expect(letters(text).indexOf(letters(t('documents:section.governance')))).toBeLessThan(letters(text).indexOf(letters(MULTISCRIPT.governance)));
  });
});

test('a 300-partner partnership keeps the document activity input far below 2 MB', () => {
  const state = multiscriptPartnership('ar');
  const long = 'x'.repeat(2000);
  for (let i = 0; i < 300; i++) {
    const s = upsertStakeholder(
      state,
      StakeholderInputSchema.parse({ organisation: `Organisation ${i} ${'ü'.repeat(180)}`, group: 'private-sector', whyEngage: long, engagementStrategy: long, potentialRoles: Array(20).fill('r'.repeat(200)) }),
      '2026-11-29T10:00:00Z',
    );
    applyPartnerStatus(state, s.id, 'active', '2026-11-29T10:00:00Z');
  }
  for (let i = 0; i < 150; i++) {
    state.roadmap.push({
      id: `a-${i}`,
      title: 't'.repeat(300),
      leadPartner: 'x',
      participatingPartners: Array(50).fill('p'.repeat(60)),
      start: '2027-01-01',
      end: '2027-12-31',
      targets: Array(10).fill({ indicator: 'i'.repeat(300), target: '1', unit: 'u'.repeat(50), date: '2027-12-31' }),
    });
  }
  const facts = phaseDocumentFacts(state, 'adaptive-planning');
  const bytes = Buffer.byteLength(JSON.stringify({ facts, phase: 'adaptive-planning', at: '2026-11-29T10:00:00Z' }));
  expect(facts.stakeholders).toHaveLength(DOCUMENT_FACT_LIMITS.stakeholders);
  expect(facts.roadmap).toHaveLength(DOCUMENT_FACT_LIMITS.roadmap);
  expect(facts.omitted).toEqual({ stakeholders: 4, roadmap: 50 });
  // Measured: about 0.6 MB with every text at its maximum; Temporal refuses payloads over 2 MB.
  expect(bytes).toBeLessThan(1_000_000);
  // And the document says what it left out, in the partnership's language.
  const { html } = renderDocumentHtml({ kind: 'phase', phase: 'adaptive-planning', facts }, 'ar');
  expect(html).toContain(translator('ar')('documents:omitted', { count: 50 }));
});

test('where the partnership holds nothing, the document says "not recorded yet" rather than inventing', () => {
  const state = multiscriptPartnership('fr');
  state.stakeholders = [];
  const { html } = renderDocumentHtml({ kind: 'phase', phase: 'adaptive-planning', facts: phaseDocumentFacts(state, 'adaptive-planning') }, 'fr');
  expect(html.split(translator('fr')('documents:notRecorded')).length - 1).toBeGreaterThanOrEqual(3);
});

describe('a stored document on demand in another language (?lang=)', () => {
  const KEY = 'documents-key';
  let store: Store;
  let app: ReturnType<typeof createApp>;
  const auth = { authorization: `Bearer ${KEY}` };
  beforeAll(async () => {
    store = await Store.open(`sqlite:${join(mkdtempSync(join(tmpdir(), 'msp-docs-')), 'db')}`);
    const client = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
    app = createApp({ client, store, printer, logger: createLogger('t', 'silent'), config: { apiKeys: [KEY], taskLinkSecret: 'documents-test-secret-0123456789', publicBaseUrl: 'http://x', temporal: { address: '', namespace: 'default', taskQueue: 'x' } } });
    const state = multiscriptPartnership('ru');
    const source = { kind: 'phase', phase: 'initiating', facts: phaseDocumentFacts(state, 'initiating') } as const;
    const { model, html, pdf } = await renderDocument(source, 'ru', printer);
    await request(app)
      .put('/api/documents/msp-zelenye-rabochie-mesta.c1.process-design')
      .set(auth)
      .send({ partnershipId: state.id, kind: 'process-design', title: model.title, cycle: 1, phase: 'initiating', html, pdfBase64: pdf.toString('base64'), language: 'ru', source })
      .expect(201);
  }, 60_000);
  afterAll(() => store.close());
  const path = '/api/documents/msp-zelenye-rabochie-mesta.c1.process-design';

  it('answers the stored rendering in the partnership language by default', async () => {
    const res = await request(app).get(`${path}?format=html`).set(auth).expect(200);
    expect(res.headers['content-language']).toBe('ru');
    expect(res.text).toContain(translator('ru')('documents:kind.process-design'));
  });

  it('renders HTML and PDF in the language asked for, from the stored facts, writing nothing', async () => {
    const html = await request(app).get(`${path}?format=html&lang=fr-CH`).set(auth).expect(200);
    expect(html.headers['content-language']).toBe('fr');
    expect(html.text).toContain('lang="fr" dir="ltr"');
    expect(html.text).toContain('Conception du processus du PMP');
    const pdf = await request(app).get(`${path}?lang=ar`).set(auth).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    }).expect(200);
    const file = join(OUT, 'on-demand-ar.pdf');
    writeFileSync(file, pdf.body as Buffer);
    const text = pdfText(file);
    expect(found(text, translator('ar')('documents:kind.process-design'))).toBe(true);
    expect(found(text, MULTISCRIPT.title)).toBe(true);
    expect((await store.getDocument('msp-zelenye-rabochie-mesta.c1.process-design'))?.language).toBe('ru');
  }, 60_000);

  it('refuses a language outside the six with a message naming them', async () => {
    const res = await request(app).get(`${path}?lang=de`).set(auth).expect(400);
    expect(JSON.stringify(res.body)).toMatch(/ar, en, es, fr, ru, zh/);
  });
});
