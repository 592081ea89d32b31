/** A temporary folder removed when the test's `using` scope ends. */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** A temp folder: `write` puts files in it; disposal removes it, whatever happened. */
export interface TempDir extends Disposable {
  path: string;
  write(relative: string, text: string): string;
}

/** Creates a temp folder named after `label`. */
export function tempDir(label = "sessionflow"): TempDir {
  const path = mkdtempSync(join(tmpdir(), `${label}-`));
  return {
    path,
    write(relative, text) {
      const file = join(path, relative);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
      return file;
    },
    [Symbol.dispose]() {
      rmSync(path, { recursive: true, force: true });
    },
  };
}
