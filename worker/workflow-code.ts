import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkerOptions } from '@temporalio/worker';

/**
 * Where a worker's workflow code comes from. `npm run build` bundles the
 * workflows once (scripts/build-workflow-bundle.ts) into `workflow-bundle.js`
 * at the root of the compiled tree, beside `dist/workflows/`; a production
 * worker (NODE_ENV=production) loads that file instead of running webpack at
 * every start, as Temporal's `production` sample does. Development, the tests
 * and a checkout run from source have no such file there, and bundle
 * `workflows/index.ts` when the worker starts, as before.
 */

/** The workflows' entry point: workflows/index.ts from source, dist/workflows/index.js once compiled. */
export function workflowsPath(): string {
  return require.resolve('../workflows');
}

/** Where the build writes the bundle and a production worker looks for it: dist/workflow-bundle.js once compiled. */
export function builtBundlePath(): string {
  return join(__dirname, '..', 'workflow-bundle.js');
}

/**
 * The bundle built at build time, in production when it is there; otherwise
 * nothing, and the worker bundles `workflowsPath()` at start.
 */
export function prebuiltWorkflowBundle(production: boolean): WorkerOptions['workflowBundle'] {
  const codePath = builtBundlePath();
  return production && existsSync(codePath) ? { codePath } : undefined;
}
