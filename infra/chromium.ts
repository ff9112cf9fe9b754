import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';

/**
 * Headless Chromium: Debian's `chromium` package, never a browser downloaded
 * by a test tool. The API typesets documents to PDF with it when they are
 * first read (activities/documents/pdf-printer.ts; the worker runs none),
 * and the console's browser tests drive it. `CHROMIUM_PATH` overrides where
 * it is.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * The flags it runs with: no sandbox (tests run as root in CI) and no
 * background networking, whose connections a closed network refuses.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Every Debian package the product needs at run time or in its tests, with a
 * file that shows it is installed:
 * - `chromium`: prints documents to PDF, drives the browser tests;
 * - `fonts-noto-core`: Noto Sans and its siblings for Latin, Cyrillic, Greek,
 *   Arabic (Noto Naskh/Sans Arabic) and most other scripts, embedded in PDFs;
 * - `fonts-noto-cjk`: Noto Sans CJK for Chinese (and Japanese, Korean);
 * - `poppler-utils`: `pdftotext` and `pdftoppm`, with which the tests read
 *   and picture the PDFs.
 */
export const DEBIAN_PACKAGES: ReadonlyArray<{ name: string; shows: string }> = [
  { name: 'chromium', shows: CHROMIUM_PATH },
  { name: 'fonts-noto-core', shows: '/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf' },
  { name: 'fonts-noto-cjk', shows: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc' },
  { name: 'poppler-utils', shows: '/usr/bin/pdftotext' },
];

/**
 * Installs with apt-get whichever of DEBIAN_PACKAGES is missing (as root);
 * otherwise throws an error naming the command to run.
 *
 * @returns the names of the packages installed now (empty when all were there)
 */
export function ensureDebianPackages(): string[] {
  const missing = DEBIAN_PACKAGES.filter((p) => !existsSync(p.shows)).map((p) => p.name);
  if (missing.length === 0) return [];
  if (userInfo().uid !== 0) {
    throw new Error(`Debian packages missing: ${missing.join(', ')}. Install them as root: sudo apt-get install --no-install-recommends ${missing.join(' ')} (or set CHROMIUM_PATH to another Chromium)`);
  }
  process.stderr.write(`[setup] installing Debian packages: ${missing.join(', ')}\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
  const still = DEBIAN_PACKAGES.filter((p) => missing.includes(p.name) && !existsSync(p.shows));
  if (still.length > 0) throw new Error(`apt-get ran but ${still.map((p) => p.shows).join(', ')} is still missing (for CHROMIUM_PATH, point it at your Chromium)`);
  return missing;
}

/** Chromium's path, after installing the Debian packages that are missing (see ensureDebianPackages). */
export function ensureChromium(): string {
  ensureDebianPackages();
  return CHROMIUM_PATH;
}

if (require.main === module) {
  const installed = ensureDebianPackages();
  process.stdout.write(`chromium: ${CHROMIUM_PATH}\nDebian packages: ${DEBIAN_PACKAGES.map((p) => p.name).join(', ')} (${installed.length ? `installed now: ${installed.join(', ')}` : 'all present'})\n`);
}
