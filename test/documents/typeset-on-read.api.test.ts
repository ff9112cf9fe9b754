import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import request from 'supertest';
import { PdfPrinter, type PageFurniture } from '../../activities/documents/pdf-printer';
import { pageFurniture } from '../../activities/documents/render-html';
import { renderDocumentHtml } from '../../activities/documents/sources';
import { phaseDocumentFacts } from '../../domain/partnership/document-facts';
import { typesetCache } from '../../api/documents/documents';
import { createApp } from '../../api/create-app';
import { applyPartnerStatus, upsertStakeholder } from '../../domain/partners/partner-map';
import { StakeholderInputSchema } from '../../domain/partners/schemas';
import { createLogger } from '../../infra/logger';
import { Store } from '../../infra/store/store';
import { CHROMIUM_PATH } from '../../infra/chromium';
import { eventually } from '../support/fixtures';
import { MULTISCRIPT, multiscriptPartnership } from '../support/multiscript';

/** The real printer, counting what it is asked to print: the thing under test is when the API prints, not how. */
class CountingPrinter extends PdfPrinter {
  prints = 0;
  override print(html: string, furniture: PageFurniture): Promise<Buffer> {
    this.prints += 1;
    return super.print(html, furniture);
  }
}

const KEY = 'typeset-key';
let store: Store;
let printer: CountingPrinter;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  store = await Store.open(`sqlite:${join(mkdtempSync(join(tmpdir(), 'msp-typeset-')), 'db')}`);
  printer = new CountingPrinter();
  // The document routes never touch Temporal; a lazy client is never connected.
  const client = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  app = createApp({ client, store, printer, logger: createLogger('t', 'silent'), config: { apiKeys: [KEY], taskLinkSecret: 'typeset-secret-0123456789abcdef', publicBaseUrl: 'http://127.0.0.1', temporal: { address: '', namespace: 'default', taskQueue: 'x' } } });
});
afterAll(async () => {
  await printer.close();
  await store.close();
});

const get = (path: string) => request(app).get(path).set('authorization', `Bearer ${KEY}`).buffer(true).parse((res, done) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
});
const textOf = (pdf: Buffer) => execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: pdf, encoding: 'utf8' });

test('a document stored as HTML is typeset on its first read, once however many read it at the same moment, and nothing is written', async () => {
  const source = { kind: 'phase' as const, phase: 'initiating' as const, facts: phaseDocumentFacts(multiscriptPartnership('ru'), 'initiating') };
  const { model, html } = renderDocumentHtml(source, 'ru');
  await store.putDocument('msp-typeset.doc-1', { partnershipId: 'msp-typeset', kind: 'process-design', title: model.title, cycle: 1, phase: 'initiating', html, furniture: pageFurniture(model), language: 'ru', source });
  const before = printer.prints;

  const reads = await Promise.all([1, 2, 3, 4, 5].map(() => get('/api/documents/msp-typeset.doc-1')));
  for (const r of reads) expect([r.status, r.headers['content-type'], r.headers['content-language']]).toEqual([200, 'application/pdf', 'ru']);
  expect(printer.prints - before).toBe(1);
  const pdf = reads[0].body as Buffer;
  expect(reads.every((r) => (r.body as Buffer).equals(pdf))).toBe(true);
  // The stored HTML, with the header and footer it was written with.
  const text = textOf(pdf);
  expect(text).toContain('Министерство труда');
  expect(text).toMatch(/Страница 1 из \d+/);

  expect((await get('/api/documents/msp-typeset.doc-1')).status).toBe(200);
  expect(printer.prints - before).toBe(1);
  expect((await store.getDocument('msp-typeset.doc-1'))?.pdf).toBeNull();

  // Another language is built from the stored facts and typeset once as well.
  const fr = await get('/api/documents/msp-typeset.doc-1?lang=fr');
  expect([fr.status, fr.headers['content-language']]).toEqual([200, 'fr']);
  expect(textOf(fr.body as Buffer)).toMatch(/Page 1 sur \d+/);
  await get('/api/documents/msp-typeset.doc-1?lang=fr');
  expect(printer.prints - before).toBe(2);
}, 120_000);

