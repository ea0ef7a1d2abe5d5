/**
 * GumloopClient: the single execution path. Every tool and every graph node sends its request through
 * `client.call(definition, input, { signal })`; nothing else in the package calls `fetch`.
 */
import { decodeBody, MalformedBodyError, type BinaryBody } from "./decode.js";
import { isIdempotent, parseRoute, type RequestDefinition } from "./definition.js";
import { downloadSignedUrl, type DownloadOptions } from "./download.js";
import {
  APIUserAbortError,
  GumloopError,
  GumloopValidationError,
  OutcomeUnknownError,
  errorFromResponse,
  parseErrorBody,
  type APIError,
} from "./errors.js";
import { paginate, type Page, type PaginateOptions } from "./paginate.js";
import { TokenSource } from "./accessToken.js";
import { ParsedResponse } from "./parsedResponse.js";
import { attemptFailure, sanitizedCopy } from "./failures.js";
import { defaultTransport, fetchTransport, type Transport } from "./transport.js";
import { parseRateLimit, type RateLimitInfo } from "./rateLimit.js";
import { Redactor } from "./redact.js";
import { isRetryableStatus, neverSent, retryDelayMs } from "./retry.js";
import { buildRequest, type BuiltRequest } from "./route.js";
import { realClock, realSleep, type Clock, type Sleep } from "./sleep.js";
import type {
  CallOptions,
  ClientHooks,
  GumloopClientOptions,
  GumloopResponse,
  RequestEvent,
  ResponseEvent,
  RetryEvent,
} from "./types.js";

export type {
  CallOptions,
  ClientHooks,
  GumloopClientOptions,
  GumloopResponse,
  RequestEvent,
  ResponseEvent,
  RetryEvent,
};

export const DEFAULT_BASE_URL = "https://api.gumloop.com/api/v1";
export const DEFAULT_STREAM_BASE_URL = "https://ws.gumloop.com/api/v1";

type AttemptResult =
  | { readonly kind: "ok"; readonly response: GumloopResponse }
  | { readonly kind: "status"; readonly error: APIError }
  | {
      readonly kind: "failed";
      readonly reason: "timeout" | "connection" | "malformed";
      readonly error: unknown;
    };

function deriveStreamBase(baseUrl: string): string {
  const url = new URL(baseUrl);
  if (url.hostname.startsWith("api.")) url.hostname = `ws.${url.hostname.slice(4)}`;
  return url.href.replace(/\/$/, "");
}

/**
 * The one client every Gumloop call goes through: auth, routes, field placement, encoding, errors, rate-limit
 * headers, retries and pagination.
 *
 * @example
 * ```ts
 * const client = new GumloopClient({ apiKey: process.env.GUMLOOP_API_KEY, userId: process.env.GUMLOOP_USER_ID });
 * const { data } = await client.call(ENDPOINTS.list_all_gumloop_agents, {});
 * ```
 */
export class GumloopClient {
  readonly baseUrl: string;
  readonly streamBaseUrl: string;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  /** `Bearer …` for a fixed key or token; undefined when a token function supplies it per call. */
  readonly #authorization: string | undefined;
  readonly #tokens: TokenSource | undefined;
  readonly #authKey: string | undefined;
  readonly #userId: string | undefined;
  readonly #teamId: string | undefined;
  readonly #retryOnRateLimit: boolean;
  readonly #maxRetryAfterMs: number;
  /** Headers every request carries: accept, the caller's extra headers, then auth (which they cannot override). */
  readonly #baseHeaders: Readonly<Record<string, string>>;
  readonly #hooks: ClientHooks;
  /** For signed downloads, which always go through fetch. */
  readonly #fetch: typeof fetch;
  /** For API calls: the caller's fetch, else the built-in Node transport (loaded on first use). */
  #transport: Transport | undefined;
  readonly #sleep: Sleep;
  readonly #now: Clock;
  readonly #random: () => number;
  readonly #redactor: Redactor;

