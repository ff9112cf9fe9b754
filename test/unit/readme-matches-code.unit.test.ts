import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_SEARCH_ATTRIBUTES } from '../../workflows/partnership/search-attributes';
import { DEFAULT_TASK_QUEUE } from '../../domain/names';
import { anchorsOf, gitignored, namesIn, PATTERN, pathsWritten, tableAfter, topFolders, type Named, type Row, type Written } from '../support/markdown';

/**
 * The README and docs/ are the newcomer's map: the "Temporal names" table
 * (docs/operations.md) and the "One capability, one folder in each layer"
 * table (docs/architecture.md) must say what the code says, and every
 * repository path the README and docs/*.md write must exist. Each failure
 * names the thing that disagrees and where to put it right.
 */
const ROOT = join(__dirname, '../..');
/** Where the "Temporal names" table lives. */
const NAMES_DOC = 'docs/operations.md';
/** Where the table of each capability's folders lives. */
const LAYOUT_DOC = 'docs/architecture.md';


/** `.ts` files under `dir` (a path from the repository root), recursively, as paths from the root with `/`. */
function tsFilesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => `${dir}/${f.split('\\').join('/')}`)
    .sort();
}

// ---------------------------------------------------------------------------
// Temporal names
// ---------------------------------------------------------------------------

const KINDS = ['workflow', 'update', 'signal', 'query', 'search attribute', 'patch', 'task queue'] as const;
type Kind = (typeof KINDS)[number];

/** A stable name as the code defines it: its kind, the file defining it (from the repository root) and, for search attributes, the type. */
interface Definition {
  kind: Kind;
  name: string;
  file: string;
  type?: string;
}

const WORKFLOW_FILES = tsFilesUnder('workflows');

/** Every module under workflows/, imported as Node imports it: definitions are plain objects and workflows plain functions outside the sandbox. */
const workflowModules = new Map<string, Record<string, unknown>>(
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  WORKFLOW_FILES.map((file) => [file, require(join(ROOT, file)) as Record<string, unknown>]),
);

function messageDefinitions(): Definition[] {
  const defs: Definition[] = [];
  for (const [file, exports] of workflowModules) {
    if (file === 'workflows/index.ts') continue;
    for (const value of Object.values(exports)) {
      if (typeof value !== 'object' || value === null) continue;
      // `type` is read, never called: activity proxies answer any property with a function.
      const { type, name } = value as { type?: unknown; name?: unknown };
      if ((type === 'update' || type === 'signal' || type === 'query') && typeof name === 'string') defs.push({ kind: type, name, file });
    }
  }
  return defs;
}

/** The workflow types the worker serves (exports of workflows/index.ts), each located at the module that defines it. */
function workflowDefinitions(): Definition[] {
  return Object.entries(workflowModules.get('workflows/index.ts')!)
    .filter(([, fn]) => typeof fn === 'function')
    .map(([name, fn]) => {
      const file = [...workflowModules].find(([f, exports]) => f !== 'workflows/index.ts' && Object.values(exports).includes(fn))?.[0];
      if (!file) throw new Error(`workflows/index.ts exports ${name}, but no module under workflows/ does`);
      return { kind: 'workflow' as const, name, file };
    });
}

/** The stray `*_PATCH` constants and `patched()` arguments the patch names could not be read from. */
const patchProblems: string[] = [];

/** `source` without its comments (a docstring may show a `patched(id)` call as an example). */
const withoutComments = (source: string) => source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');

/** The id in `'id'` or `patch('id')` (workflows/patches.ts checks the latter against its inventory), if the text is one. */
const literalPatchId = (text: string) => /^(?:patch\(\s*)?'([^']+)'(?:\s*\))?$/.exec(text.trim())?.[1];

/**
 * Patch ids, read from the source: every `patched(X_PATCH)`,
 * `patched('id')` or `patched(patch('id'))` call under workflows/, with
 * `const X_PATCH = 'id'` (or `: PatchId = 'id'`, or `= patch('id')`) from the
 * same file. A `*_PATCH` constant no call uses is reported as a problem.
 */