test('a document stored with its PDF (printed by a worker before typesetting on read) is answered with that PDF, unprinted', async () => {
  const stored = Buffer.from('%PDF-1.4\n% printed by an older worker\n');
  await store.putDocument('msp-typeset.doc-old', { partnershipId: 'msp-typeset', kind: 'workplan', title: 'Old', cycle: 1, phase: 'adaptive-planning', html: '<p>old</p>', pdfBase64: stored.toString('base64') });
  const before = printer.prints;
  const r = await get('/api/documents/msp-typeset.doc-old');
  expect(r.status).toBe(200);
  expect((r.body as Buffer).equals(stored)).toBe(true);
  expect(printer.prints).toBe(before);
});

/** An app like the one above around another printer (the document routes never touch Temporal). */
function appWith(other: PdfPrinter) {
  const client = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  return createApp({ client, store, printer: other, logger: createLogger('t', 'silent'), config: { apiKeys: [KEY], taskLinkSecret: 'typeset-secret-0123456789abcdef', publicBaseUrl: 'http://127.0.0.1', temporal: { address: '', namespace: 'default', taskQueue: 'x' } } });
}
async function storeHtmlOnly(id: string, language: 'ru' | 'fr' | 'en' = 'en') {
  const source = { kind: 'phase' as const, phase: 'initiating' as const, facts: phaseDocumentFacts(multiscriptPartnership(language), 'initiating') };
  const { model, html } = renderDocumentHtml(source, language);
  await store.putDocument(id, { partnershipId: 'msp-typeset', kind: 'process-design', title: model.title, cycle: 1, phase: 'initiating', html, furniture: pageFurniture(model), language, source });
}
/** A file Chromium is started through, which writes its process id (the `exec` keeps it) to `pidFile`. */
function chromiumThatTellsItsPid(dir: string): { executable: string; pidFile: string } {
  const pidFile = join(dir, 'chromium.pid');
  const executable = join(dir, 'chromium');
  writeFileSync(executable, `#!/bin/sh\necho $$ > '${pidFile}'\nexec '${CHROMIUM_PATH}' "$@"\n`);
  chmodSync(executable, 0o755);
  return { executable, pidFile };
}
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test('without Chromium a PDF read is a 503 that says why and where the HTML view is; the HTML view still reads', async () => {
  const missing = new PdfPrinter({ executablePath: join(mkdtempSync(join(tmpdir(), 'msp-no-chromium-')), 'chromium') });
  try {
    await storeHtmlOnly('msp-typeset.no-chromium');
    const noBrowser = appWith(missing);
    const pdf = await request(noBrowser).get('/api/documents/msp-typeset.no-chromium').set('authorization', `Bearer ${KEY}`);
    expect(pdf.status).toBe(503);
    expect(pdf.body.message).toMatch(/PDF.*cannot be typeset.*format=html/);
    expect(pdf.headers['retry-after']).toBeDefined();
    const html = await request(noBrowser).get('/api/documents/msp-typeset.no-chromium?format=html').set('authorization', `Bearer ${KEY}`);
    expect([html.status, html.text]).toEqual([200, expect.stringContaining('Министерство труда')]);
  } finally {
    await missing.close();
  }
});

test('a Chromium that stops answering costs a reader a bounded wait and a 503, not a hang; the next read gets a new Chromium and its PDF', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'msp-wedged-chromium-'));
  const { executable, pidFile } = chromiumThatTellsItsPid(dir);
  const options = { executablePath: executable, timeoutMs: 4000 };
  const wedged = new PdfPrinter(options);
  let pid = 0;
  try {
    const reader = appWith(wedged);
    const read = (id: string) => request(reader).get(`/api/documents/${id}`).set('authorization', `Bearer ${KEY}`).timeout(20_000);
    await storeHtmlOnly('msp-typeset.wedged-1');
    await storeHtmlOnly('msp-typeset.wedged-2');
    expect((await read('msp-typeset.wedged-1')).status).toBe(200);
    pid = Number(readFileSync(pidFile, 'utf8'));
    process.kill(pid, 'SIGSTOP');

    const started = Date.now();
    const [a, b] = await Promise.all([read('msp-typeset.wedged-2'), read('msp-typeset.wedged-2')]);
    expect([a.status, b.status]).toEqual([503, 503]);
    expect(a.body).toMatchObject({ code: 'refusals:document.pdfUnavailable', message: expect.stringMatching(/format=html/), details: { printer: expect.stringMatching(/did not finish/) } });
    expect(Date.now() - started).toBeLessThan(15_000);
    // The stopped browser is not left behind.
    await eventually(async () => !alive(pid), 10_000);

    const again = await read('msp-typeset.wedged-2');
    expect([again.status, again.headers['content-type']]).toEqual([200, 'application/pdf']);
    expect(Number(readFileSync(pidFile, 'utf8'))).not.toBe(pid);
  } finally {
    if (pid && alive(pid)) process.kill(pid, 'SIGKILL');
    await wedged.close();
  }
}, 90_000);

