/**
 * Many end users, each with their own Gumloop account: a pool that gives every run the client of its user, from
 * credentials an app-provided resolver reads off the run (LangChain's `config.context`, or `configurable`), with
 * one client per account, reused across calls and runs (its keep-alive connections and token refreshes included).
 *
 * The pool never reads module globals or the environment for a run's credentials: a run without credentials is
 * refused, never served with somebody else's client.
 */
import { createHash } from "node:crypto";
import { GumloopClient } from "./client.js";
import { GumloopError } from "./errors.js";
import type { GumloopClientOptions } from "./types.js";

/** One end user's Gumloop credentials. */
export interface GumloopCredentials {
  /**
   * A stable name of the account, for the pool's cache and the concurrency gate. Needed with an `accessToken`
   * function (a function cannot be told apart from another); otherwise derived from the credentials.
   */
  readonly account?: string;
  readonly apiKey?: string;
  readonly userId?: string;
  readonly teamId?: string;
  readonly accessToken?: GumloopClientOptions["accessToken"];
  readonly baseUrl?: string;
  readonly streamBaseUrl?: string;
}

/** What a resolver sees of a run: LangGraph's / LangChain's run config (its `context` and `configurable`). */
export interface RunCredentialsSource {
  readonly context?: unknown;
  readonly configurable?: Readonly<Record<string, unknown>>;
}

/** Reads the current end user's credentials off a run; undefined when the run carries none. */
export type CredentialsResolver = (
  run: RunCredentialsSource,
) => GumloopCredentials | undefined | Promise<GumloopCredentials | undefined>;

/** Options of a {@link GumloopClientPool}. */
export interface GumloopClientPoolOptions {
  /** Reads the end user's credentials off each run. */
  readonly resolve: CredentialsResolver;
  /** Client options every user's client shares (timeouts, retries, hooks, transport, seams). Never credentials. */
  readonly defaults?: Omit<GumloopClientOptions, keyof GumloopCredentials | "env">;
  /** Accounts whose clients are kept; the least recently used is let go beyond it. @default 1000 */
  readonly maxClients?: number;
}

/** One client per end-user account, chosen per run. */
export class GumloopClientPool {
  readonly #resolve: CredentialsResolver;
  readonly #defaults: GumloopClientPoolOptions["defaults"];
  readonly #maxClients: number;
  readonly #clients = new Map<string, { readonly client: GumloopClient; readonly account: string }>();

  constructor(options: GumloopClientPoolOptions) {
    this.#resolve = options.resolve;
    this.#defaults = options.defaults;
    this.#maxClients = options.maxClients ?? 1_000;
  }

  /** Accounts with a client in the pool. */
  get size(): number {
    return this.#clients.size;
  }

  /**
   * The client of the run's end user, and the account it belongs to. Throws, naming the fix, when the run carries
   * no credentials: no other user's client is ever used instead.
   */
  async clientFor(
    run: RunCredentialsSource | undefined,
  ): Promise<{ client: GumloopClient; account: string }> {
    const credentials = await this.#resolve(run ?? {});
    if (!credentials || (!credentials.apiKey && !credentials.accessToken)) {
      throw new GumloopError(
        "This run carries no Gumloop credentials: the pool's resolver found none in its context. Pass the end " +
          "user's credentials in the run's context (or configurable), where the resolver reads them.",
      );
    }
    const account = accountOf(credentials);
    const cached = this.#clients.get(account);
    if (cached) {
      // Most recently used last, so the first entry is the one to let go.
      this.#clients.delete(account);
      this.#clients.set(account, cached);
      return cached;
    }
    const { account: _name, ...options } = credentials;
    const entry = { client: new GumloopClient({ ...this.#defaults, ...options, env: {} }), account };
    this.#clients.set(account, entry);
    while (this.#clients.size > this.#maxClients) this.#clients.delete(this.#clients.keys().next().value!);
    return entry;
  }
}

/**
 * Where a tool or graph gets its client: one client for every run, or a pool that picks the client of each run's
 * end user.
 */
export type ClientSource = GumloopClient | GumloopClientPool;

/**
 * The client a call of this run goes through: the one client, or the pool's client of the run's end user (read
 * off its context or configurable). Throws, like the pool, when a pool's run carries no credentials.
 */
export async function clientForRun(
  source: ClientSource,
  run: RunCredentialsSource | undefined,
): Promise<GumloopClient> {
  return source instanceof GumloopClientPool ? (await source.clientFor(run)).client : source;
}

/** A stable, non-reversible name of an account: its given name, or a hash of what identifies it. */
function accountOf(credentials: GumloopCredentials): string {
  if (credentials.account) return credentials.account;
  if (typeof credentials.accessToken === "function") {
    throw new GumloopError(
      "Credentials with an accessToken function need an `account` name (a function cannot be told apart from another).",
    );
  }
  const identity = [
    credentials.baseUrl ?? "",
    credentials.userId ?? "",
    credentials.teamId ?? "",
    credentials.apiKey ?? credentials.accessToken ?? "",
  ].join("\u0000");
  return `acct_${createHash("sha256").update(identity).digest("hex").slice(0, 24)}`;
}
