import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { execFileSync } from 'node:child_process';

/**
 * Where recorded histories live, and the one way a recording script writes
 * there: never over a file already checked in unless told to (`--replace`).
 * A checked-in history may be the only copy of what older workflow code
 * wrote; overwriting it silently removes the replay test's "before" side of a
 * patch (docs/patches.md).
 */

/** Where recorded histories live; the replay test reads every file there. */
export const HISTORIES_DIR = resolve(__dirname, '..', 'test', 'histories');

/** Whether test/histories/<file> exists. */
export function historyExists(file: string): boolean {
  return existsSync(resolve(HISTORIES_DIR, file));
}

/**
 * Throws, naming the files, when any of `files` exists and `replace` is not
 * set: a script checks this before it starts a dev server, so a refusal
 * costs nothing. `usage` says how to call the script on a new name.
 */
export function refuseToOverwrite(files: string[], replace: boolean, usage: string): void {
  const existing = files.filter(historyExists);
  if (replace || existing.length === 0) return;
  throw new Error(
    `${existing.map((f) => `test/histories/${f}`).join(', ')} already exist${existing.length === 1 ? 's' : ''}: a checked-in history is never overwritten, ` +
      'it may be the only copy of what older workflow code recorded (the "before" side of a patch, docs/patches.md). ' +
      `Record under a new name (${usage}), or pass --replace to overwrite on purpose ` +
      '(first `git mv` the old file to <name>-before-<patch-id>.json if it guards a patch).',
  );
}

/**
 * Saves one workflow's history (the latest run, or `runId`) from the dev
 * server at `address` to test/histories/<file>, as `temporal workflow show
 * --output json` prints it (what `historyFromJSON` reads), and says so.
 * Refuses to overwrite an existing file unless `replace` is set.
 */
export function saveHistory(address: string, workflowId: string, file: string, options: { runId?: string; replace?: boolean } = {}): void {
  const { runId, replace = false } = options;
  const json = execFileSync(
    process.env.TEMPORAL_CLI!,
    ['workflow', 'show', '--output', 'json', '--address', address, '--workflow-id', workflowId, ...(runId ? ['--run-id', runId] : [])],
    { encoding: 'utf8' },
  );
  writeFileSync(resolve(HISTORIES_DIR, file), json, { flag: replace ? 'w' : 'wx' });
  process.stdout.write(`saved ${file} (${(JSON.parse(json) as { events: unknown[] }).events.length} events)\n`);
}

/** `[--replace] rest…` from a script's arguments. */
export function replaceFlag(argv: string[]): { replace: boolean; rest: string[] } {
  return { replace: argv.includes('--replace'), rest: argv.filter((a) => a !== '--replace') };
}
