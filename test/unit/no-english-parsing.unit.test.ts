import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * No code recovers meaning from our own English: refusals, notices and
 * reasons travel as codes (domain/said.ts), and pages, emails and retries
 * branch on `code`. This static check flags a regular expression (`.test(`,
 * `.exec(`) applied to something named message, text, reason, summary or
 * detail, `.match(` / `.includes(` / `.startsWith(` on such a thing, and any of
 * them on `err.message`. Only the frozen reader of older runs' English
 * (infra/i18n/legacy-workflow-text.ts) may do so.
 *
 * Words that are not ours may be read: what Temporal's server, gRPC, zod or a
 * database driver say is outside our catalogue. Each such place is listed
 * below with why.
 */
const ROOT = join(__dirname, '..', '..');
const FOLDERS = ['domain', 'workflows', 'activities', 'api', 'infra'];
const FROZEN = 'infra/i18n/legacy-workflow-text.ts';

/** Places that read words we did not write: file, a piece of the line, and whose words they are. */
const NOT_OURS: Array<{ file: string; line: string; whose: string }> = [
  { file: 'api/errors.ts', line: 'closedText.test(text)', whose: "Temporal's server: \"workflow execution already completed\", \"update was aborted by closing workflow\"" },
  { file: 'api/errors.ts', line: '/already completed|completed/i.test(String((err as Error).message))', whose: "gRPC NOT_FOUND from Temporal's server" },
  { file: 'api/errors.ts', line: '/received undefined$/.test(i.message)', whose: "zod's own wording of a missing field" },
  { file: 'api/input.ts', line: 'ZOD_DEFAULT.test(issue.message)', whose: "zod's own wording, told apart from a schema's message" },
  { file: 'infra/store/migrations.ts', line: 'RECORDED_ELSEWHERE.test(message)', whose: "the database driver's unique-violation text" },
  { file: 'infra/store/migrations.ts', line: 'SQLITE_BUSY.test(message)', whose: "SQLite's busy text" },
];

const SUBJECT = String.raw`[\w.?()\[\]'" ]*\b(?:message|messages|text|reason|summary|detail|details)\b[\w.?()\[\]'" ]*`;
const PATTERNS = [
  // /…/.test(subject), RE.exec(subject)
  new RegExp(String.raw`\.(?:test|exec)\(\s*(?:String\()?${SUBJECT}\)`),
  // subject.match(/…/), subject.includes('…'), subject.startsWith('…')
  new RegExp(String.raw`\b(?:message|text|reason|summary|detail)s?\)?\.(?:match|matchAll|includes|startsWith|endsWith|search)\(\s*['"/\`]`),
  /\berr(?:or)?\.message\b[^;]*\.(?:match|includes|startsWith|search)\(|\.(?:test|exec)\([^)]*\berr(?:or)?\.message/,
];

function sourceFiles(folder: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

/** Lines that read English with a regular expression (or a string search), as `file:line: code`. */
function englishParsing(file: string, text: string): string[] {
  if (file === FROZEN) return [];
  return text.split('\n').flatMap((line, i) => {
    if (/^\s*(\/\/|\*)/.test(line)) return [];
    if (!PATTERNS.some((p) => p.test(line))) return [];
    if (NOT_OURS.some((n) => n.file === file && line.includes(n.line))) return [];
    return [`${file}:${i + 1}: ${line.trim()}`];
  });
}

test('no regular expression reads our own English outside the frozen legacy reader', () => {
  const found = FOLDERS.flatMap((f) => sourceFiles(join(ROOT, f))).flatMap((path) => englishParsing(relative(ROOT, path), readFileSync(path, 'utf8')));
  expect(found).toEqual([]);
});

test('every allowed place still exists (a stale entry would hide nothing and mislead)', () => {
  for (const n of NOT_OURS) expect({ ...n, present: readFileSync(join(ROOT, n.file), 'utf8').includes(n.line) }).toMatchObject({ present: true });
});

test('the check catches the shapes it is meant to catch', () => {
  const caught = (line: string) => englishParsing('api/x.ts', line).length === 1;
  expect(caught("if (/you handed this task/.test(message)) return 'already';")).toBe(true);
  expect(caught('const m = /already decided: (\\w+)/.exec(problem.message);')).toBe(true);
  expect(caught("text: /under review/.test(problem.message) ? a : b")).toBe(true);
  expect(caught("const taken = problem.message.includes('already exists');")).toBe(true);
  expect(caught('if (/rejection needs a comment/.test(err.message)) x();')).toBe(true);
  expect(caught("if (refusal?.code === 'refusals:task.handedOver') return 'already';")).toBe(false);
  expect(caught('const version = /^\\d+$/.test(values.version) ? 1 : 0;')).toBe(false);
  expect(englishParsing(FROZEN, "if (/you handed this task/.test(message)) return 'already';")).toEqual([]);
});
