/**
 * GumloopClient: the single execution path. Every tool and every graph node sends its request through
 * `client.call(definition, input, { signal })`; nothing else in the package calls `fetch`.
 */
import { BodyTooLargeError, decodeBody, MalformedBodyError, type BinaryBody } from "./decode.js";
import { Deadline, timeLimitOption, waitCapOption } from "./deadline.js";
import { retrySafe, type RequestDefinition } from "./definition.js";
import { downloadSignedUrl, type DownloadOptions } from "./download.js";
import {
  GumloopError,
  GumloopValidationError,
  errorFromResponse,
  redactedErrorBody,
  type APIError,
} from "./errors.js";
import { abortError, finalError, statusMayFollowWork } from "./outcome.js";
import { paginate, type Page, type PaginateOptions } from "./paginate.js";
import { awaitToken, TokenSource } from "./accessToken.js";
import { ParsedResponse } from "./parsedResponse.js";
import { attemptFailure, FAILURE_REASONS } from "./failures.js";
import { defaultTransport, fetchTransport, type HeaderSource, type Transport } from "./transport.js";
import { parseRateLimit, type RateLimitInfo } from "./rateLimit.js";
import { Redactor } from "./redact.js";
import { neverSent, retryDelayMs, statusRetryDelayMs, type StatusRetryPolicy } from "./retry.js";
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

/** Gumloop's REST host. */
export const DEFAULT_BASE_URL = "https://api.gumloop.com/api/v1";
/** Gumloop's streaming host, which alone serves chat completions and session streams. */
export const DEFAULT_STREAM_BASE_URL = "https://ws.gumloop.com/api/v1";

type AttemptResult =
  | { readonly kind: "ok"; readonly response: GumloopResponse }
  | { readonly kind: "status"; readonly error: APIError }
  /** The caller aborted; `maybeSent` unless the request provably never reached the server. */
  | { readonly kind: "aborted"; readonly maybeSent: boolean }
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
    this.timeoutMs = timeLimitOption("timeoutMs", options.timeoutMs ?? 90_000);
    this.maxRetries = options.maxRetries ?? 2;
    this.#retryOnRateLimit = options.retryOnRateLimit ?? false;
    this.#maxRetryAfterMs = waitCapOption("maxRetryAfterMs", options.maxRetryAfterMs ?? 60_000);
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

    const safe = retrySafe(definition, input);
    const maxRetries = options.maxRetries ?? this.maxRetries;
    const timeoutMs =
      options.timeoutMs === undefined ? this.timeoutMs : timeLimitOption("timeoutMs", options.timeoutMs);
    const signal = options.signal;
    const policy: StatusRetryPolicy = {
      safe,
      retryOnRateLimit: this.#retryOnRateLimit,
      maxHintMs: this.#maxRetryAfterMs,
      random: this.#random,
    };
    // Whether an earlier attempt may have reached the server and done work (lost answer, 500/502/504): an abort, a
    // 409 or any final error after that must say the call may have taken effect (see finalError).
    let mayHaveActed = false;
    const aborted = () => abortError(definition, mayHaveActed);
    let token = this.#tokens
      ? await awaitToken(this.#tokens.get(), operation, timeoutMs, signal, aborted)
      : undefined;
    let tokenRefreshed = false;
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw aborted();
      const result = await this.#attempt(definition, built, attempt, timeoutMs, signal, token);
      if (result.kind === "ok") return result.response as GumloopResponse<T>;
      if (result.kind === "aborted") throw abortError(definition, mayHaveActed || result.maybeSent);
      if (result.kind === "status" && result.error.status === 401 && this.#tokens && !tokenRefreshed) {
        // Refused before any work: get a fresh token and repeat once, outside the retry budget.
        tokenRefreshed = true;
        token = await awaitToken(this.#tokens.refresh(token!), operation, timeoutMs, signal, aborted);
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
        const { status, rateLimit } = result.error;
        reason = `status ${status}`;
        if (retriesLeft) delayMs = statusRetryDelayMs(status, rateLimit, attempt - 1, policy);
        if (delayMs === null) throw finalError(definition, input, { answer: result.error }, mayHaveActed);
        // Some 5xx can come after the work was done (e.g. a gateway gave up on a slow handler); 408 and 429 cannot.
        if (statusMayFollowWork(status)) mayHaveActed = true;
      } else {
        reason = FAILURE_REASONS[result.reason];
        const sent = !(result.reason === "connection" && neverSent(result.error));
        // A call that may do work is repeated after a sent attempt only with its idempotency key. An oversized body
        // is not worth reading again: it will be as large the next time.
        if ((!safe && sent) || !retriesLeft || result.error instanceof BodyTooLargeError) {
          const failure = attemptFailure(operation, result.reason, result.error, timeoutMs, this.#redactor);
          throw finalError(definition, input, { lost: result.reason, sent, failure }, mayHaveActed);
        }
        if (sent) mayHaveActed = true;
        delayMs = retryDelayMs(attempt - 1, null, this.#maxRetryAfterMs, this.#random);
      }
      this.#emit("onRetry", { operation, attempt, delayMs: delayMs!, reason });
      try {
        await this.#sleep(delayMs!, signal);
      } catch {
        throw aborted();
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
      // The hook may have aborted the caller's signal: nothing was sent, so send nothing.
      if (signal?.aborted) return { kind: "aborted", maybeSent: false };
    }

    // Carries both the timeout and the caller's abort to the transport (see Deadline).
    const deadline = new Deadline(timeoutMs, signal);
    const started = this.#hooks.onResponse ? this.#now() : 0;
    try {
      const transport = this.#transport ?? (this.#transport = await defaultTransport());
      const response = await transport({
        method: built.method,
        url: built.url,
        headers,
        body: built.body,
        signal: deadline.signal,
      });
      const rateLimit = parseRateLimit(response.headers, this.#now());
      const requestId = this.#requestId(response.headers);
      if (response.status < 200 || response.status >= 300) {
        const body = redactedErrorBody(await response.text(), this.#redactor);
        this.#emitResponse(operation, attempt, built, shown, response.status, started, rateLimit, requestId);
        const context = { operation, method: built.method, path: shown() };
        return {
          kind: "status",
          error: errorFromResponse(response.status, body, context, requestId, rateLimit),
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
      if (deadline.callerAborted) return { kind: "aborted", maybeSent: !neverSent(error) };
      if (deadline.expired) return { kind: "failed", reason: "timeout", error };
      if (error instanceof MalformedBodyError) return { kind: "failed", reason: "malformed", error };
      return { kind: "failed", reason: "connection", error };
    } finally {
      deadline.dispose();
    }
  }

  /** The response's request id, scrubbed: a server may echo anything there, a credential included. */
  #requestId(headers: HeaderSource): string | null {
    const id = headers.get("x-request-id") ?? headers.get("request-id");
    return id === null ? null : this.#redactor.text(id);
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
