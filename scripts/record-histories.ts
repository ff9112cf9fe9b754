import { mkdirSync } from 'node:fs';
import { ensureTemporalCli } from '../infra/temporal-cli';
import { HISTORIES_DIR, historyExists, refuseToOverwrite, replaceFlag, saveHistory } from './history-file';
import { SCENARIOS } from './history-scenarios';

/**
 * `npm run record-histories [-- [--replace] file.json …]`: drives the runs of
 * scripts/history-scenarios.ts on a real dev server (the test stack) and
 * saves the histories the replay and patch-coverage tests check.
 *
 * Without arguments it records only the histories that are missing. Named
 * files are recorded only if they do not exist yet; an existing one is
 * refused (nothing starts) unless `--replace` is given: a checked-in history
 * may be the only copy of what older code wrote. Before re-recording a
 * current history after adding a patch, `git mv` it to
 * `<name>-before-<patch-id>.json` so the "before" side stays (docs/patches.md).
 */
async function main(): Promise<void> {
  const { replace, rest: named } = replaceFlag(process.argv.slice(2));
  const known = SCENARIOS.flatMap((s) => s.files);
  const unknown = named.filter((f) => !known.includes(f));
  if (unknown.length) throw new Error(`no scenario records ${unknown.join(', ')}; this script records: ${known.join(', ')}`);
  refuseToOverwrite(named, replace, 'add a scenario in scripts/history-scenarios.ts, or scripts/record-handover-history.ts <new-name>.json');
  const wanted = named.length ? named : known.filter((f) => !historyExists(f));
  if (wanted.length === 0) {
    process.stdout.write('every history this script records is checked in; name files and pass --replace to record one again\n');
    return;
  }
  process.env.TEMPORAL_CLI ??= ensureTemporalCli();
  mkdirSync(HISTORIES_DIR, { recursive: true });
  for (const scenario of SCENARIOS.filter((s) => s.files.some((f) => wanted.includes(f)))) {
    // The CLI's JSON is the format Worker.runReplayHistory documents (and what operators export from prod).
    await scenario.record((stack, file, workflowId, runId) => {
      if (wanted.includes(file)) saveHistory(stack.env.address, workflowId, file, { runId, replace });
    });
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
