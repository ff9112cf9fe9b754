import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
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

/** An executable that starts `executable` at `niceness`, with the arguments Playwright passes; written once per process. */
function niceLauncher(executable: string, niceness: number): string {
  const path = join(mkdtempSync(join(tmpdir(), 'msp-chromium-')), 'chromium');
  writeFileSync(path, `#!/bin/sh\nexec nice -n ${niceness} ${JSON.stringify(executable)} "$@"\n`);
  chmodSync(path, 0o755);
  return path;
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

  private launcher: string | undefined;

  /** `niceness`: see PRINTER_NICENESS; 0 starts Chromium as is. */
  constructor(private readonly options: { executablePath?: string; args?: string[]; niceness?: number } = {}) {}

  private launch(): Promise<Browser> {
    if (!this.browser) {
      const executable = this.options.executablePath ?? CHROMIUM_PATH;
      const niceness = this.options.niceness ?? PRINTER_NICENESS;
      // Chromium's renderer processes are forked from the browser, so they inherit its priority.
      if (niceness > 0) this.launcher ??= niceLauncher(executable, niceness);
      const launching = chromium.launch({ executablePath: niceness > 0 ? this.launcher : executable, args: this.options.args ?? CHROMIUM_ARGS, headless: true });
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

  /** Closes the browser, if one was started; safe to call twice. */
  async close(): Promise<void> {
    const browser = this.browser;
    this.browser = undefined;
    if (browser) await (await browser.catch(() => undefined))?.close();
  }
}
