/** report diff compares the resolved configs by YAML path: one removed history window is one difference, not every line after it. */
import { expect, test } from "bun:test";
import { diffRuns } from "../../src/core/report/diff.ts";
import { tempDir } from "../helpers/tmp.ts";

test("a removed list item and a changed value: two entries, named by path", () => {
  using dir = tempDir("diff-config");
  const config = (windows: string[], fast: number) => `session_name: x\nsession_data_config:\n  historical:\n    data:\n${windows.map((w) => `      - ${w}\n`).join("")}strategies:\n  - name: sma_crossover\n    params: { fast_period: ${fast} }\n`;
  for (const [name, windows, fast] of [["a", ["{ trailing_days: 5, intervals: [1m] }", "{ trailing_days: 20, intervals: [1d] }", "{ trailing_days: 2, intervals: [5m] }"], 10], ["b", ["{ trailing_days: 5, intervals: [1m] }", "{ trailing_days: 2, intervals: [5m] }"], 5]] as const) {
    dir.write(`${name}/config.yaml`, config([...windows], fast));
    dir.write(`${name}/summary.json`, "{}");
  }
  const diff = diffRuns(`${dir.path}/a`, `${dir.path}/b`);
  expect(diff.config).toEqual([
    { path: "session_data_config.historical.data[1]", a: { trailing_days: 20, intervals: ["1d"] }, b: undefined },
    { path: "strategies[0].params.fast_period", a: 10, b: 5 },
  ]);
});
