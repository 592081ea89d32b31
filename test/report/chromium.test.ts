/** Which Chromium the report drives: CHROMIUM_PATH when set, else the system's; a clear error without one. */
import { afterEach, expect, test } from "bun:test";
import { chromiumPath, launchBrowser } from "../../src/core/report/screenshot.ts";

const saved = process.env.CHROMIUM_PATH;
afterEach(() => {
  if (saved === undefined) delete process.env.CHROMIUM_PATH;
  else process.env.CHROMIUM_PATH = saved;
});

test("CHROMIUM_PATH names the browser; a path that does not exist is no browser", async () => {
  process.env.CHROMIUM_PATH = "/usr/bin/chromium";
  expect(chromiumPath()).toBe("/usr/bin/chromium");
  process.env.CHROMIUM_PATH = "/nowhere/chromium";
  expect(chromiumPath()).toBeUndefined();
  await expect(launchBrowser()).rejects.toThrow("no Chromium found (looked at CHROMIUM_PATH and /usr/bin/chromium, /usr/bin/chromium-browser, /usr/bin/google-chrome, /usr/bin/google-chrome-stable); install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH");
});

test("without CHROMIUM_PATH the system's Chromium is found", () => {
  delete process.env.CHROMIUM_PATH;
  expect(chromiumPath()).toBe("/usr/bin/chromium");
});
