import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../infra/chromium';

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
 * Only the API prints, when someone first reads a document's PDF
 * (`api/documents/documents.ts`): the worker stores documents as HTML and
 * runs no browser. One browser per API process, launched on the first print
 * and started again if it crashed; each print has its own context, so no
 * document sees another's state. `close()` on shutdown.
 */
export class PdfPrinter {
  private browser: Promise<Browser> | undefined;

  constructor(private readonly options: { executablePath?: string; args?: string[] } = {}) {}

  private launch(): Promise<Browser> {
    if (!this.browser) {
      const launching = chromium.launch({ executablePath: this.options.executablePath ?? CHROMIUM_PATH, args: this.options.args ?? CHROMIUM_ARGS, headless: true });
      this.browser = launching;
      launching.then(
        (b) => b.on('disconnected', () => {
          if (this.browser === launching) this.browser = undefined;
        }),
        () => {
          // A failed launch is not kept: the next read tries again.
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
