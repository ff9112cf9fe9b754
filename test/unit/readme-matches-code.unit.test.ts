import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_SEARCH_ATTRIBUTES } from '../../workflows/partnership/search-attributes';
import { DEFAULT_TASK_QUEUE } from '../../domain/names';

/**
 * The README is the newcomer's map: its "Temporal names" table and its
 * "Where things are" table must say what the code says. Each failure names
 * the thing that disagrees and where to put it right.
 */
const ROOT = join(__dirname, '../..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n');

/** `.ts` files under `dir` (a path from the repository root), recursively, as paths from the root with `/`. */
function tsFilesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => `${dir}/${f.split('\\').join('/')}`)
    .sort();
}

/** One row of a README table: its line number (1-based, for messages) and its cells' text. */
interface Row {
  line: number;
  cells: string[];
}

/** The header and body rows of the first table after the heading that starts with `heading`. */
function tableAfter(heading: string): { header: string[]; rows: Row[] } {
  const start = README.findIndex((l) => l.startsWith(heading));
  if (start < 0) throw new Error(`README.md has no heading starting "${heading}"`);
  let i = start + 1;
  while (i < README.length && !README[i]!.startsWith('|')) {
    if (README[i]!.startsWith('#')) throw new Error(`README.md has no table under "${heading}"`);
    i++;
  }
  const rows: Row[] = [];
  for (; i < README.length && README[i]!.startsWith('|'); i++) {
    rows.push({ line: i + 1, cells: README[i]!.trim().replace(/^\||\|$/g, '').split('|').map((c) => c.trim()) });
  }
  const [header, , ...body] = rows;
  for (const row of body) {
    if (row.cells.length !== header!.cells.length) {
      throw new Error(`README.md line ${row.line}: ${row.cells.length} cells where "${heading}" has ${header!.cells.length} (a "|" inside a cell?)`);
    }
  }
  return { header: header!.cells, rows: body };
}

/** A backticked name in a cell and the parenthesis right after it, if any (`MspCycle` (Int) → note "Int"). */
interface Named {
  name: string;
  note: string;
}

/**
 * The backticked names of a cell that stand outside parentheses, in order.
 * What is inside parentheses is a note about the name before it (ids,
 * kinds, explanations) and is never a name itself.
 */
