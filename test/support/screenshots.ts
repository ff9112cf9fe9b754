import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Where the tests write the screenshots a person looks at: `docs/screenshots`
 * (which docs/console.md and docs/documents.md show) when regenerating them on purpose with
 * `npm run screenshots` (SCREENSHOTS=docs), otherwise `test-output/screenshots`
 * (ignored by git), so running the suite leaves a checkout clean.
 */
export function screenshotsDir(): string {
  const dir = process.env.SCREENSHOTS === 'docs' ? resolve(__dirname, '../../docs/screenshots') : resolve(__dirname, '../../test-output/screenshots');
  mkdirSync(dir, { recursive: true });
  return dir;
}
