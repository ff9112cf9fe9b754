import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../infra/chromium';

/**
 * How long one print may take, Chromium's start included, before it fails:
 * the largest document there is (a 300-partner process design, about 0.5 MB
 * of PDF) takes 2 to 4 s on two cores, so this is only ever reached by a
 * Chromium that hangs.
 */
export const PRINT_TIMEOUT_MS = 60_000;

/**
 * Chromium could not make the PDF: it is missing, it crashed, or it did not
 * answer in time. The document itself is fine. The message can be shown to
 * the reader; the cause, when there is one, is Playwright's error.
 */
export class PrinterUnavailable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PrinterUnavailable';
  }
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
 * Only the API prints, when someone first reads a document's PDF
 * (`api/documents/documents.ts`): the worker stores documents as HTML and
 * runs no browser. One browser per API process, launched on the first print
 * and started again if it crashed; each print has its own context, so no
 * document sees another's state. `close()` on shutdown.
 */
/** How long `close()` waits for Chromium to close before it kills it (ms): well inside the API's 15 s shutdown bound. */
const CLOSE_TIMEOUT_MS = 5000;

export class PdfPrinter {
  private browser: Promise<Browser> | undefined;

  /**
   * `timeoutMs`: how long one print (with Chromium's start, when it needs
   * one) may take before it fails with `PrinterUnavailable` (default
   * PRINT_TIMEOUT_MS).
   */
  constructor(private readonly options: { executablePath?: string; args?: string[]; timeoutMs?: number } = {}) {}

  private get timeoutMs(): number {
    return this.options.timeoutMs ?? PRINT_TIMEOUT_MS;
  }

  /** Each browser's process id, to end one that no longer answers (see `abandon`). */
  private readonly pids = new WeakMap<Browser, number>();

  private launch(): Promise<Browser> {
    if (!this.browser) {
      const launching = chromium
        .launch({ executablePath: this.options.executablePath ?? CHROMIUM_PATH, args: this.options.args ?? CHROMIUM_ARGS, headless: true, timeout: this.timeoutMs })
        .then(async (b) => {
          const pid = await browserPid(b);
          if (pid) this.pids.set(b, pid);
          return b;
        });
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
   * @throws PrinterUnavailable when Chromium cannot be started (e.g. not
   *   installed: run `npm run setup`), crashes, or does not finish within
   *   `timeoutMs`; a Chromium that did not finish is killed, and the next
   *   print starts a new one
   */
  async print(html: string, furniture: PageFurniture): Promise<Buffer> {
    const browser = this.launch();
    let timer: NodeJS.Timeout | undefined;
    const printing = this.printIn(browser, html, furniture);
    const late = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new PrinterUnavailable(`Chromium did not finish the PDF within ${this.timeoutMs / 1000} s`)), this.timeoutMs);
    });
    try {
      return await Promise.race([printing, late]);
    } catch (err) {
      if (err instanceof PrinterUnavailable) {
        // A browser that does not answer would hold every later print too: it goes, and the next print starts another.
        printing.catch(() => undefined);
        this.abandon(browser);
        throw err;
      }
      // The cause (Playwright's message, with paths on this server) is for the log, not for whoever reads the document.
      throw new PrinterUnavailable('Chromium, which typesets PDFs, is not available (missing, or it stopped while printing)', { cause: err });
    } finally {
      clearTimeout(timer);
    }
  }

  private async printIn(browser: Promise<Browser>, html: string, furniture: PageFurniture): Promise<Buffer> {
    const context = await (await browser).newContext({ javaScriptEnabled: false, offline: true });
    try {
      const page = await context.newPage();
      await page.setContent(html, { waitUntil: 'load', timeout: this.timeoutMs });
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

  /**
   * Forgets `browser` and ends its process: a browser that no longer answers
   * would not answer close() either. Its own processes (renderers, GPU) end
   * with it; Playwright then removes its profile directory.
   */
  private abandon(browser: Promise<Browser>): void {
    if (this.browser === browser) this.browser = undefined;
    void browser.then(
      (b) => {
        const pid = this.pids.get(b);
        if (pid === undefined) {
          void b.close().catch(() => undefined);
          return;
        }
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      },
      // A launch that never finished is ended by Playwright at its own timeout.
      () => undefined,
    );
  }

  /**
   * Closes the browser, if one was started; safe to call twice. A browser
   * that does not close within CLOSE_TIMEOUT_MS (one that stopped answering
   * would never) is killed, so the process's shutdown stays within its bound.
   */
  async close(): Promise<void> {
    const browser = this.browser;
    this.browser = undefined;
    const b = await browser?.catch(() => undefined);
    if (!b) return;
    let timer: NodeJS.Timeout | undefined;
    const closed = await Promise.race([
      b.close().then(() => true, () => true),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), CLOSE_TIMEOUT_MS))),
    ]);
    clearTimeout(timer);
    if (!closed) this.abandon(Promise.resolve(b));
  }
}

/** The browser process's id, as Chromium reports it, or undefined if it does not say. */
async function browserPid(browser: Browser): Promise<number | undefined> {
  try {
    const cdp = await browser.newBrowserCDPSession();
    try {
      const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: Array<{ type: string; id: number }> };
      return processInfo.find((p) => p.type === 'browser')?.id;
    } finally {
      await cdp.detach();
    }
  } catch {
    return undefined;
  }
}
