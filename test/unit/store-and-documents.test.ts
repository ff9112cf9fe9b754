import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDocumentModel } from '../../activities/documents/content';
import { renderHtml } from '../../activities/documents/render-html';
import { renderPdf } from '../../activities/documents/render-pdf';
import { completeItem, initialState } from '../../domain/partnership-state';
import { Store } from '../../infra/store/store';
import { partnershipInput } from '../support/fixtures';
import { startLocalPostgres, type LocalPostgres } from '../support/postgres';

let pg: LocalPostgres;
beforeAll(async () => {
  pg = await startLocalPostgres();
});
afterAll(() => pg?.stop());

const backends: Array<[string, () => string]> = [
  ['SQLite file', () => `sqlite:${join(mkdtempSync(join(tmpdir(), 'msp-store-')), 'x.db')}`],
  ['PostgreSQL', () => pg.url],
];

test.each(backends)('documents, transitions and the mail log insert at most once per id (%s)', async (_name, url) => {
  const store = await Store.open(url());
  const doc = { partnershipId: 'msp-a', kind: 'workplan' as const, title: 'W', cycle: 1, phase: 'adaptive-planning' as const, html: '<p>', pdfBase64: 'JVBERg==' };
  expect(await store.putDocument('d1', doc)).toEqual({ created: true });
  expect(await store.putDocument('d1', { ...doc, title: 'changed' })).toEqual({ created: false });
  expect((await store.getDocument('d1'))?.title).toBe('W');
  expect(await store.listDocuments('msp-a')).toHaveLength(1);
  const t = { partnershipId: 'msp-a', cycle: 1, fromPhase: 'initiating' as const, toPhase: 'adaptive-planning' as const, outcome: 'approved', decidedBy: 'x', decidedAt: new Date().toISOString(), taskId: null };
  expect(await store.putTransition('t1', t)).toEqual({ created: true });
  expect(await store.putTransition('t1', t)).toEqual({ created: false });
  expect(await store.wasMailSent('<m1>')).toBe(false);
  await store.recordMailSent('<m1>', 'a@b.c', 's');
  await store.recordMailSent('<m1>', 'a@b.c', 's');
  expect(await store.wasMailSent('<m1>')).toBe(true);
  expect(await store.listTransitions('msp-a')).toEqual([{ id: 't1', ...t }]);
  await store.close();
});

test('a phase document is a real PDF and an escaped HTML view built from the partnership data', async () => {
  const state = initialState('msp-doc', partnershipInput({ title: 'Jobs <script>alert(1)</script>' }), '2026-01-01T00:00:00Z');
  completeItem(state, 'initiating.partners.core-group', { by: 'Mona', note: 'Five champions from four groups' }, '2026-01-01T00:00:00Z');
  const model = buildDocumentModel(state, 'initiating');
  const html = renderHtml(model);
  expect(html).toContain('Five champions from four groups');
  expect(html).not.toContain('<script>');
  expect(html).toContain('&lt;script&gt;');
  const pdf = await renderPdf(model, new Date('2026-01-01T00:00:00Z'));
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  expect(pdf.length).toBeGreaterThan(1000);
});
