/** Paths as a person reads them in messages. */
import { relative, resolve } from "node:path";

/** Relative to the working directory when inside it, absolute otherwise. */
export function displayPath(file: string, cwd = process.cwd()): string {
  const rel = relative(cwd, resolve(cwd, file));
  return rel.startsWith("..") || rel === "" ? resolve(cwd, file) : rel;
}
