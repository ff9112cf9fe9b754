import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PATCHES, type PatchEntry } from '../../workflows/patches';
import { quietRuntime } from '../support/stack';
import { checkedInHistories, patchAsks, type Asks, type HistoryPatches } from './patch-asks';

quietRuntime();

/**
 * Every patch in workflows/patches.ts is guarded on both sides by a
 * checked-in history (docs/patches.md): one recorded after it (its
 * `core_patch` marker is in the history) and one recorded before it that
 * today's code still takes through the `patched()` call (replayed, the call
 * answers false), unless the entry says why no run from before can reach the
 * call (`noBeforeHistory`). And the inventory is the code's: every
 * `patched()`/`deprecatePatch()` in workflows/ names an id in it, and every
 * id in it is asked somewhere.
 */

const ROOT = join(__dirname, '..', '..');
const WORKFLOWS = join(ROOT, 'workflows');
const RECORD = 'npm run record-histories (a scenario in scripts/history-scenarios.ts that reaches the call)';

/**
 * Sides no checked-in history covers yet, each with why. The test fails when
 * one is covered (delete the line) and for any hole not listed here.
 */
const KNOWN_HOLES: Record<string, { side: 'before' | 'after' | 'both'; why: string }> = {
  'gate-recorded-after-failed-document': { side: 'both', why: 'asked only when a gate\'s document could not be produced; no recording makes the document fail' },
  'review-decided-by-gate': { side: 'both', why: 'asked only when a review waits for its decision as the gate decides it; no recording reaches that yet' },
  'open-work-closes-with-partnership': { side: 'before', why: 'no partnership that closed was recorded before the patch' },
  'ended-email-before-completion': { side: 'before', why: 'no onboarding that ended other than active was recorded before the patch' },
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') && !path.endsWith('patches.ts') ? [path] : [];
  });
}

/** Each `patched(…)`/`deprecatePatch(…)` call in workflows/, with the id it names (resolved through `patch('…')` or a `const X = '…'`), or null. */
function callSites(): Array<{ where: string; call: string; id: string | null }> {
  const files = sources(WORKFLOWS).map((path) => ({ path, text: readFileSync(path, 'utf8') }));
  const constants = new Map<string, string>();
  for (const { text } of files) {
    for (const m of text.matchAll(/const\s+([A-Z][A-Z0-9_]*)\s*(?::\s*PatchId\s*)?=\s*(?:patch\(\s*)?'([^']+)'/g)) constants.set(m[1], m[2]);
  }
  return files.flatMap(({ path, text }) =>
    [...text.matchAll(/\b(patched|deprecatePatch)\(\s*([^)]*\)?)/g)].map((m) => {
      const arg = m[2].trim();
      const literal = /^(?:patch\(\s*)?'([^']+)'/.exec(arg)?.[1];
      const named = /^([A-Z][A-Z0-9_]*)\)?$/.exec(arg)?.[1];
      const line = text.slice(0, m.index).split('\n').length;
      return { where: `${relative(ROOT, path)}:${line}`, call: `${m[1]}(${arg}`, id: literal ?? (named ? (constants.get(named) ?? null) : null) };
    }),
  );
}

describe('the patch inventory is the code\'s', () => {
  const sites = callSites();
  const ids = new Set<string>(PATCHES.map((p) => p.id));

  test('every patched()/deprecatePatch() call names an id in workflows/patches.ts', () => {
    expect(sites.length).toBeGreaterThan(0);
    const strays = sites.filter((s) => !s.id || !ids.has(s.id)).map((s) => `${s.where} ${s.call}: ${s.id ? `"${s.id}" is not in PATCHES` : 'id not resolved'}`);
    expect(strays).toEqual([]);
  });

  test('every id in workflows/patches.ts is asked somewhere', () => {
    const asked = new Set(sites.map((s) => s.id));
    expect(PATCHES.filter((p) => !asked.has(p.id)).map((p) => `${p.id}: no patched()/deprecatePatch() asks it; remove the entry or the call was lost`)).toEqual([]);
  });

  test('ids are unique and dates are ISO days', () => {
    expect(ids.size).toBe(PATCHES.length);
    for (const p of PATCHES) expect(p.since).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

describe('every patch has a checked-in history on each side', () => {
  let histories: HistoryPatches[];
  let asks: Map<string, Asks>;
  beforeAll(async () => {
    histories = checkedInHistories();
    asks = await patchAsks(histories.map((h) => h.file));
  }, 300_000);

  const sidesOf = (p: PatchEntry) => {
    const mine = histories.filter((h) => (p.workflows as readonly string[]).includes(h.workflowType));
    return {
      after: mine.filter((h) => h.markers.has(p.id)).map((h) => h.file),
      before: mine.filter((h) => !h.markers.has(p.id) && asks.get(h.file)?.get(p.id) === false).map((h) => h.file),
    };
  };

  test.each(PATCHES.map((p) => [p.id, p] as const))('%s', (id, p: PatchEntry) => {
    const { after, before } = sidesOf(p);
    const hole = KNOWN_HOLES[id];
    const problems: string[] = [];
    const types = p.workflows.join(' or ');
    if (after.length === 0 && !(hole && hole.side !== 'before')) {
      problems.push(
        `patch "${id}" has no history AFTER it: no checked-in history of ${types} holds its marker. ` +
          `Record one with today's code: ${RECORD}, saved under a new name in test/histories/.`,
      );
    }
    // A deprecated patch has no old branch left: its before histories were removed with it (docs/patches.md).
    if (!p.noBeforeHistory && !p.deprecated && before.length === 0 && !(hole && hole.side !== 'after')) {
      problems.push(
        `patch "${id}" has no history BEFORE it: no checked-in history of ${types} recorded without its marker reaches patched('${id}') when replayed. ` +
          `Record one with the code from before the patch (git worktree add /tmp/before <the commit before ${p.since}>; there: ${RECORD} as <name>-before-${id}.json), ` +
          'or set noBeforeHistory in workflows/patches.ts with the reason no run from before can reach the call.',
      );
    }
    if (hole && hole.side !== 'before' && after.length > 0) problems.push(`patch "${id}": ${after.join(', ')} now covers the after side; update KNOWN_HOLES in this test`);
    if (hole && hole.side !== 'after' && before.length > 0) problems.push(`patch "${id}": ${before.join(', ')} now covers the before side; update KNOWN_HOLES in this test`);
    expect(problems).toEqual([]);
  });
});
