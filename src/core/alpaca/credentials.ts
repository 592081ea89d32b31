/**
 * Alpaca credentials come from the environment only (APCA_API_KEY_ID, APCA_API_SECRET_KEY) and
 * never leave the requests that need them: nothing here is logged, and `redact` removes their
 * values from any text that might be (an error from a server, a URL).
 */

/** The variables a user sets. */
export const CREDENTIAL_VARIABLES = ["APCA_API_KEY_ID", "APCA_API_SECRET_KEY"] as const;

/** A key pair (either may be empty: a server that does not check, such as the local replay server, accepts that). */
export interface Credentials {
  readonly key: string;
  readonly secret: string;
}

/** The credentials in `env`. */
export function credentialsFrom(env: Record<string, string | undefined>): Credentials {
  return { key: env.APCA_API_KEY_ID ?? "", secret: env.APCA_API_SECRET_KEY ?? "" };
}

/** The REST headers Alpaca reads. */
export function authHeaders(credentials: Credentials): Record<string, string> {
  return { "APCA-API-KEY-ID": credentials.key, "APCA-API-SECRET-KEY": credentials.secret };
}

/** `text` with every occurrence of the key and the secret replaced. */
export function redact(text: string, credentials: Credentials): string {
  let out = text;
  for (const value of [credentials.secret, credentials.key]) if (value.length >= 4) out = out.split(value).join("[redacted]");
  return out;
}
