/** The same inputs give byte-identical results: two runs, one summary (minus timings), the same Parquet rows. */
import { afterAll, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import pl from "nodejs-polars";
import { runTestSession } from "../helpers/session.ts";
import { tempDir } from "../helpers/tmp.ts";

const dir = tempDir("determinism");
afterAll(() => dir[Symbol.dispose]());

test("two runs of sessions/july.yaml: identical summary.json without timings, identical bar files", async () => {
  const a = await runTestSession("sessions/july.yaml", [], { keep: `${dir.path}/a` });
  const b = await runTestSession("sessions/july.yaml", [], { keep: `${dir.path}/b` });
  const strip = (path: string) => {
    const summary = JSON.parse(readFileSync(path, "utf8"));
    delete summary.timings;
    return JSON.stringify(summary, null, 2);
  };
  expect(strip(`${a.runDir}/summary.json`)).toBe(strip(`${b.runDir}/summary.json`));
  const files = readdirSync(`${a.runDir}/bars`).sort();
  expect(files).toEqual(readdirSync(`${b.runDir}/bars`).sort());
  for (const file of files) {
    const x = pl.readParquet(`${a.runDir}/bars/${file}`);
    const y = pl.readParquet(`${b.runDir}/bars/${file}`);
    expect({ file, equal: x.frameEqual(y) }).toEqual({ file, equal: true });
  }
  expect(readFileSync(`${a.runDir}/config.yaml`, "utf8")).toBe(readFileSync(`${b.runDir}/config.yaml`, "utf8"));
});