  constructor(options: GumloopClientOptions = {}) {
    const env = options.env ?? process.env;
    const accessToken = options.accessToken ?? env["GUMLOOP_ACCESS_TOKEN"];
    const apiKey = options.apiKey ?? env["GUMLOOP_API_KEY"];
    if (!accessToken && !apiKey) {
      throw new GumloopError(
        "GumloopClient needs credentials: set the GUMLOOP_API_KEY environment variable (and GUMLOOP_USER_ID for a " +
          "personal key), or pass { apiKey, userId } or { accessToken }.",
      );
    }
    this.#userId = options.userId ?? env["GUMLOOP_USER_ID"] ?? undefined;
    this.#teamId = options.teamId ?? env["GUMLOOP_TEAM_ID"] ?? undefined;
    const fixedToken = typeof accessToken === "function" ? undefined : (accessToken ?? apiKey);
    this.#authorization = fixedToken ? `Bearer ${fixedToken}` : undefined;
    // Personal keys identify the user with x-auth-key; OAuth callers omit it (Gumloop's SDK does the same).
    this.#authKey = accessToken ? undefined : this.#userId;
    this.#redactor = new Redactor([fixedToken, apiKey, this.#userId]);
    this.#tokens =
      typeof accessToken === "function" ? new TokenSource(accessToken, this.#redactor) : undefined;
    this.baseUrl = (options.baseUrl ?? env["GUMLOOP_BASE_URL"] ?? DEFAULT_BASE_URL).replace(/\/$/, "");
    this.streamBaseUrl = (
      options.streamBaseUrl ??
      env["GUMLOOP_STREAM_BASE_URL"] ??
      (this.baseUrl === DEFAULT_BASE_URL ? DEFAULT_STREAM_BASE_URL : deriveStreamBase(this.baseUrl))
    ).replace(/\/$/, "");
    this.timeoutMs = options.timeoutMs ?? 90_000;
    this.maxRetries = options.maxRetries ?? 2;
    this.#retryOnRateLimit = options.retryOnRateLimit ?? false;
    this.#maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
    this.#baseHeaders = {
      accept: "application/json",
      ...options.headers,
      ...(this.#authorization ? { authorization: this.#authorization } : {}),
      ...(this.#authKey ? { "x-auth-key": this.#authKey } : {}),
    };
    this.#hooks = options.hooks ?? {};
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.#transport = options.fetch ? fetchTransport(options.fetch) : undefined;
    this.#sleep = options.sleep ?? realSleep;
    this.#now = options.now ?? realClock;
    this.#random = options.random ?? Math.random;
  }

  /** Whether a user id is configured (the value itself is never exposed). */
  get hasUserId(): boolean {
    return Boolean(this.#userId);
  }

  /** Whether a team id is configured. */
  get hasTeamId(): boolean {
    return Boolean(this.#teamId);
  }

  /** Removes this client's secrets (and URL signatures) from a text, for messages built outside the client. */
  redact(text: string): string {
    return this.#redactor.text(text);
  }

  /**
   * Sends one operation. Validates path ids and places fields per the definition, retries what is safe to retry,
   * and throws a typed {@link GumloopError} for anything but a 2xx.
   */
  async call<T = unknown>(
    definition: RequestDefinition,
    input: Readonly<Record<string, unknown>> = {},
    options: CallOptions = {},
  ): Promise<GumloopResponse<T>> {
    const operation = definition.name;
    const base = definition.host === "stream" ? this.streamBaseUrl : this.baseUrl;
    const built = buildRequest(definition, input, base, { userId: this.#userId, teamId: this.#teamId });
    if (Array.isArray(built)) throw new GumloopValidationError(operation, built);

    const safe = isIdempotent(definition, input);
    const maxRetries = options.maxRetries ?? this.maxRetries;
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    let token = this.#tokens ? await this.#tokens.get() : undefined;
    let tokenRefreshed = false;
    for (let attempt = 1; ; attempt++) {
      if (options.signal?.aborted) throw new APIUserAbortError(operation);
      const result = await this.#attempt(definition, built, attempt, timeoutMs, options.signal, token);
      if (result.kind === "ok") return result.response as GumloopResponse<T>;
      if (result.kind === "status" && result.error.status === 401 && this.#tokens && !tokenRefreshed) {
        // Refused before any work: get a fresh token and repeat once, outside the retry budget.
        tokenRefreshed = true;
        token = await this.#tokens.refresh(token!);
        this.#emit("onRetry", {
          operation,
          attempt,
          delayMs: 0,
          reason: "status 401, access token refreshed",
        });
        continue;
      }

      const retriesLeft = attempt - (tokenRefreshed ? 1 : 0) <= maxRetries;
      let delayMs: number | null = null;
      let reason: string;
      if (result.kind === "status") {
        const { status } = result.error;
        reason = `status ${status}`;
        const serverHint = result.error.rateLimit.retryAfterMs;
        if (status === 429 && this.#retryOnRateLimit && retriesLeft) {
          delayMs = retryDelayMs(
            attempt - 1,
            result.error.rateLimit.retryAfterMs ?? result.error.rateLimit.resetMs,
            this.#maxRetryAfterMs,
            this.#random,
          );
        } else if (safe && retriesLeft && isRetryableStatus(status)) {
          delayMs = retryDelayMs(attempt - 1, serverHint, this.#maxRetryAfterMs, this.#random);
        }
        if (delayMs === null) throw result.error;
      } else {
        reason =
          result.reason === "connection"
            ? "connection error"
            : result.reason === "malformed"
              ? "malformed body"
              : "timeout";
        const repeatable = safe || (result.reason === "connection" && neverSent(result.error));
        if (!repeatable) {
          throw new OutcomeUnknownError(operation, outcomeHint(definition), {
            cause: sanitizedCopy(result.error, this.#redactor),
          });
        }
        if (!retriesLeft)
          throw attemptFailure(operation, result.reason, result.error, timeoutMs, this.#redactor);
        delayMs = retryDelayMs(attempt - 1, null, this.#maxRetryAfterMs, this.#random);
      }
      this.#emit("onRetry", { operation, attempt, delayMs: delayMs!, reason });
      try {
        await this.#sleep(delayMs!, options.signal);
      } catch {
        throw new APIUserAbortError(operation);
      }
    }
  }

  /**
   * Iterates the pages of a list operation (cursor or page-number style), stopping at `maxItems`, and throwing
   * {@link PaginationLimitError} past `maxPages` or when the server repeats a cursor.
   */
  paginate<T = unknown>(
    definition: RequestDefinition,
    input: Readonly<Record<string, unknown>> = {},
    options: PaginateOptions = {},
  ): AsyncIterable<Page<T>> {
    return paginate<T>(this, definition, input, options);
  }

  /**
   * Downloads a signed URL (artifact, skill, export file) without Gumloop credentials: https only, allow-listed
   * hosts, redirects re-checked, a byte cap and a timeout.
   */
  download(url: string, options: DownloadOptions = {}): Promise<BinaryBody> {
    return downloadSignedUrl(url, options, {
      fetch: this.#fetch,
      redactor: this.#redactor,
      now: this.#now,
      trustedOrigin: new URL(this.baseUrl).origin,
    });
  }

  /** The client's sleep (real or injected): graphs built on this client wait with it unless told otherwise. */
  get sleep(): Sleep {
    return this.#sleep;
  }

  /** The client's clock (real or injected). */
  get now(): Clock {
    return this.#now;
  }

  async #attempt(
    definition: RequestDefinition,
    built: BuiltRequest,
    attempt: number,
    timeoutMs: number,
    signal: AbortSignal | undefined,
    token: string | undefined,
  ): Promise<AttemptResult> {
    const operation = definition.name;
    const headers: Record<string, string> = { ...this.#baseHeaders };
    if (token !== undefined) headers["authorization"] = `Bearer ${token}`;
    if (definition.accept) headers["accept"] = definition.accept;
    if (built.contentType) headers["content-type"] = built.contentType;
    // The redacted URL is only needed for errors and hooks: build it on demand (this is the hot path).
    let shownUrl: string | undefined;
    const shown = () => (shownUrl ??= this.#redactor.url(built.url));
    if (this.#hooks.onRequest) {
      this.#emit("onRequest", {
        operation,
        attempt,
        method: built.method,
        url: shown(),
        headers: this.#redactor.headers(headers),
      });
    }

    // One controller per attempt carries both the timeout and the caller's abort to fetch, so either really
    // cancels the request (and frees its socket) instead of abandoning it.
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error("timeout"));
    }, timeoutMs);
    const onAbort = signal ? () => controller.abort(signal.reason) : undefined;
    if (onAbort) signal!.addEventListener("abort", onAbort, { once: true });
    const started = this.#hooks.onResponse ? this.#now() : 0;
    try {
      const transport = this.#transport ?? (this.#transport = await defaultTransport());
      const response = await transport({
        method: built.method,
        url: built.url,
        headers,
        body: built.body,
        signal: controller.signal,
      });
      const rateLimit = parseRateLimit(response.headers, this.#now());
      const requestId = response.headers.get("x-request-id") ?? response.headers.get("request-id");
      if (response.status < 200 || response.status >= 300) {
        const text = this.#redactor.text(await response.text());
        this.#emitResponse(operation, attempt, built, shown, response.status, started, rateLimit, requestId);
        const body = parseErrorBody(text);
        const context = { operation, method: built.method, path: shown() };
        return {
          kind: "status",
          error: errorFromResponse(
            response.status,
            { ...body, details: this.#redactor.value(body.details) },
            context,
            requestId,
            rateLimit,
          ),
        };
      }
      const decoded = await decodeBody(response);
      this.#emitResponse(operation, attempt, built, shown, response.status, started, rateLimit, requestId);
      return {
        kind: "ok",
        response: new ParsedResponse(
          operation,
          response.status,
          decoded.format,
          decoded.data,
          decoded.mediaType,
          rateLimit,
          requestId,
          attempt,
          decoded.text,
        ),
      };
    } catch (error) {
      if (signal?.aborted && !timedOut) throw new APIUserAbortError(operation);
      if (timedOut) return { kind: "failed", reason: "timeout", error };
      if (error instanceof MalformedBodyError) return { kind: "failed", reason: "malformed", error };
      return { kind: "failed", reason: "connection", error };
    } finally {
      clearTimeout(timer);
      if (onAbort) signal!.removeEventListener("abort", onAbort);
    }
  }

  #emitResponse(
    operation: string,
    attempt: number,
    built: BuiltRequest,
    url: () => string,
    status: number,
    started: number,
    rateLimit: RateLimitInfo,
    requestId: string | null,
  ): void {
    if (!this.#hooks.onResponse) return;
    this.#emit("onResponse", {
      operation,
      attempt,
      method: built.method,
      url: url(),
      status,
      durationMs: this.#now() - started,
      rateLimit,
      requestId,
    });
  }

  #emit<K extends keyof ClientHooks>(name: K, event: Parameters<NonNullable<ClientHooks[K]>>[0]): void {
    try {
      (this.#hooks[name] as ((event: unknown) => void) | undefined)?.(event);
    } catch {
      // An observer's bug must not break the call.
    }
  }
}

function outcomeHint(definition: RequestDefinition): string {
  if (definition.reconcileHint) return definition.reconcileHint;
  const { method } = parseRoute(definition.route);
  return `Check whether ${definition.name} (${method}) took effect with a read before repeating it.`;
}
