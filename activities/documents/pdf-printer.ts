import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../infra/chromium';

/**
 * The scheduling priority Chromium prints at (`nice`, 0–19; higher yields
 * more). Printing is background work: a person waiting on a decision page,
 * the Temporal server and the worker's workflow tasks come first on a small
 * machine, and a document is printed in the time they leave.
 */
export const PRINTER_NICENESS = 10;

/** `text` as one word for /bin/sh, taken literally (no `$`, backtick or backslash expansion). */
function shellWord(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * Writes an executable that starts `executable` at `niceness` with the
 * arguments Playwright passes (or as is where `nice` is missing), in a
 * directory of its own under the system's temporary directory.
 *
 * @param niceness an integer from 1 to 19
 * @returns the script's path and its directory, which the caller removes
 * @throws RangeError for any other niceness
 */
export function writeNiceLauncher(executable: string, niceness: number): { path: string; dir: string } {
  if (!Number.isInteger(niceness) || niceness < 1 || niceness > 19) throw new RangeError(`niceness must be an integer from 1 to 19, got ${niceness}`);
  const dir = mkdtempSync(join(tmpdir(), 'msp-chromium-'));
  const path = join(dir, 'chromium');
  const exe = shellWord(executable);
  writeFileSync(path, `#!/bin/sh\ncommand -v nice >/dev/null 2>&1 && exec nice -n ${niceness} ${exe} "$@"\nexec ${exe} "$@"\n`);
  chmodSync(path, 0o755);
  return { path, dir };
}

/** What goes around every page: the running header and the page-number footer, as Chromium's templates. */
export interface PageFurniture {
  /** HTML of the header (escaped by the caller's template); Chromium fills `.pageNumber`, `.totalPages`. */
  headerTemplate: string;
  footerTemplate: string;
}

/**
 * Prints a document's HTML to PDF with Debian's headless Chromium (through
 * playwright-core): the same HTML people open as the HTML view, laid out by
 * a browser, so every script the system fonts cover (Noto, from Debian's
 * fonts-noto-core and fonts-noto-cjk) is shaped — Arabic joined and set right
 * to left — and embedded as a font subset, and long lines wrap.
 *
 * One browser per process, launched on the first print and started again if
 * it crashed; each print has its own page. `close()` on shutdown.
 */
export class PdfPrinter {
  private browser: Promise<Browser> | undefined;

  /** The `nice` script Chromium is started through (see `writeNiceLauncher`); removed by `close()`. */
  private launcher: { path: string; dir: string } | undefined;

  /** `niceness`: see PRINTER_NICENESS; 0 starts Chromium as is (and so does Windows, which has no `nice`). */
  constructor(private readonly options: { executablePath?: string; args?: string[]; niceness?: number } = {}) {}

  private launch(): Promise<Browser> {
    if (!this.browser) {
      const executable = this.options.executablePath ?? CHROMIUM_PATH;
      const niceness = process.platform === 'win32' ? 0 : (this.options.niceness ?? PRINTER_NICENESS);
      const direct = () => chromium.launch({ executablePath: executable, args: this.options.args ?? CHROMIUM_ARGS, headless: true });
      let launching: Promise<Browser>;
      if (niceness > 0) {
        // Chromium's renderer processes are forked from the browser, so they inherit its priority.
        this.launcher ??= writeNiceLauncher(executable, niceness);
        // A script that cannot run (a temporary directory mounted noexec, no /bin/sh) must not stop documents: print at normal priority.
        launching = chromium.launch({ executablePath: this.launcher.path, args: this.options.args ?? CHROMIUM_ARGS, headless: true }).catch(direct);
      } else {
        launching = direct();
      }
      this.browser = launching;
      launching.then(
        (b) => b.on('disconnected', () => {
          if (this.browser === launching) this.browser = undefined;
        }),
        () => {
          // A failed launch is not kept: the next print (an activity retry) tries again.
          if (this.browser === launching) this.browser = undefined;
        },
      );
    }
    return this.browser;
  }

  /**
   * A4 PDF of `html` (a whole document, with its own `lang`/`dir` and styles),
   * with `furniture` on every page.
   *
   * @throws when Chromium cannot be started (e.g. not installed: run `npm run setup`)
   */
  async print(html: string, furniture: PageFurniture): Promise<Buffer> {
    const browser = await this.launch();
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    try {
      const page = await context.newPage();
      await page.setContent(html, { waitUntil: 'load' });
      return await page.pdf({
        format: 'A4',
        printBackground: true,
        displayHeaderFooter: true,
        ...furniture,
        margin: { top: '22mm', bottom: '20mm', left: '18mm', right: '18mm' },
      });
    } finally {
      await context.close();
    }
  }

  /** Closes the browser, if one was started, and removes its `nice` script; safe to call twice. */
  async close(): Promise<void> {
    const browser = this.browser;
    this.browser = undefined;
    if (browser) await (await browser.catch(() => undefined))?.close();
    if (this.launcher) rmSync(this.launcher.dir, { recursive: true, force: true });
    this.launcher = undefined;
  }
}
