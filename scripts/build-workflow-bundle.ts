import { writeFile } from 'node:fs/promises';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { builtBundlePath, workflowsPath } from '../worker/workflow-code';

/**
 * Bundles the workflows once, at build time, into the file a production
 * worker loads (worker/workflow-code.ts), so no worker runs webpack at start.
 * `npm run build` runs it compiled (node dist/scripts/build-workflow-bundle.js):
 * it bundles dist/workflows and writes dist/workflow-bundle.js, next to the
 * code the image ships.
 */
async function main(): Promise<void> {
  const { code } = await bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: new DefaultLogger('WARN') });
  await writeFile(builtBundlePath(), code);
  process.stdout.write(`workflow bundle written to ${builtBundlePath()} (${Math.round(code.length / 1024)} KiB)\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`workflow bundle failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
