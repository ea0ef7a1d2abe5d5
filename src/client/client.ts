/**
 * GumloopClient: the single execution path. Every tool and every graph node sends its request through
 * `client.call(definition, input, { signal })` (or `client.stream()` for a session stream, which shares the same
 * sending, retry and error rules); nothing else in the package calls `fetch`.
 */
import { emitHook, sendAttempt, type AttemptContext, type OpenedStream } from "./attempt.js";
import { BodyTooLargeError, MAX_RESPONSE_BYTES, type BinaryBody } from "./decode.js";
import { timeLimitOption, waitCapOption } from "./deadline.js";
import { retrySafe, type RequestDefinition } from "./definition.js";
import { byteCapOption, downloadSignedUrl, type DownloadOptions } from "./download.js";
import { SessionEventStream } from "./eventStream.js";
import { APIError, GumloopError, GumloopValidationError } from "./errors.js";
import { abortError, finalError, statusMayFollowWork } from "./outcome.js";
import { paginate, type Page, type PaginateOptions } from "./paginate.js";
import { awaitToken, TokenSource } from "./accessToken.js";
import { ParsedResponse } from "./parsedResponse.js";
import { attemptFailure, FAILURE_REASONS } from "./failures.js";
import { defaultTransport, fetchTransport, type Transport } from "./transport.js";
import { Redactor } from "./redact.js";
import { neverSent, retryDelayMs, statusRetryDelayMs, type StatusRetryPolicy } from "./retry.js";
import { buildRequest } from "./route.js";
import { realClock, realSleep, type Clock, type Sleep } from "./sleep.js";
import { isStreamRefusal, StreamUnavailableError } from "./streamErrors.js";
import type {
  CallOptions,
  ClientHooks,
  GumloopClientOptions,
  GumloopResponse,
  RequestEvent,
  ResponseEvent,
  RetryEvent,
  StreamOptions,
} from "./types.js";

export type {
  CallOptions,
  ClientHooks,
  GumloopClientOptions,
  GumloopResponse,
  RequestEvent,
  ResponseEvent,
  RetryEvent,
  StreamOptions,
};

/** Gumloop's REST host. */
export const DEFAULT_BASE_URL = "https://api.gumloop.com/api/v1";
/** Gumloop's streaming host, which alone serves chat completions and session streams. */
export const DEFAULT_STREAM_BASE_URL = "https://ws.gumloop.com/api/v1";

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
  #transport: Transport | Promise<Transport> | undefined;
  /** What each attempt takes from this client. */
  readonly #attempts: AttemptContext;
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
    this.#attempts = {
      baseHeaders: this.#baseHeaders,
      hooks: this.#hooks,
      redactor: this.#redactor,
      now: this.#now,
      transport: () => (this.#transport ??= defaultTransport()),
    };
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
    definition: RequestDefinition<T>,
    input: Readonly<Record<string, unknown>> = {},
    options: CallOptions = {},
  ): Promise<GumloopResponse<T>> {
    return (await this.#send(definition, input, options, false)) as GumloopResponse<T>;
  }

  /**
   * Sends a streaming operation (see `SESSION_STREAMS`) with `stream: true` and resolves once the server has opened
   * a Server-Sent Events stream; the events then come from the returned {@link SessionEventStream}. Opening follows
   * the rules of {@link GumloopClient.call} (auth, retries of what is safe to repeat, typed errors: a 409
   * `session_already_exists` is a ConflictError, a lost answer to a write an OutcomeUnknownError), with `timeoutMs`
   * bounding the wait for the stream's headers. A host or proxy that does not stream rejects with
   * {@link StreamUnavailableError}: fall back to polling.
   */
  async stream(
    definition: RequestDefinition,
    input: Readonly<Record<string, unknown>> = {},
    options: StreamOptions = {},
  ): Promise<SessionEventStream> {
    const idleTimeoutMs = timeLimitOption("idleTimeoutMs", options.idleTimeoutMs ?? this.timeoutMs);
    const maxBytes = byteCapOption("maxBytes", options.maxBytes ?? MAX_RESPONSE_BYTES);
    let opened: GumloopResponse | OpenedStream;
    try {
      opened = await this.#send(definition, { ...input, stream: true }, options, true);
    } catch (error) {
      if (error instanceof APIError && isStreamRefusal(error))
        throw new StreamUnavailableError(definition.name, { refusal: error });
      throw error;
    }
    if (opened instanceof ParsedResponse) {
      // The answer (e.g. a session envelope naming its creator) rides on an error: scrubbed like one.
      const response: GumloopResponse = { ...opened, data: this.#redactor.value(opened.data) };
      throw new StreamUnavailableError(definition.name, { response });
    }
    const sessionId = input["session_id"];
    return new SessionEventStream({
      ...(opened as OpenedStream),
      operation: definition.name,
      signal: options.signal,
      idleTimeoutMs,
      maxBytes,
      sessionId: typeof sessionId === "string" ? sessionId : null,
      redactor: this.#redactor,
    });
  }

  /** The one sending loop of `call()` and `stream()`: validation, auth, attempts and retries. */
  async #send(
    definition: RequestDefinition,
    input: Readonly<Record<string, unknown>>,
    options: CallOptions,
    streaming: boolean,
  ): Promise<GumloopResponse | OpenedStream> {
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
      const result = await sendAttempt(this.#attempts, {
        definition,
        built,
        attempt,
        timeoutMs,
        signal,
        token,
        streaming,
      });
      if (result.kind === "ok") return result.response;
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

  #emit<K extends keyof ClientHooks>(name: K, event: Parameters<NonNullable<ClientHooks[K]>>[0]): void {
    emitHook(this.#hooks, name, event);
  }
}
