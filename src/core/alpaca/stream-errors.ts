/**
 * The market data stream's error codes, as a person should read them. 401, 402 and 404 end the
 * session (credentials or a protocol fault); a 406 during authentication is worth a retry (the
 * previous connection may not be gone yet), as Alpaca's own clients do.
 */
import { SessionflowError } from "../errors.ts";
import { CREDENTIAL_VARIABLES } from "./credentials.ts";

const MEANINGS: Record<number, string> = {
  400: "invalid syntax: the stream could not read a message the client sent",
  401: "not authenticated: a message was sent before authentication",
  402: `authentication failed: the key and secret were refused; set ${CREDENTIAL_VARIABLES.join(" and ")} in the environment to the keys of this account (paper and live keys differ)`,
  403: "already authenticated",
  404: "authentication timed out: the credentials did not arrive in time after connecting",
  405: "symbol limit exceeded: the plan allows fewer symbols on one connection",
  406: "connection limit exceeded: another connection already holds this stream (one connection per endpoint); stop the other client or wait for it to disconnect",
  407: "slow client: the connection did not read fast enough and was closed",
  408: "market data v2 is not enabled for this account",
  409: "insufficient subscription: the account's plan does not include this feed",
  410: "invalid subscribe action for this feed",
  411: "insufficient scope: the keys may not read this data",
  500: "internal error at the data provider",
};

/** A stream error as a SessionflowError: exit code 2 for what the user must fix (credentials, plan), 1 otherwise. */
export function streamError(code: number, msg: string, context: { url: string; feed: string }): SessionflowError {
  let meaning = MEANINGS[code] ?? `error ${code}`;
  if (code === 409) meaning = `insufficient subscription: the account's plan does not include the ${context.feed} feed (the free plan has iex; sip needs a paid plan); set api_config.alpaca.feed or the stream_url accordingly`;
  const userMustFix = code === 402 || code === 406 || code === 408 || code === 409 || code === 410 || code === 411 || code === 405;
  return new SessionflowError("LIVE", `market data stream ${context.url}: ${meaning} (${code} ${msg})`, userMustFix ? 2 : 1);
}

/** Codes after which reconnecting cannot help. */
export function isFinal(code: number): boolean {
  return code === 401 || code === 402 || code === 404 || code === 405 || code === 408 || code === 409 || code === 410 || code === 411;
}
