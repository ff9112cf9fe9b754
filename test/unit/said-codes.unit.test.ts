import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CATALOGUES } from '../../infra/i18n';

/**
 * Every sentence code written in the code base is in the English catalogue
 * (domain/said.ts): `said('refusals:task.expired', …)`, `{ code: 'emails:notice.moved' }`.
 * A code the catalogue lacks would reach a reader as the code itself. Codes
 * built from a variable part (`said(\`refusals:partnerStatus.${status}\`)`)
 * must at least name a group of sentences the catalogue has.
 *
 * The frozen reader of older runs' English (infra/i18n/legacy-workflow-text.ts)
 * holds no codes and is left out.
 */
const ROOT = join(__dirname, '..', '..');
const FOLDERS = ['domain', 'workflows', 'activities', 'api', 'infra'];
const LEFT_OUT = new Set(['infra/i18n/legacy-workflow-text.ts']);

function sourceFiles(folder: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (name.endsWith('.ts') && !LEFT_OUT.has(relative(ROOT, path))) out.push(path);
  }
  return out;
}

/** What the catalogue holds at `namespace:a.b.c`: a sentence (string), a group (object), or nothing. */
function lookup(code: string): unknown {
  const [namespace, key] = code.split(':', 2) as [string, string | undefined];
  let node: unknown = (CATALOGUES.en as Record<string, unknown>)[namespace];
  if (key === undefined || node === undefined) return undefined;
  const parts = key.split('.');
  for (const [i, part] of parts.entries()) {
    if (!node || typeof node !== 'object') return undefined;
    const here = node as Record<string, unknown>;
    // A sentence with plural forms is stored as `<key>_one`, `<key>_other`.
    if (i === parts.length - 1 && here[part] === undefined && here[`${part}_other`] !== undefined) return here[`${part}_other`];
    node = here[part];
  }
  return node;
}

/** `said('ns:key'` and `code: 'ns:key'` (quoted either way), and `said(\`ns:prefix.${…}` (the static prefix). */
const LITERAL = /\bsaid\(\s*(['"])([a-z]+:[\w.-]+)\1|\bcode:\s*(['"])([a-z]+:[\w.-]+)\3/g;
const TEMPLATE = /\bsaid\(\s*`([a-z]+:[\w.-]*?)\.?\$\{/g;

interface Found {
  file: string;
  code: string;
}

function codesIn(files: string[]): { literal: Found[]; prefixes: Found[] } {
  const literal: Found[] = [];
  const prefixes: Found[] = [];
  for (const path of files) {
    const text = readFileSync(path, 'utf8');
    const file = relative(ROOT, path);
    for (const m of text.matchAll(LITERAL)) literal.push({ file, code: m[2] ?? m[4]! });
    for (const m of text.matchAll(TEMPLATE)) prefixes.push({ file, code: m[1]! });
  }
  return { literal, prefixes };
}

const files = FOLDERS.flatMap((f) => sourceFiles(join(ROOT, f)));
const { literal, prefixes } = codesIn(files);

test('the scan finds the codes it is meant to find', () => {
  expect(literal.length).toBeGreaterThan(100);
  expect(literal).toContainEqual({ file: 'domain/human-tasks/approval-state.ts', code: 'refusals:task.alreadyDecided' });
  expect(prefixes.map((p) => p.code)).toContain('refusals:partnerStatus');
});

test('every code written in the code base has its English sentence', () => {
  const missing = literal.filter((f) => typeof lookup(f.code) !== 'string');
  expect(missing).toEqual([]);
});

test('every code built from a variable part names a group the catalogue has', () => {
  // A prefix ending inside a key (`refusals:request.partnershipEnded${…}` style) names no group: only dotted groups are checked.
  const missing = prefixes.filter((f) => f.code.split(':')[1] && typeof lookup(f.code) !== 'object' && typeof lookup(f.code) !== 'string');
  expect(missing).toEqual([]);
});

test('the check would fail on a code the catalogue lacks', () => {
  expect(lookup('refusals:task.noSuchSentence')).toBeUndefined();
  expect(lookup('refusals:task.expired')).toEqual(expect.any(String));
  expect(codesIn([]).literal).toEqual([]);
});
