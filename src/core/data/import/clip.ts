/** Values quoted in messages: at most 60 characters, control and binary bytes shown escaped. */

/** `text` as JSON, cut to a readable length with how much was left out. */
export function clip(value: unknown, max = 60): string {
  if (typeof value === "number") return String(value);
  const text = typeof value === "string" ? value : String(value);
  const cut = text.length > max ? `${text.slice(0, max)}...` : text;
  const quoted = JSON.stringify(cut).replace(/[\u007f-\u009f\ufffd]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return text.length > max ? `${quoted} (${text.length.toLocaleString("en-US")} characters)` : quoted;
}
