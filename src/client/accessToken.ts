/**
 * OAuth access tokens that change: the caller supplies a function, the client asks it for a token on first use
 * and again, once per call, after a 401 (the request was refused before any work, so repeating it is safe even
 * for a write). Concurrent calls share one fetch and one refresh. Every token obtained is added to the redactor,
 * so a refreshed token is as invisible in errors and hooks as a configured key.
 */
import { Deadline } from "./deadline.js";
import { GumloopError } from "./errors.js";
import type { Redactor } from "./redact.js";

/**
 * Returns a current OAuth access token. `refresh: true` means the last token was refused (401): return a new
 * one (e.g. from your refresh token), not the cached one.
 */
export type AccessTokenProvider = (request: { readonly refresh: boolean }) => string | Promise<string>;

export class TokenSource {
  readonly #provider: AccessTokenProvider;
  readonly #redactor: Redactor;
  #token: string | undefined;
  #pending: Promise<string> | undefined;

  constructor(provider: AccessTokenProvider, redactor: Redactor) {
    this.#provider = provider;
    this.#redactor = redactor;
  }

  /** The token to send: the cached one, or one fetched for all callers waiting at the same time. */
  get(): string | Promise<string> {
    return this.#token ?? this.#fetch(false);
  }

  /** A new token after `refused` got a 401; if another call already replaced it, that newer token. */
  refresh(refused: string): string | Promise<string> {
    if (this.#token !== undefined && this.#token !== refused) return this.#token;
    return this.#fetch(true);
  }

  #fetch(refresh: boolean): Promise<string> {
    this.#pending ??= (async () => {
      try {
        const token = await this.#provider({ refresh });
        if (typeof token !== "string" || token.length === 0) {
          throw new GumloopError("the accessToken function returned no token (expected a non-empty string)");
        }
        this.#redactor.add(token);
        this.#token = token;
        return token;
      } catch (error) {
        if (error instanceof GumloopError) throw error;
        const detail = error instanceof Error ? this.#redactor.text(error.message) : "unknown error";
        throw new GumloopError(`could not get a Gumloop access token: ${detail}`);
      } finally {
        this.#pending = undefined;
      }
    })();
    return this.#pending;
  }
}

/**
 * A token from {@link TokenSource.get} or `refresh`, bounded by the call's time limit and signal: a provider that
 * never answers must not hang the call past its timeout, nor ignore the caller's abort. The provider is not
 * cancelled (it takes no signal, and other calls may share its answer); the call just stops waiting for it.
 */
export async function awaitToken(
  pending: string | Promise<string>,
  operation: string,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  aborted: () => Error,
): Promise<string> {
  if (typeof pending === "string") return pending;
  const deadline = new Deadline(timeoutMs, signal);
  try {
    return await deadline.race(pending);
  } catch (error) {
    if (deadline.callerAborted) throw aborted();
    if (deadline.expired) {
      throw new GumloopError(
        `${operation} failed: the accessToken function did not return a token within ${timeoutMs} ms, so ` +
          "nothing was sent. Check the token provider (e.g. its refresh request).",
      );
    }
    throw error;
  } finally {
    deadline.dispose();
  }
}
