/** The client's public types: options, call options, responses and hook events. */
import type { AccessTokenProvider } from "./accessToken.js";
import type { BodyFormat } from "./decode.js";
import type { RateLimitInfo } from "./rateLimit.js";
import type { Clock, Sleep } from "./sleep.js";

/** What a hook sees of a request. Credentials and identities are masked. */
export interface RequestEvent {
  readonly operation: string;
  readonly attempt: number;
  readonly method: string;
  /** Path and query, identities masked. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** What `hooks.onResponse` receives after each attempt: status, duration, rate-limit headers, request id. */
export interface ResponseEvent {
  readonly operation: string;
  readonly attempt: number;
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly durationMs: number;
  readonly rateLimit: RateLimitInfo;
  readonly requestId: string | null;
}

/** What `hooks.onRetry` receives before the client waits and tries again: the attempt, the wait and why. */
export interface RetryEvent {
  readonly operation: string;
  /** The attempt that failed (1-based). */
  readonly attempt: number;
  readonly delayMs: number;
  /** `"status 503"`, `"timeout"`, `"connection error"`, `"malformed body"` or `"status 429"`. */
  readonly reason: string;
}

/** Observers. They must not throw; if one does, the error is ignored so the call goes on. */
export interface ClientHooks {
  onRequest?(event: RequestEvent): void;
  onResponse?(event: ResponseEvent): void;
  onRetry?(event: RetryEvent): void;
}

/** How a client reaches Gumloop: credentials (or the environment), hosts, timeouts, retries, hooks and seams. */
export interface GumloopClientOptions {
  /** Personal or team API key. @default process.env.GUMLOOP_API_KEY */
  apiKey?: string;
  /** Your Gumloop user id; sent as `x-auth-key` with personal keys and filled into `user_id` parameters. @default process.env.GUMLOOP_USER_ID */
  userId?: string;
  /** Team (a.k.a. project) id, for team keys: filled into `team_id` / `project_id` where Gumloop reads them. @default process.env.GUMLOOP_TEAM_ID */
  teamId?: string;
  /**
   * OAuth 2.0 access token, used instead of an API key; or a function that returns a current one, which the client
   * calls on first use and again with `{ refresh: true }` after a 401 (then repeats the refused call once).
   * @default process.env.GUMLOOP_ACCESS_TOKEN
   */
  accessToken?: string | AccessTokenProvider;
  /** REST base URL. @default process.env.GUMLOOP_BASE_URL ?? "https://api.gumloop.com/api/v1" */
  baseUrl?: string;
  /**
   * Streaming host base URL (chat completions). @default process.env.GUMLOOP_STREAM_BASE_URL, else derived from
   * `baseUrl` (`api.` → `ws.`), else `"https://ws.gumloop.com/api/v1"`
   */
  streamBaseUrl?: string;
  /**
   * Per-attempt timeout in milliseconds; Infinity for none. Values above 2^31 − 1 (about 24.8 days, the longest
   * timer Node keeps) are clamped to it; 0, negatives and NaN are refused with a GumloopError.
   * @default 90000
   */
  timeoutMs?: number;
  /** Retries for calls that are safe to repeat. @default 2 */
  maxRetries?: number;
  /** Also retry 429s inside the client (any call: a 429 was not processed). @default false */
  retryOnRateLimit?: boolean;
  /**
   * Longest server-requested wait the client will sleep through; longer hints surface as errors. 0 sleeps through
   * none, Infinity through any; negatives and NaN are refused with a GumloopError.
   * @default 60000
   */
  maxRetryAfterMs?: number;
  /** Extra headers on every request (e.g. `traceparent`). */
  headers?: Record<string, string>;
  /** Observers for requests, responses and retries. */
  hooks?: ClientHooks;
  /**
   * A `fetch` to send API calls through (for proxies, instrumentation or a non-Node runtime). Without it, API
   * calls use the built-in node:http / node:https transport with keep-alive, which costs about half the CPU of
   * Node's `fetch` per call. Signed-URL downloads always use `fetch` (this one, or `globalThis.fetch`).
   * @default the built-in Node transport
   */
  fetch?: typeof fetch;
  /** Sleep used between retries (test seam). @default a real, abortable setTimeout */
  sleep?: Sleep;
  /** Clock used to read HTTP-date headers (test seam). @default Date.now */
  now?: Clock;
  /** Random source for jitter (test seam). @default Math.random */
  random?: () => number;
  /** Environment to read defaults from. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Options of one `client.call()`: its abort signal, and overrides of the client's timeout and retries. */
export interface CallOptions {
  /** Aborts the request and any wait between retries. */
  signal?: AbortSignal | undefined;
  /** Overrides the client's per-attempt timeout (same rules as {@link GumloopClientOptions.timeoutMs}). */
  timeoutMs?: number;
  /** Overrides the client's retry count. */
  maxRetries?: number;
}

/** Options of `client.stream()`: those of a call, and the limits of the open stream. */
export interface StreamOptions extends CallOptions {
  /**
   * Longest wait for the next byte of the stream (an event or a keep-alive comment) while the caller waits for an
   * event; the stream then ends with StreamIdleTimeoutError. Same rules as `timeoutMs` (Infinity for none).
   * Gumloop's keep-alive interval is not documented: the default is the client's `timeoutMs` (inference).
   * @default the client's timeoutMs (90000)
   */
  idleTimeoutMs?: number;
  /**
   * Most bytes one stream connection may deliver (events are handed out as they come, so this bounds a runaway
   * stream, and any one event): past it the stream ends with StreamTooLargeError. A positive whole number, or
   * Infinity for none.
   * @default 67108864 (64 MiB, the cap on any response body)
   */
  maxBytes?: number;
}

/** A decoded response, with what the caller needs to reason about limits. */
export interface GumloopResponse<T = unknown> {
  readonly operation: string;
  readonly status: number;
  /** How the body was decoded: parsed JSON, text (e.g. CSV), bytes, or nothing. */
  readonly format: BodyFormat;
  /** Parsed JSON, a string, a {@link BinaryBody}, or null for an empty body. */
  readonly data: T;
  readonly mediaType: string | null;
  readonly rateLimit: RateLimitInfo;
  readonly requestId: string | null;
  /** Attempts made (1 when no retry happened). */
  readonly attempts: number;
}
