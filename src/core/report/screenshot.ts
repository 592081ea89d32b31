/**
 * The report in a real browser: headless Chromium driven by playwright-core (no browser download:
 * the system's Chromium, Debian's `chromium` package, or CHROMIUM_PATH).
 */
import { existsSync } from "node:fs";
import type { Browser } from "playwright-core";
import { writeFileAtomic } from "../data/atomic.ts";
import { reportError } from "../errors.ts";

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"];

/** The Chromium binary to drive: CHROMIUM_PATH, else the first one installed. */
export function chromiumPath(): string | undefined {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) return existsSync(configured) ? configured : undefined;
  return CANDIDATES.find((path) => existsSync(path));
}

/** Launches headless Chromium, or explains how to get one. */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) {
    throw reportError(`no Chromium found (looked at CHROMIUM_PATH and ${CANDIDATES.join(", ")}); install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH`);
  }
  // Imported here: loading playwright-core costs ~0.6 s, which a run without --screenshot never pays.
  const { chromium } = await import("playwright-core");
  return chromium.launch({ executablePath, headless: true, args: ["--no-sandbox", "--disable-gpu"] });
}

/** Opens the page offline (every request blocked), waits for its charts, and writes a full-page PNG. */
export async function screenshot(htmlFile: string, pngFile: string): Promise<void> {
  const browser = await launchBrowser();
  try {
    const page = await openReport(browser, htmlFile);
    writeFileAtomic(pngFile, await page.screenshot({ fullPage: true, type: "png" }));
  } finally {
    await browser.close();
  }
}

/**
 * A page with the report loaded and its charts drawn (`ready`: the page's own signal; a sweep's
 * page sets window.__sweepReady); any network request fails the load.
 */
export async function openReport(browser: Browser, htmlFile: string, ready = "Array.isArray(window.__reportCharts)") {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, deviceScaleFactor: 1 });
  const requests: string[] = [];
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith("file://")) return route.continue();
    requests.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(`file://${htmlFile}`);
  // (Browser code as text: it runs in the page, not in Bun.)
  await page.waitForFunction(ready, undefined, { timeout: 15_000 }).catch(() => {});
  // Two frames: lightweight-charts paints on the next animation frame.
  await page.evaluate("new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))");
  if (errors.length > 0) throw reportError(`${htmlFile}: the page failed in the browser: ${errors.join("; ")}`);
  if (requests.length > 0) throw reportError(`${htmlFile}: the page asked the network for ${requests.join(", ")}; it must be self-contained`);
  return page;
}
