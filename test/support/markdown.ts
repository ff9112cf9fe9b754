/**
 * Reading the repository's Markdown (README.md, docs/*.md) the way
 * test/unit/readme-matches-code.unit.test.ts checks it against the code: a
 * table under a heading, the backticked names of a cell, the headings'
 * anchors as GitHub makes them, and the repository paths a doc writes.
 * Every function takes the repository root and paths from it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

/** A Markdown file of the repository (`doc`, a path from `root`), as lines. */
export const linesOf = (root: string, doc: string) => readFileSync(join(root, doc), 'utf8').split('\n');

/** One row of a Markdown table: its line number (1-based, for messages) and its cells' text. */
export interface Row {
  line: number;
  cells: string[];
}

/** The header and body rows of the first table in `doc` after the heading that starts with `heading`. */
export function tableAfter(root: string, doc: string, heading: string): { header: string[]; rows: Row[] } {
  const lines = linesOf(root, doc);
  const start = lines.findIndex((l) => l.startsWith(heading));
  if (start < 0) throw new Error(`${doc} has no heading starting "${heading}"`);
  let i = start + 1;
  while (i < lines.length && !lines[i]!.startsWith('|')) {
    if (lines[i]!.startsWith('#')) throw new Error(`${doc} has no table under "${heading}"`);
    i++;
  }
  const rows: Row[] = [];
  for (; i < lines.length && lines[i]!.startsWith('|'); i++) {
    rows.push({ line: i + 1, cells: lines[i]!.trim().replace(/^\||\|$/g, '').split('|').map((c) => c.trim()) });
  }
  const [header, , ...body] = rows;
  for (const row of body) {
    if (row.cells.length !== header!.cells.length) {
      throw new Error(`${doc} line ${row.line}: ${row.cells.length} cells where "${heading}" has ${header!.cells.length} (a "|" inside a cell?)`);
    }
  }
  return { header: header!.cells, rows: body };
}

/** A backticked name in a cell and the parenthesis right after it, if any (`MspCycle` (Int) → note "Int"). */
export interface Named {
  name: string;
  note: string;
}

/**
 * The backticked names of a cell that stand outside parentheses, in order.
 * What is inside parentheses is a note about the name before it (ids,
 * kinds, explanations) and is never a name itself.
 */
export function namesIn(cell: string): Named[] {
  const names: Named[] = [];
  let depth = 0;
  let afterLast = -1;
  let noteOf: Named | undefined;
  let noteStart = 0;
  for (let i = 0; i < cell.length; i++) {
    const c = cell[i];
    if (c === '`') {
      const end = cell.indexOf('`', i + 1);
      if (end < 0) throw new Error(`unclosed backtick in a table cell: ${cell}`);
      if (depth === 0) names.push({ name: cell.slice(i + 1, end), note: '' });
      afterLast = end + 1;
      i = end;
    } else if (c === '(') {
      if (depth++ === 0) {
        noteOf = cell.slice(afterLast, i).trim() === '' ? names[names.length - 1] : undefined;
        noteStart = i + 1;
      }
    } else if (c === ')' && depth > 0 && --depth === 0 && noteOf) {
      noteOf.note = cell.slice(noteStart, i).trim();
    }
  }
  return names;
}

/**
 * Whether the root's .gitignore leaves `path` out: a folder pattern anywhere
 * in the path (anchored when it holds a `/` before its end), or `*.ext`. What
 * a doc may name that a checkout need not hold (bench/results/latest.json).
 */
export function gitignored(root: string): (path: string) => boolean {
  const patterns = readFileSync(join(root, '.gitignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  return (path) =>
    patterns.some((p) => {
      if (p.startsWith('*.')) return path.endsWith(p.slice(1));
      const folder = p.replace(/^\//, '').replace(/\/?$/, '/');
      const anchored = p.startsWith('/') || folder.slice(0, -1).includes('/');
      return anchored ? `${path}/`.startsWith(folder) : `/${path}/`.includes(`/${folder}`);
    });
}

/** The top-level folders a backticked path may start with: those of the repository, without the ignored ones and .git. */
export function topFolders(root: string): string[] {
  const ignored = gitignored(root);
  return readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== '.git' && !ignored(e.name))
    .map((e) => e.name);
}

/** Characters that make a backticked text a pattern rather than one path: `test/<capability>/`, `*.unit.test.ts`, `{ar,en}.json`, `…`. */
export const PATTERN = /[<>*{}…$]/;

/** GitHub's id for a heading: lowercase, only letters, marks, digits, `_`, `-` and spaces kept, spaces as `-`. */
export const slugOf = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');

/** The lines of `doc` outside fenced code blocks, with their line numbers (1-based). */
export function proseLines(root: string, doc: string): { line: number; text: string }[] {
  let fenced = false;
  return linesOf(root, doc).flatMap((text, i) => {
    if (/^\s*```/.test(text)) {
      fenced = !fenced;
      return [];
    }
    return fenced ? [] : [{ line: i + 1, text }];
  });
}

/** The anchors of a Markdown file's headings, as GitHub makes them (a repeated heading gets `-1`, `-2`, …). */
export function anchorsOf(root: string, doc: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const { text } of proseLines(root, doc)) {
    const heading = /^#{1,6}\s+(.*)$/.exec(text)?.[1];
    if (heading === undefined) continue;
    const slug = slugOf(heading);
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return anchors;
}

/** A path a doc writes: where (doc and line), the text as written, and the path from the root it means. */
export interface Written {
  doc: string;
  line: number;
  text: string;
  path: string;
  anchor?: string;
}

/**
 * The repository paths `doc` writes: backticked texts that start with a
 * top-level folder (`workflows/partnership/partnership.ts`, `api/console/`),
 * from the root; and relative links and images (`[x](docs/api.md#errors)`,
 * `<img src="screenshots/a.png">`), from the doc's folder. Commands
 * (a space inside), patterns (`<…>`, `*`, `{…}`) and fenced code are not paths.
 */
export function pathsWritten(root: string, doc: string, folders: string[]): Written[] {
  const written: Written[] = [];
  for (const { line, text } of proseLines(root, doc)) {
    for (const [, code] of text.matchAll(/`([^`]+)`/g)) {
      const top = code!.split('/')[0]!;
      if (!code!.includes('/') || /\s/.test(code!) || PATTERN.test(code!) || !folders.includes(top)) continue;
      written.push({ doc, line, text: code!, path: code!.replace(/\/$/, '') });
    }
    const withoutCode = text.replace(/`[^`]*`/g, '');
    for (const [, target] of [...withoutCode.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g), ...withoutCode.matchAll(/\bsrc="([^"]+)"/g)]) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target!)) continue; // https:, mailto:
      const [file, anchor] = target!.split('#') as [string, string | undefined];
      const path = file === '' ? doc : normalize(join(dirname(doc), decodeURIComponent(file))).split('\\').join('/').replace(/\/$/, '');
      written.push({ doc, line, text: target!, path, anchor });
    }
  }
  return written;
}
