/**
 * Nothing but the clock and the CLI reads the system time: a backtest must be a pure function of
 * its inputs. This scans every source file for the two ways JavaScript reads it.
 */
import { expect, test } from "bun:test";
import { Glob } from "bun";
import { existsSync, readFileSync } from "node:fs";

const ROOT = `${import.meta.dir}/../..`;
const ALLOWED = new Set(["src/core/time/clock.ts"]);
const READS_TIME = /Date\.now\(\)|new Date\(\s*\)|performance\.timeOrigin/;

test("Date.now() and new Date() appear only in the clock and the CLI", () => {
  const offenders: string[] = [];
  for (const dir of ["src", "strategies"]) {
    if (!existsSync(`${ROOT}/${dir}`)) continue;
    for (const file of new Glob("**/*.ts").scanSync({ cwd: `${ROOT}/${dir}` })) {
      const path = `${dir}/${file}`;
      if (ALLOWED.has(path) || path.startsWith("src/cli/")) continue;
      readFileSync(`${ROOT}/${path}`, "utf8").split("\n").forEach((line, index) => {
        if (READS_TIME.test(line)) offenders.push(`${path}:${index + 1}: ${line.trim()}`);
      });
    }
  }
  expect(offenders).toEqual([]);
});

test("the scan would catch an offender", () => {
  expect(READS_TIME.test("const t = Date.now();")).toBe(true);
  expect(READS_TIME.test("const d = new Date();")).toBe(true);
  expect(READS_TIME.test("const d = new Date(ms);")).toBe(false);
});
