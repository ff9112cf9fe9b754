import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import request from 'supertest';
import { PdfPrinter, type PageFurniture } from '../../activities/documents/pdf-printer';
import { pageFurniture } from '../../activities/documents/render-html';
import { renderDocumentHtml } from '../../activities/documents/sources';
import { phaseDocumentFacts } from '../../domain/partnership/partnership-state';
import { createApp } from '../../api/create-app';
import { createLogger } from '../../infra/logger';
import { Store } from '../../infra/store/store';
import { multiscriptPartnership } from '../support/multiscript';

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