test('first reads of many documents at once are typeset a few at a time, not all at once in one Chromium', async () => {
  class PeakPrinter extends PdfPrinter {
    now = 0;
    peak = 0;
    override async print(html: string, furniture: PageFurniture): Promise<Buffer> {
      this.now += 1;
      this.peak = Math.max(this.peak, this.now);
      try {
        return await super.print(html, furniture);
      } finally {
        this.now -= 1;
      }
    }
  }
  const peak = new PeakPrinter();
  try {
    const reader = appWith(peak);
    const ids = [1, 2, 3, 4, 5, 6].map((n) => `msp-typeset.many-${n}`);
    for (const id of ids) await storeHtmlOnly(id);
    const reads = await Promise.all(ids.map((id) => request(reader).get(`/api/documents/${id}`).set('authorization', `Bearer ${KEY}`)));
    expect(reads.map((r) => r.status)).toEqual(ids.map(() => 200));
    expect(peak.peak).toBeLessThanOrEqual(2);
  } finally {
    await peak.close();
  }
}, 120_000);

test('a PDF still being typeset when the cache fills up is not lost: its readers get it (a 300-partner process design)', async () => {
  const at = '2026-11-29T10:00:00Z';
  const large = multiscriptPartnership('ar');
  for (let i = 0; i < 300; i++) {
    const s = upsertStakeholder(large, StakeholderInputSchema.parse({ organisation: `Organisation ${i} — وزارة العمل ${i}`, group: i % 2 ? 'government' : 'civil-society', whyEngage: MULTISCRIPT.longNote, potentialRoles: ['activity lead'], engagementStrategy: 'Bilateral meeting, then the core-group workshop' }), at);
    applyPartnerStatus(large, s.id, 'active', at);
  }
  const big = renderDocumentHtml({ kind: 'phase', phase: 'initiating', facts: phaseDocumentFacts(large, 'initiating') }, 'ar');
  const small = renderDocumentHtml({ kind: 'phase', phase: 'initiating', facts: phaseDocumentFacts(multiscriptPartnership('en'), 'initiating') }, 'en');
  const smallRequest = { html: small.html, furniture: pageFurniture(small.model), printer };
  // Room for one small PDF and a half: the second one in pushes out the least recently used entry, the big one still printing.
  const cache = typesetCache(Math.floor((await printer.print(small.html, smallRequest.furniture)).length * 1.5));

  const slow = cache.fetch('big', { context: { html: big.html, furniture: pageFurniture(big.model), printer } }).then(
    (pdf) => ({ pdf }),
    (err: unknown) => ({ err }),
  );
  for (const key of ['small-1', 'small-2', 'small-3']) expect((await cache.fetch(key, { context: smallRequest }))?.subarray(0, 5).toString()).toBe('%PDF-');
  const result = await slow;
  expect(result).toEqual({ pdf: expect.any(Buffer) });
  // All of it: about 0.5 MB for 300 partners, against some 50 kB for the small one.
  const pdf = (result as { pdf: Buffer }).pdf;
  expect([pdf.subarray(0, 5).toString(), pdf.length > 200_000]).toEqual(['%PDF-', true]);
}, 120_000);

test('closing the printer while its Chromium does not answer ends that Chromium within seconds (the API\'s shutdown stays within its bound)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'msp-wedged-close-'));
  const { executable, pidFile } = chromiumThatTellsItsPid(dir);
  const wedged = new PdfPrinter({ executablePath: executable });
  let pid = 0;
  try {
    await storeHtmlOnly('msp-typeset.wedged-close');
    expect((await request(appWith(wedged)).get('/api/documents/msp-typeset.wedged-close').set('authorization', `Bearer ${KEY}`)).status).toBe(200);
    pid = Number(readFileSync(pidFile, 'utf8'));
    process.kill(pid, 'SIGSTOP');
    const started = Date.now();
    await wedged.close();
    expect(Date.now() - started).toBeLessThan(10_000);
    await eventually(async () => !alive(pid), 10_000);
  } finally {
    if (pid && alive(pid)) process.kill(pid, 'SIGKILL');
  }
}, 60_000);
