/**
 * `${VAR}` and `${VAR:-default}` in string values, from the environment. `$${` writes a literal `${`.
 */
import { parse as parseYamlScalar } from "yaml";

/** The outcome of interpolating one string. */
export type InterpolationResult = { ok: true; value: unknown } | { ok: false; message: string };

const REFERENCE = /\$\$\{|\$\{([^}]*)\}/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Replaces every reference in `text`. When `plain` (an unquoted YAML scalar) is made of a
 * single reference, the result is read as a YAML scalar again, so `${SPEED:-0}` is a number.
 */
export function interpolate(text: string, env: Record<string, string | undefined>, plain: boolean): InterpolationResult {
  if (!text.includes("${")) return { ok: true, value: text };
  let failure: string | undefined;
  let references = 0;
  const replaced = text.replace(REFERENCE, (match, body: string | undefined) => {
    if (match === "$${") return "${";
    references++;
    const separator = body!.indexOf(":-");
    const name = separator === -1 ? body! : body!.slice(0, separator);
    if (!NAME.test(name)) {
      failure ??= `\${${body}} is not a variable reference; allowed: \${NAME} or \${NAME:-default}`;
      return match;
    }
    const value = env[name];
    if (value !== undefined && value !== "") return value;
    if (separator !== -1) return body!.slice(separator + 2);
    failure ??= `environment variable ${name} is not set and has no default (write \${${name}:-default})`;
    return match;
  });
  if (failure) return { ok: false, message: failure };
  const whole = references === 1 && /^\$\{[^}]*\}$/.test(text);
  if (plain && whole) {
    try {
      return { ok: true, value: parseYamlScalar(replaced) };
    } catch {
      return { ok: true, value: replaced };
    }
  }
  return { ok: true, value: replaced };
}
