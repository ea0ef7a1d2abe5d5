/**
 * The GumloopClient the research agent uses: the library's client, unchanged, plus what a terminal needs from
 * it. Every tool and graph node sends its requests through `call`, so this one place sees each request start and
 * end (for the waiting line) and each failure as its typed error, before a tool turns it into text for the model.
 * Without that, a bad key or an unreachable host reached the user only as whatever the model made of it.
 */
import {
  GumloopClient,
  type CallOptions,
  type GumloopClientOptions,
  type GumloopResponse,
  type RequestDefinition,
} from "langchain-gumloop";
import type { Waits } from "./waits.js";

export interface ClientObserver {
  /** A call is about to be sent (the input is as given: ids, text; the client adds the credentials). */
  onCall?(operation: string, input: Readonly<Record<string, unknown>>): void;
  /** A call failed, after the client's own retries. */
  onFailure?(error: unknown, operation: string): void;
}

export class ObservedClient extends GumloopClient {
  readonly #waits: Waits;
  readonly #observer: ClientObserver;

  constructor(options: GumloopClientOptions, waits: Waits, observer: ClientObserver = {}) {
    super(options);
    this.#waits = waits;
    this.#observer = observer;
  }

  /** How the waiting line names this server: its address and how long one request may take. */
  describeWait(operation: string): string {
    return `Gumloop at ${this.baseUrl} to answer ${operation} (a request gives up after ${Math.round(this.timeoutMs / 1000)} s)`;
  }

  override async call<T = unknown>(
    definition: RequestDefinition<T>,
    input: Readonly<Record<string, unknown>> = {},
    options: CallOptions = {},
  ): Promise<GumloopResponse<T>> {
    this.#observer.onCall?.(definition.name, input);
    const done = this.#waits.begin("request", this.describeWait(definition.name));
    try {
      return await super.call<T>(definition, input, options);
    } catch (error) {
      this.#observer.onFailure?.(error, definition.name);
      throw error;
    } finally {
      done();
    }
  }
}