function namesIn(cell: string): Named[] {
  const names: Named[] = [];
  let depth = 0;
  let afterLast = -1;
  let noteOf: Named | undefined;
  let noteStart = 0;
  for (let i = 0; i < cell.length; i++) {
    const c = cell[i];
    if (c === '`') {
      const end = cell.indexOf('`', i + 1);
      if (end < 0) throw new Error(`unclosed backtick in README cell: ${cell}`);
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

/**
 * Patch ids, read from the source: every `patched(X_PATCH)` or
 * `patched('id')` call under workflows/, with `const X_PATCH = 'id'` from the
 * same file. A `*_PATCH` constant no call uses is reported as a problem.
 */
function patchDefinitions(): Definition[] {
  const defs: Definition[] = [];
  for (const file of WORKFLOW_FILES) {
    const source = readFileSync(join(ROOT, file), 'utf8');
    const constants = new Map([...source.matchAll(/\bconst\s+([A-Z][A-Z0-9_]*_PATCH)\s*=\s*'([^']+)'/g)].map((m) => [m[1]!, m[2]!]));
    const used = new Set<string>();
    for (const [, call, arg] of source.matchAll(/\b(patched|deprecatePatch)\(([^)]+)\)/g)) {
      const literal = /^'([^']+)'$/.exec(arg!.trim())?.[1];
      const id = literal ?? constants.get(arg!.trim());
      if (!id) {
        patchProblems.push(`${file}: ${call}(${arg}) takes neither a string nor a *_PATCH constant of this file, so its patch id cannot be checked against README.md`);
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

/** A row of the README's "Temporal names": its kind, its names and the files (or folders, ending in `/`) it says define them. */
interface NamesRow {
  line: number;
  kind: string;
  names: Named[];
  definedIn: string[];
  definedInText: string;
}

const namesRows: NamesRow[] = tableAfter('### Temporal names').rows.map(({ line, cells: [kind, names, definedIn] }) => ({
  line,
  kind: kind!,
  names: namesIn(names!),
  definedIn: namesIn(definedIn!).map((n) => n.name),
  definedInText: definedIn!,
}));

/** Whether `file` is one of `paths`, or lies in one of those that are folders (end in `/`). */
const within = (file: string, paths: string[]) => paths.some((p) => p === file || (p.endsWith('/') && file.startsWith(p)));

/** Where the code would define a name of each kind, for the message about a README name it lacks. */
const WHERE_DEFINED: Record<Kind, string> = {
  workflow: 'workflows/index.ts exports no such workflow',
  update: "no module under workflows/ exports defineUpdate(…)('that name')",
  signal: "no module under workflows/ exports defineSignal(…)('that name')",
  query: "no module under workflows/ exports defineQuery(…)('that name')",
  'search attribute': 'ALL_SEARCH_ATTRIBUTES (workflows/partnership/search-attributes.ts) has no such key',
  patch: 'no patched() call under workflows/ uses that id',
  'task queue': 'DEFAULT_TASK_QUEUE (domain/names.ts) is another',
};

/** "KeywordList" (README) → "KEYWORD_LIST" (SDK's SearchAttributeType). */
const sdkType = (readmeType: string) => readmeType.replace(/(?<=[a-z])(?=[A-Z])/g, '_').toUpperCase();
/** "KEYWORD_LIST" → "KeywordList", as the README (and the Temporal CLI) write it. */
const readmeTypeOf = (type: string) => type.toLowerCase().replace(/(?:^|_)([a-z])/g, (_, c: string) => c.toUpperCase());

describe('README "Temporal names" matches the code', () => {
  test('every row is of a known kind', () => {
    expect(namesRows.filter((r) => !(KINDS as readonly string[]).includes(r.kind)).map((r) => `README.md line ${r.line}: unknown kind "${r.kind}" (one of ${KINDS.join(', ')})`)).toEqual([]);
  });

  test.each(KINDS)('every %s name in the README is defined in the code, and every one the code defines is in the README', (kind) => {
    const rows = namesRows.filter((r) => r.kind === kind);
    const inReadme = rows.flatMap((r) => r.names.map((n) => ({ ...n, line: r.line })));
    const inCode = definitions.filter((d) => d.kind === kind);
    const problems = [
      ...inReadme
        .filter((n) => !inCode.some((d) => d.name === n.name))
        .map((n) => `README.md line ${n.line} names ${kind} \`${n.name}\`, but ${WHERE_DEFINED[kind]}: remove it from that row, or define it`),
      ...inCode
        .filter((d) => !inReadme.some((n) => n.name === d.name))
        .map((d) => {
          const row = rows.find((r) => within(d.file, r.definedIn)) ?? rows.find((r) => r.definedIn.length === 0);
          const where = row ? `README.md line ${row.line} (the ${kind} row)` : `a new ${kind} row of README.md's "Temporal names", defined in \`${d.file}\``;
          return `${d.file} defines ${kind} \`${d.name}\`, which README.md's "Temporal names" lacks: add it to ${where}`;
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
        if (row.definedInText !== 'beside each workflow') problems.push(`README.md line ${row.line}: "defined in" should name files in backticks or say "beside each workflow"`);
        for (const d of defs.filter((d) => !workflowFiles.has(d.file))) {
          problems.push(`README.md line ${row.line} says ${row.kind} \`${d.name}\` is defined beside its workflow, but ${d.file} defines no workflow: name that file in the row`);
        }
        continue;
      }
      for (const d of defs.filter((d) => !within(d.file, row.definedIn))) {
        problems.push(`README.md line ${row.line} says ${row.kind} \`${d.name}\` is defined in ${row.definedIn.join(', ')}, but ${d.file} defines it: name that file instead`);
      }
      for (const path of row.definedIn.filter((p) => !defs.some((d) => within(d.file, [p])))) {
        problems.push(`README.md line ${row.line} names \`${path}\` in "defined in", but no ${row.kind} of that row is defined there: remove it`);
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
        const readmeType = /^\w+/.exec(n.note)?.[0] ?? '';
        if (!code?.type || sdkType(readmeType) === code.type) return [];
        return [`README.md line ${n.line}: \`${n.name}\` is ${code.type} in the code but ${n.note ? `"(${n.note})"` : 'has no parentheses'} in the README: write its type (${code.type}, as ${readmeTypeOf(code.type)}) first in parentheses after the name`];
      });
    expect(problems).toEqual([]);
  });

  test('every *_PATCH constant is used by a patched() call, and every patched() call names a readable id', () => {
    expect(patchProblems).toEqual([]);
  });
});

// ---------------------------------------------------------------------------
// Where things are: one capability, one folder in each layer
// ---------------------------------------------------------------------------

const folderTable = tableAfter('### Where things are');
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

describe('README "Where things are" matches the folders', () => {
  test('the columns are the five layers', () => {
    expect(layers).toEqual(['domain', 'workflows', 'activities', 'api', 'test']);
  });

  test('one row per capability (each folder of domain/)', () => {
    const named = capabilityRows.map((r) => r.capability);
    expect([
      ...capabilities.filter((c) => !named.includes(c)).map((c) => `domain/${c}/ is a capability without a row in README.md's "Where things are": add one`),
      ...capabilityRows.filter((r) => !capabilities.includes(r.capability)).map((r) => `README.md line ${r.row.line}: capability \`${r.capability}\` has no folder domain/${r.capability}/`),
    ]).toEqual([]);
  });

  test('every file and folder the table names exists', () => {
    const missing = capabilityRows.flatMap(({ row, paths }) =>
      paths
        .filter(({ path, isFolder }) => !existsSync(join(ROOT, path)) || statSync(join(ROOT, path)).isDirectory() !== isFolder)
        .map(({ path }) => `README.md line ${row.line} names ${path}, which does not exist: correct or remove it`),
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
          return `${file} is not in README.md's "Where things are": add \`${name}\` to the ${layer}/ cell of the \`${capability}\` row (line ${row.line})`;
        }),
    );
    expect(unnamed).toEqual([]);
  });
});
