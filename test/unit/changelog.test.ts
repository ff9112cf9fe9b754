import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildOpenApiDocument } from '../../api/openapi';

/** Tools learn what changed from CHANGELOG.md and read the version from the OpenAPI document: the two and package.json agree. */
const root = join(__dirname, '..', '..');
const changelog = readFileSync(join(root, 'CHANGELOG.md'), 'utf8');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };

test('the newest released version in CHANGELOG.md is package.json’s and the OpenAPI document’s', () => {
  const released = [...changelog.matchAll(/^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$/gm)].map((m) => m[1]);
  expect(released[0]).toBe(version);
  expect((buildOpenApiDocument('http://localhost:3000') as { info: { version: string } }).info.version).toBe(version);
  // Newest first, each version once.
  const sorted = [...released].sort((a, b) => b.localeCompare(a, 'en', { numeric: true }));
  expect(released).toEqual(sorted);
  expect(new Set(released).size).toBe(released.length);
});

test('CHANGELOG.md keeps the Keep a Changelog shape: an Unreleased section, and only its kinds of change', () => {
  expect(changelog).toMatch(/^## \[Unreleased\]$/m);
  const kinds = [...changelog.matchAll(/^### (.+)$/gm)].map((m) => m[1]);
  for (const kind of kinds) expect(['Added', 'Changed', 'Deprecated', 'Removed', 'Fixed', 'Security']).toContain(kind);
});
