import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { execFileSync } from 'node:child_process';

/** Where recorded histories live; the replay test reads every file there. */
export const HISTORIES_DIR = resolve(__dirname, '..', 'test', 'histories');

/**
 * Saves one workflow's history (the latest run, or `runId`) from the dev
 * server at `address` to test/histories/<file>, as `temporal workflow show
 * --output json` prints it (what `historyFromJSON` reads), and says so.
 */
export function saveHistory(address: string, workflowId: string, file: string, runId?: string): void {
  const json = execFileSync(
    process.env.TEMPORAL_CLI!,
    ['workflow', 'show', '--output', 'json', '--address', address, '--workflow-id', workflowId, ...(runId ? ['--run-id', runId] : [])],
    { encoding: 'utf8' },
  );
  writeFileSync(resolve(HISTORIES_DIR, file), json);
  process.stdout.write(`saved ${file} (${(JSON.parse(json) as { events: unknown[] }).events.length} events)\n`);
}