function patchDefinitions(): Definition[] {
  const defs: Definition[] = [];
  for (const file of WORKFLOW_FILES) {
    const source = withoutComments(readFileSync(join(ROOT, file), 'utf8'));
    const constants = new Map(
      [...source.matchAll(/\bconst\s+([A-Z][A-Z0-9_]*_PATCH)\s*(?::\s*PatchId\s*)?=\s*((?:patch\(\s*)?'[^']+'(?:\s*\))?)/g)].map((m) => [m[1]!, literalPatchId(m[2]!)!]),
    );
    const used = new Set<string>();
    for (const [, call, arg] of source.matchAll(/\b(patched|deprecatePatch)\(((?:patch\(\s*'[^']*'\s*\))|[^)]+)\)/g)) {
      const literal = literalPatchId(arg!);
      const id = literal ?? constants.get(arg!.trim());
      if (!id) {
        patchProblems.push(`${file}: ${call}(${arg}) takes neither a string, patch('id') nor a *_PATCH constant of this file, so its patch id cannot be checked against ${NAMES_DOC}`);
        continue;
      }
      if (!literal) used.add(arg!.trim());
      if (!defs.some((d) => d.name === id && d.file === file)) defs.push({ kind: 'patch', name: id, file });
    }
    for (const [constant, id] of constants) {
      if (!used.has(constant)) patchProblems.push(`${file}: ${constant} = '${id}' is passed to no patched() call in that file: use it or delete it`);
    }
  }
  return defs;
}

const definitions: Definition[] = [
  ...workflowDefinitions(),
  ...messageDefinitions(),
  ...patchDefinitions(),
  ...ALL_SEARCH_ATTRIBUTES.map((key) => ({ kind: 'search attribute' as const, name: key.name, file: 'workflows/partnership/search-attributes.ts', type: key.type })),
  { kind: 'task queue', name: DEFAULT_TASK_QUEUE, file: 'domain/names.ts' },
];

/** A row of "Temporal names" (NAMES_DOC): its kind, its names and the files (or folders, ending in `/`) it says define them. */
interface NamesRow {
  line: number;
  kind: string;
  names: Named[];
  definedIn: string[];
  definedInText: string;
}

const namesRows: NamesRow[] = tableAfter(ROOT, NAMES_DOC, '## Temporal names').rows.map(({ line, cells: [kind, names, definedIn] }) => ({
  line,
  kind: kind!,
  names: namesIn(names!),
  definedIn: namesIn(definedIn!).map((n) => n.name),
  definedInText: definedIn!,
}));

/** Whether `file` is one of `paths`, or lies in one of those that are folders (end in `/`). */
const within = (file: string, paths: string[]) => paths.some((p) => p === file || (p.endsWith('/') && file.startsWith(p)));

/** Where the code would define a name of each kind, for the message about a documented name it lacks. */
const WHERE_DEFINED: Record<Kind, string> = {
  workflow: 'workflows/index.ts exports no such workflow',
  update: "no module under workflows/ exports defineUpdate(…)('that name')",
  signal: "no module under workflows/ exports defineSignal(…)('that name')",
  query: "no module under workflows/ exports defineQuery(…)('that name')",
  'search attribute': 'ALL_SEARCH_ATTRIBUTES (workflows/partnership/search-attributes.ts) has no such key',
  patch: 'no patched() call under workflows/ uses that id',
  'task queue': 'DEFAULT_TASK_QUEUE (domain/names.ts) is another',
};

/** "KeywordList" (as documented) → "KEYWORD_LIST" (SDK's SearchAttributeType). */
const sdkType = (readmeType: string) => readmeType.replace(/(?<=[a-z])(?=[A-Z])/g, '_').toUpperCase();
/** "KEYWORD_LIST" → "KeywordList", as the docs (and the Temporal CLI) write it. */
const readmeTypeOf = (type: string) => type.toLowerCase().replace(/(?:^|_)([a-z])/g, (_, c: string) => c.toUpperCase());

describe(`"Temporal names" (${NAMES_DOC}) matches the code`, () => {
  test('every row is of a known kind', () => {
    expect(namesRows.filter((r) => !(KINDS as readonly string[]).includes(r.kind)).map((r) => `${NAMES_DOC} line ${r.line}: unknown kind "${r.kind}" (one of ${KINDS.join(', ')})`)).toEqual([]);
  });

  test.each(KINDS)('every %s name in the table is defined in the code, and every one the code defines is in the table', (kind) => {
    const rows = namesRows.filter((r) => r.kind === kind);
    const inTable = rows.flatMap((r) => r.names.map((n) => ({ ...n, line: r.line })));
    const inCode = definitions.filter((d) => d.kind === kind);
    const problems = [
      ...inTable
        .filter((n) => !inCode.some((d) => d.name === n.name))
        .map((n) => `${NAMES_DOC} line ${n.line} names ${kind} \`${n.name}\`, but ${WHERE_DEFINED[kind]}: remove it from that row, or define it`),
      ...inCode
        .filter((d) => !inTable.some((n) => n.name === d.name))
        .map((d) => {
          const row = rows.find((r) => within(d.file, r.definedIn)) ?? rows.find((r) => r.definedIn.length === 0);
          const where = row ? `${NAMES_DOC} line ${row.line} (the ${kind} row)` : `a new ${kind} row of ${NAMES_DOC}'s "Temporal names", defined in \`${d.file}\``;
          return `${d.file} defines ${kind} \`${d.name}\`, which ${NAMES_DOC}'s "Temporal names" lacks: add it to ${where}`;
        }),
    ];
    expect(problems).toEqual([]);
  });

  test('each row names the files that define its names ("beside each workflow": in the file of a workflow)', () => {
    const workflowFiles = new Set(definitions.filter((d) => d.kind === 'workflow').map((d) => d.file));
    const problems: string[] = [];
    for (const row of namesRows) {
      const defs = row.names.map((n) => definitions.find((d) => d.kind === row.kind && d.name === n.name)).filter((d) => d !== undefined);
      if (row.definedIn.length === 0) {
        if (row.definedInText !== 'beside each workflow') problems.push(`${NAMES_DOC} line ${row.line}: "defined in" should name files in backticks or say "beside each workflow"`);
        for (const d of defs.filter((d) => !workflowFiles.has(d.file))) {
          problems.push(`${NAMES_DOC} line ${row.line} says ${row.kind} \`${d.name}\` is defined beside its workflow, but ${d.file} defines no workflow: name that file in the row`);
        }
        continue;
      }
      for (const d of defs.filter((d) => !within(d.file, row.definedIn))) {
        problems.push(`${NAMES_DOC} line ${row.line} says ${row.kind} \`${d.name}\` is defined in ${row.definedIn.join(', ')}, but ${d.file} defines it: name that file instead`);
      }
      for (const path of row.definedIn.filter((p) => !defs.some((d) => within(d.file, [p])))) {
        problems.push(`${NAMES_DOC} line ${row.line} names \`${path}\` in "defined in", but no ${row.kind} of that row is defined there: remove it`);
      }
    }
    expect(problems).toEqual([]);
  });

  test('each search attribute has its type in parentheses, as the code defines it', () => {
    const problems = namesRows
      .filter((r) => r.kind === 'search attribute')
      .flatMap((r) => r.names.map((n) => ({ ...n, line: r.line })))
      .flatMap((n) => {
        const code = definitions.find((d) => d.kind === 'search attribute' && d.name === n.name);
        const docType = /^\w+/.exec(n.note)?.[0] ?? '';
        if (!code?.type || sdkType(docType) === code.type) return [];
        return [`${NAMES_DOC} line ${n.line}: \`${n.name}\` is ${code.type} in the code but ${n.note ? `"(${n.note})"` : 'has no parentheses'} in the table: write its type (${code.type}, as ${readmeTypeOf(code.type)}) first in parentheses after the name`];
      });
    expect(problems).toEqual([]);
  });

  test('every *_PATCH constant is used by a patched() call, and every patched() call names a readable id (a string, patch(\'id\') or such a constant)', () => {
    expect(patchProblems).toEqual([]);
  });
});

// ---------------------------------------------------------------------------
// One capability, one folder in each layer
// ---------------------------------------------------------------------------

const folderTable = tableAfter(ROOT, LAYOUT_DOC, '## One capability, one folder in each layer');
/** The layer of each column after the first: `domain`, `workflows`, `activities`, `api`, `test`. */
const layers = folderTable.header.slice(1).map((cell) => namesIn(cell)[0]!.name.replace(/\/$/, ''));
/** Every capability is a folder of domain/. */
const capabilities = readdirSync(join(ROOT, 'domain')).filter((f) => statSync(join(ROOT, 'domain', f)).isDirectory());

/**
 * The files and folders a row names, as paths from the root. A cell lists
 * `folder/`: `file.ts`, …; a name without a folder before it is at the
 * layer's root. Test cells give the part before `.test.ts`.
 */
function pathsOfRow(row: Row): { layer: string; path: string; isFolder: boolean }[] {
  return row.cells.slice(1).flatMap((cell, column) => {
    const layer = layers[column]!;
    let folder = `${layer}/`;
    return namesIn(cell).map(({ name }) => {
      if (name.endsWith('/')) {
        folder = `${layer}/${name}`;
        return { layer, path: folder, isFolder: true };
      }
      return { layer, path: `${folder}${name}${layer === 'test' ? '.test.ts' : ''}`, isFolder: false };
    });
  });
}

const capabilityRows = folderTable.rows.map((row) => ({ row, capability: namesIn(row.cells[0]!)[0]?.name ?? '', paths: pathsOfRow(row) }));

describe(`"One capability, one folder in each layer" (${LAYOUT_DOC}) matches the folders`, () => {
  test('the columns are the five layers', () => {
    expect(layers).toEqual(['domain', 'workflows', 'activities', 'api', 'test']);
  });

  test('one row per capability (each folder of domain/)', () => {
    const named = capabilityRows.map((r) => r.capability);
    expect([
      ...capabilities.filter((c) => !named.includes(c)).map((c) => `domain/${c}/ is a capability without a row in ${LAYOUT_DOC}'s "One capability, one folder in each layer": add one`),
      ...capabilityRows.filter((r) => !capabilities.includes(r.capability)).map((r) => `${LAYOUT_DOC} line ${r.row.line}: capability \`${r.capability}\` has no folder domain/${r.capability}/`),
    ]).toEqual([]);
  });

  test('every file and folder the table names exists', () => {
    const missing = capabilityRows.flatMap(({ row, paths }) =>
      paths
        .filter(({ path, isFolder }) => !existsSync(join(ROOT, path)) || statSync(join(ROOT, path)).isDirectory() !== isFolder)
        .map(({ path }) => `${LAYOUT_DOC} line ${row.line} names ${path}, which does not exist: correct or remove it`),
    );
    expect(missing).toEqual([]);
  });

  test("every .ts file in a capability's folder of each layer is named in its row", () => {
    const unnamed = capabilityRows.flatMap(({ row, capability, paths }) =>
      layers
        .filter((layer) => existsSync(join(ROOT, layer, capability)))
        .flatMap((layer) => tsFilesUnder(`${layer}/${capability}`))
        .filter((file) => !paths.some((p) => !p.isFolder && p.path === file))
        .map((file) => {
          const layer = file.split('/')[0]!;
          const name = file.slice(`${layer}/${capability}/`.length).replace(layer === 'test' ? /\.test\.ts$/ : /$/, '');
          return `${file} is not in ${LAYOUT_DOC}'s "One capability, one folder in each layer": add \`${name}\` to the ${layer}/ cell of the \`${capability}\` row (line ${row.line})`;
        }),
    );
    expect(unnamed).toEqual([]);
  });
});

// ---------------------------------------------------------------------------
// Every repository path the README and docs/ write exists
// ---------------------------------------------------------------------------

/** README.md and every docs/*.md, as paths from the root. */
const DOCS = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];
/** What .gitignore leaves out: a doc may name it (bench/results/latest.json) though a checkout does not hold it. */
const isIgnored = gitignored(ROOT);
/** The top-level folders a backticked path may start with. */
const TOP_FOLDERS = topFolders(ROOT);

/**
 * The files and folders README.md's "Where things are" table names in a
 * folder's row, written from that folder: `human-tasks/run-task.ts` in the
 * `workflows/` row is workflows/human-tasks/run-task.ts.
 */
function pathsInFolderMap(): Written[] {
  return tableAfter(ROOT, 'README.md', '## Where things are').rows.flatMap(({ line, cells: [folder, ...rest] }) => {
    const base = namesIn(folder!)[0]?.name ?? '';
    return rest
      .flatMap((cell) => namesIn(cell))
      .map(({ name }) => name)
      .filter((name) => /(\.(ts|md|json|njk)|\/)$/.test(name) && !/\s/.test(name) && !PATTERN.test(name) && !TOP_FOLDERS.includes(name.split('/')[0]!))
      .map((name) => ({ doc: 'README.md', line, text: `${name} (in ${base})`, path: `${base}${name}`.replace(/\/$/, '') }));
  });
}

const written = [...DOCS.flatMap((doc) => pathsWritten(ROOT, doc, TOP_FOLDERS)), ...pathsInFolderMap()];

describe('every repository path the README and docs/ write exists', () => {
  test('the docs are found, and they write paths', () => {
    expect(DOCS).toContain('README.md');
    expect(DOCS).toContain(NAMES_DOC);
    expect(written.length).toBeGreaterThan(100);
  });

  test('each backticked path and each relative link names a file or folder of the repository', () => {
    const missing = written
      .filter((w) => !w.path.startsWith('..') && !existsSync(join(ROOT, w.path)) && !isIgnored(w.path))
      .map((w) => `${w.doc} line ${w.line} names ${w.text}, but ${w.path} does not exist: write where it is now (git log --follow, git status), or remove it`);
    const outside = written.filter((w) => w.path.startsWith('..')).map((w) => `${w.doc} line ${w.line} links ${w.text}, outside the repository`);
    expect([...outside, ...missing]).toEqual([]);
  });

  test('each link to a heading (#…) finds that heading', () => {
    const broken = written
      .filter((w) => w.anchor !== undefined && w.path.endsWith('.md') && existsSync(join(ROOT, w.path)) && !anchorsOf(ROOT, w.path).has(w.anchor))
      .map((w) => `${w.doc} line ${w.line} links ${w.text}, but ${w.path} has no heading whose anchor is #${w.anchor}`);
    expect(broken).toEqual([]);
  });
});
