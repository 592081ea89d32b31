/**
 * JSON over HTTP for Alpaca's REST endpoints, with Bun's fetch: a timeout on every request, retries
 * with backoff for what may pass (429 with its Retry-After, 5xx, a dropped connection), and errors
 * that say what the user must do (401/403: the credentials; 422: the request) - never with the
 * credentials in them.
 */
import { liveError } from "../errors.ts";
import { CREDENTIAL_VARIABLES, redact, type Credentials } from "./credentials.ts";

/** One request. */
export interface HttpRequest {
  method?: "GET" | "POST" | "DELETE" | "PATCH";
  url: string;
  credentials: Credentials;
  body?: unknown;
  /** @default 10000 */
  timeoutMs?: number;
  /** Attempts for what may pass (429, 5xx, network). @default 4 */
  attempts?: number;
  /** Waits between attempts (tests shorten it). @default Bun.sleep */
  sleep?: (ms: number) => Promise<void>;
}

/** A response that is not 2xx, after retries; `status` 0 when the server could not be reached. */
export class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly body: string) {
    super(message);
    this.name = "HttpError";
  }
}

/** Sends the request; resolves to the parsed JSON (undefined for an empty body). */
export async function requestJson<T>(request: HttpRequest): Promise<T> {
  const attempts = request.attempts ?? 4;
  const sleep = request.sleep ?? ((ms: number) => Bun.sleep(ms));
  let last: HttpError | undefined;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    let response: Response;
    try {
      response = await fetch(request.url, {
        method: request.method ?? "GET",
        headers: { "APCA-API-KEY-ID": request.credentials.key, "APCA-API-SECRET-KEY": request.credentials.secret, ...(request.body === undefined ? {} : { "content-type": "application/json" }) },
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: AbortSignal.timeout(request.timeoutMs ?? 10_000),
      });
    } catch (error) {
      last = new HttpError(0, `${request.method ?? "GET"} ${redact(request.url, request.credentials)}: ${(error as Error).name === "TimeoutError" ? "no answer in time" : "the server could not be reached"} (${redact((error as Error).message, request.credentials)})`, "");
      if (attempt < attempts) await sleep(backoff(attempt));
      continue;
    }
    const text = await response.text();
    if (response.ok) return (text.length === 0 ? undefined : JSON.parse(text)) as T;
    last = new HttpError(response.status, `${request.method ?? "GET"} ${redact(request.url, request.credentials)}: ${response.status} ${redact(messageOf(text), request.credentials)}`, text);
    if (response.status !== 429 && response.status < 500) break;
    if (attempt < attempts) await sleep(retryAfter(response) ?? backoff(attempt));
  }
  throw last!;
}

/** The error a person reads for a failed request. */
export function httpFailure(error: unknown, what: string): Error {
  if (!(error instanceof HttpError)) return error as Error;
  if (error.status === 401 || error.status === 403) {
    return liveError(`${what}: the credentials were refused (${error.status}); set ${CREDENTIAL_VARIABLES.join(" and ")} in the environment to this account's keys (paper and live keys differ)`, true);
  }
  if (error.status === 422 || error.status === 400) return liveError(`${what}: the request was refused: ${error.message}`, true);
  return liveError(`${what}: ${error.message}`);
}

function messageOf(text: string): string {
  try {
    const parsed = JSON.parse(text) as { message?: string };
    return parsed.message ?? text.slice(0, 200);
  } catch {
    return text.slice(0, 200);
  }
}

function retryAfter(response: Response): number | undefined {
  const value = Number(response.headers.get("retry-after"));
  return Number.isFinite(value) && value > 0 ? value * 1000 : undefined;
}

/** 0.5 s, 1 s, 2 s ... with up to 25 % jitter. */
export function backoff(attempt: number, base = 500, cap = 30_000): number {
  const plain = Math.min(cap, base * 2 ** (attempt - 1));
  return plain * (1 + Math.random() * 0.25);
}
