import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeNiceLauncher } from '../../activities/documents/pdf-printer';

/**
 * The `nice` script Chromium is started through, run for real by /bin/sh in
 * front of a stand-in "browser" that writes down its niceness and arguments:
 * a path with spaces, quotes, `$` and backticks reaches it unchanged, a
 * system without `nice` still starts it, and the printer leaves no script
 * behind once closed.
 */
const work = mkdtempSync(join(tmpdir(), 'pdf-printer-unit-'));
const ownNiceness = Number(execFileSync('/usr/bin/nice', { encoding: 'utf8' }).trim());

/** A stand-in browser at `dir`: it writes its niceness, then each argument, one a line, to $OUT. */
function standIn(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'chrome');
  writeFileSync(path, '#!/bin/sh\n{ /usr/bin/nice; printf \'%s\\n\' "$@"; } > "$OUT"\n');
  chmodSync(path, 0o755);
  return path;
}

test('a browser path with spaces, quotes, $ and backticks is started as written, at the niceness asked for, with every argument intact', () => {
  const executable = standIn(join(work, `it's a "$HOME" \`touch pwned\` dir`));
  const { path } = writeNiceLauncher(executable, 10);
  const out = join(work, 'out-1.txt');
  execFileSync(path, ['--headless', 'two words', '$PATH', "it's"], { env: { ...process.env, OUT: out }, cwd: work });
  const [niceness, ...args] = readFileSync(out, 'utf8').trimEnd().split('\n');
  expect(Number(niceness)).toBe(Math.min(19, ownNiceness + 10));
  expect(args).toEqual(['--headless', 'two words', '$PATH', "it's"]);
  // The backticks were part of the name, never a command.
  expect(existsSync(join(work, 'pwned'))).toBe(false);
});

test('where no `nice` is on the PATH the browser still starts, at the niceness it would have had', () => {
  const executable = standIn(join(work, 'plain'));
  const { path } = writeNiceLauncher(executable, 10);
  const out = join(work, 'out-2.txt');
  execFileSync(path, ['--headless'], { env: { PATH: join(work, 'no-such-dir'), OUT: out } });
  expect(readFileSync(out, 'utf8').trimEnd().split('\n')).toEqual([String(ownNiceness), '--headless']);
});

test('a niceness that nice would refuse is refused when the script is written, saying what is allowed', () => {
  expect(() => writeNiceLauncher('/usr/bin/chromium', 2.5)).toThrow('niceness must be an integer from 1 to 19, got 2.5');
  expect(() => writeNiceLauncher('/usr/bin/chromium', 25)).toThrow(RangeError);
});

test('a closed printer leaves no script behind in the temporary directory, even when its browser never started', () => {
  // In a process of its own, whose TMPDIR is a directory nobody else writes to.
  const temp = join(work, 'tmp');
  mkdirSync(temp);
  const script = `
    import { readdirSync } from 'node:fs';
    import { PdfPrinter } from './activities/documents/pdf-printer';
    (async () => {
      const printer = new PdfPrinter({ executablePath: process.argv[1] });
      const failed = await printer.print('<p>x</p>', { headerTemplate: '', footerTemplate: '' }).then(() => false, () => true);
      const whilePrinting = readdirSync(process.env.TMPDIR!);
      await printer.close();
      console.log(JSON.stringify({ failed, whilePrinting, afterClose: readdirSync(process.env.TMPDIR!) }));
    })();`;
  // The stand-in exits at once: the launch fails, as a missing or broken browser would.
  const executable = standIn(join(work, 'exits'));
  const answer = execFileSync(join(__dirname, '../../node_modules/.bin/tsx'), ['-e', script, executable], {
    cwd: join(__dirname, '../..'),
    env: { ...process.env, TMPDIR: temp, OUT: join(work, 'out-3.txt') },
    encoding: 'utf8',
  });
  const { failed, whilePrinting, afterClose } = JSON.parse(answer.trim().split('\n').at(-1)!) as { failed: boolean; whilePrinting: string[]; afterClose: string[] };
  expect(failed).toBe(true);
  // (tsx keeps its cache there too.)
  const scripts = (names: string[]) => names.filter((f) => f.startsWith('msp-chromium-'));
  expect(scripts(whilePrinting)).toHaveLength(1);
  expect(scripts(afterClose)).toEqual([]);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));
