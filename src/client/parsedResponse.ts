/**
 * A response that remembers the JSON text its data was parsed from, in a private field (not a property, so the
 * artifact keeps the documented shape and compares, clones and serialises as before). Consumers that would
 * otherwise serialise the same data again, such as a tool's model content, read it with `ParsedResponse.textOf`.
 * A private field instead of a WeakMap side table: it costs nothing extra to collect.
 */
import type { BodyFormat } from "./decode.js";
import type { RateLimitInfo } from "./rateLimit.js";
import type { GumloopResponse } from "./types.js";

export class ParsedResponse implements GumloopResponse {
  readonly #text: string | undefined;

  constructor(
    readonly operation: string,
    readonly status: number,
    readonly format: BodyFormat,
    readonly data: unknown,
    readonly mediaType: string | null,
    readonly rateLimit: RateLimitInfo,
    readonly requestId: string | null,
    readonly attempts: number,
    text: string | undefined,
  ) {
    this.#text = text;
  }

  /** The text `response.data` was parsed from, when the client read it as JSON. */
  static textOf(response: object): string | undefined {
    return #text in response ? response.#text : undefined;
  }
}
