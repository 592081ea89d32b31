/** A run's CSV file as rows of fields (quoted fields with commas and "" escapes), header first. */
import { readFileSync } from "node:fs";

/** Splits CSV text into rows of fields. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") row.push(field), (field = "");
    else if (c === "\n") row.push(field), rows.push(row), (row = []), (field = "");
    else field += c;
  }
  if (field !== "" || row.length > 0) row.push(field), rows.push(row);
  return rows;
}

/** The rows of `<dir>/<file>` without the header. */
export function csvBody(dir: string, file: string): string[][] {
  return parseCsv(readFileSync(`${dir}/${file}`, "utf8")).slice(1);
}
