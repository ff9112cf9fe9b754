import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';

/**
 * Headless Chromium for the console's browser tests: Debian's `chromium`
 * package, never a browser downloaded by a test tool. `CHROMIUM_PATH`
 * overrides where it is.
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

/** Installs Debian's chromium with apt-get when it is missing (as root); says what to do otherwise. */
export function ensureChromium(): string {
  if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  if (userInfo().uid !== 0) throw new Error(`Chromium is missing at ${CHROMIUM_PATH}; install Debian's "chromium" package (sudo apt-get install chromium) or set CHROMIUM_PATH`);
  process.stderr.write('[chromium] installing Debian package "chromium" for the console browser tests\n');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], { stdio: 'inherit', env });
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`apt-get installed chromium but ${CHROMIUM_PATH} is not there; set CHROMIUM_PATH`);
  return CHROMIUM_PATH;
}

if (require.main === module) {
  process.stdout.write(`chromium: ${ensureChromium()}\n`);
}
