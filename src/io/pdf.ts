/**
 * HTML → PDF through a headless Chromium (Debian's `chromium`, driven by playwright-core).
 *
 * Chromium is the only maintained path here that shapes Arabic and renders Chinese. Nothing is
 * ever downloaded: the browser must already be on the machine (`apt-get install chromium
 * fonts-noto-core fonts-noto-cjk`), or named by FINPROC_CHROMIUM. playwright-core is loaded
 * only when a PDF is asked for, so the CLI's start-up does not pay for it.
 *
 * Chromium's PDFs are not byte-reproducible (creation date, font subset names): test them by
 * their extracted text, never by their bytes.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';

/** Where Debian (and Ubuntu's older packaging) puts the browser. */
export const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'] as const;

const INSTALL_HINT = "install Debian's chromium (apt-get install chromium fonts-noto-core fonts-noto-cjk) or set FINPROC_CHROMIUM to a Chromium executable; HTML and Markdown need no browser";

function isExecutableFile(p: string): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The Chromium to use: FINPROC_CHROMIUM when set (it must then be an executable file: a wrong
 * setting is reported, not silently replaced), else the first of CHROMIUM_CANDIDATES that
 * exists. `missing` is one sentence saying what was looked for and how to fix it.
 */
export function findChromium(env: NodeJS.ProcessEnv): { path: string } | { missing: string } {
  const named = env.FINPROC_CHROMIUM;
  if (named !== undefined && named !== '') {
    if (isExecutableFile(named)) return { path: named };
    return { missing: `FINPROC_CHROMIUM is set to ${named}, which is not an executable file: point it at a Chromium executable, or unset it to use ${CHROMIUM_CANDIDATES.join(' or ')}` };
  }
  for (const p of CHROMIUM_CANDIDATES) if (isExecutableFile(p)) return { path: p };
  return { missing: `no Chromium found (looked for ${CHROMIUM_CANDIDATES.join(', ')}): ${INSTALL_HINT}` };
}

export interface PdfRenderer {
  /** One self-contained HTML document → PDF bytes (A4 unless the document's CSS @page says otherwise). */
  render(html: string): Promise<Uint8Array>;
  /** Ends the browser and removes its temporary profile. Safe to call twice. */
  close(): Promise<void>;
}

export interface PdfRendererOptions {
  /** Longest wait for the browser to start, in milliseconds. */
  launchTimeoutMs?: number;
  /** Longest wait for one document to load and print, in milliseconds. */
  renderTimeoutMs?: number;
}

/**
 * Flags from shared/LIBRARIES.md: no sandbox (CI runs as root), no GPU, and none of Chromium's
 * own connections (updates, sync, field trials), which this machine's closed network refuses.
 * playwright adds --headless and a fresh temporary --user-data-dir itself, and removes that
 * profile on close (it refuses a --user-data-dir in `args`).
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--disable-default-apps',
  '--disable-extensions',
] as const;

type Playwright = typeof import('playwright-core');

/**
 * playwright-core, loaded on first use. Through `require` rather than `import()`: the CLI's
 * bundle is CommonJS run by scripts/load-bundle.cjs in a vm.Script, where a dynamic import()
 * has no loader and fails; `require` is just as lazy and works there, in Node and in vitest.
 */
function loadPlaywright(): Playwright {
  const require = createRequire(import.meta.url);
  try {
    return require('playwright-core') as Playwright;
  } catch (e) {
    throw new Error(`cannot load playwright-core, which drives Chromium for PDF output (${(e as Error).message.split('\n')[0]}): run npm ci`);
  }
}

function seconds(ms: number): string {
  return `${ms / 1000} s`;
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
}

/**
 * Starts one headless Chromium for any number of documents. Documents are printed one at a
 * time on one reused page (calls to `render` may overlap: they are queued).
 *
 * No network: scripts are off, the context is offline, and every request is aborted — the
 * document is handed over with setContent, so it is never fetched itself, and it can fetch
 * nothing (images, fonts and styles must be inline, as the invoices are).
 */
export async function openPdfRenderer(executablePath: string, options: PdfRendererOptions = {}): Promise<PdfRenderer> {
  const launchTimeout = options.launchTimeoutMs ?? 30_000;
  const renderTimeout = options.renderTimeoutMs ?? 30_000;
  const { chromium } = loadPlaywright();

  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath, headless: true, args: [...CHROMIUM_ARGS], timeout: launchTimeout });
  } catch (e) {
    const timedOut = e instanceof Error && e.name === 'TimeoutError';
    throw new Error(
      timedOut
        ? `Chromium (${executablePath}) did not start within ${seconds(launchTimeout)}`
        : `cannot start Chromium (${executablePath}): ${firstLine(e)}`,
    );
  }

  let context: BrowserContext;
  try {
    context = await browser.newContext({ javaScriptEnabled: false, offline: true, serviceWorkers: 'block', acceptDownloads: false });
    await context.route('**/*', (route) => route.abort('blockedbyclient'));
  } catch (e) {
    await browser.close().catch(() => undefined);
    throw new Error(`cannot open a page in Chromium (${executablePath}): ${firstLine(e)}`);
  }

  /** The page documents are printed on; replaced after a failure, so one bad document cannot spoil the next. */
  let page: Page | undefined;
  /** Where the current document tried to go (a meta refresh, say): blocked, and reported. */
  let leftFor: string | undefined;
  async function freshPage(): Promise<Page> {
    const p = await context.newPage();
    p.on('framenavigated', (frame) => {
      if (frame === p.mainFrame() && frame.url() !== 'about:blank') leftFor ??= frame.url();
    });
    p.on('request', (r) => {
      if (r.isNavigationRequest() && r.frame() === p.mainFrame()) leftFor ??= r.url();
    });
    return p;
  }

  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;

  async function renderOne(html: string): Promise<Uint8Array> {
    if (closed) throw new Error('the PDF renderer is closed');
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(Object.assign(new Error('deadline'), { name: 'TimeoutError' })), renderTimeout);
    });
    leftFor = undefined;
    try {
      const work = (async () => {
        page ??= await freshPage();
        await page.setContent(html, { waitUntil: 'load' });
        const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true, displayHeaderFooter: false });
        if (leftFor !== undefined) throw new Error('navigated');
        return pdf;
      })();
      work.catch(() => undefined); // settled later by close() when the deadline wins
      const pdf = await Promise.race([work, deadline]);
      return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
    } catch (e) {
      const timedOut = e instanceof Error && e.name === 'TimeoutError';
      if (timedOut) {
        // The browser is in an unknown state: end it rather than print the next document on it.
        closed = true;
        await browser.close().catch(() => undefined);
        throw new Error(`Chromium did not print the document within ${seconds(renderTimeout)}; the PDF renderer was closed`);
      }
      const failed = page;
      page = undefined;
      await failed?.close().catch(() => undefined);
      const left = leftFor as string | undefined; // set by the page's event handlers
      if (left !== undefined) throw new Error(`Chromium could not print the document: it tries to leave the page for ${left.slice(0, 200)}, and a document must be self-contained`);
      throw new Error(`Chromium could not print the document: ${firstLine(e)}`);
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    render(html: string): Promise<Uint8Array> {
      const result = queue.then(() => renderOne(html));
      queue = result.catch(() => undefined);
      return result;
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await queue;
      await browser.close();
    },
  };
}
