/** Builds report.html (and report.png on request) in a run directory from its files. */
import { join } from "node:path";
import { writeFileAtomic } from "../data/atomic.ts";
import { renderReport } from "./page.ts";
import { loadReportInput } from "./report-input.ts";
import { screenshot } from "./screenshot.ts";

/** Writes `<dir>/report.html`; with `png`, also `<dir>/report.png` (a full-page capture in headless Chromium). */
export async function writeReport(dir: string, options: { png?: boolean } = {}): Promise<{ html: string; png?: string }> {
  const html = join(dir, "report.html");
  writeFileAtomic(html, renderReport(loadReportInput(dir)));
  if (!options.png) return { html };
  const png = join(dir, "report.png");
  await screenshot(html, png);
  return { html, png };
}
