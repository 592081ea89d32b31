/** RFC 4180 CSV for the run directory's tables. */

/** The table as CSV text: fields with commas, quotes or newlines are quoted; null is empty. */
export function csv(header: readonly string[], rows: readonly unknown[][]): string {
  const cell = (value: unknown) => {
    if (value === null || value === undefined) return "";
    const text = String(value);
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return `${[header, ...rows].map((row) => row.map(cell).join(",")).join("\n")}\n`;
}
