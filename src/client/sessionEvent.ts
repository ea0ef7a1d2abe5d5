/**
 * One event of a Gumloop session stream, as the client hands it out, and how a parsed Server-Sent Event becomes
 * one.
 *
 * What is known (gumloop-api.md 3.7): each event's `data` is a JSON object with `type`, `data`, `stream_cursor`,
 * `final`, `finishReason`, `error`, `errorMessage` and other keys; Gumloop's SDK takes the SSE `event:` name as the
 * type when the JSON has none. Types seen live: `interaction-ready` (`interaction_id`, `stream_cursor`),
 * `text-start` (`id`), `text-delta` (`id`, `delta`, `stream_cursor`), `text-end`, `finish` (`finishReason`,
 * `final`, `queuedContinuation`), where `finish` may come twice (`final: false`, then `final: true`) and a `stop`
 * finish may also mean the session paused for approval. The full schema is not published, so every field is read
 * defensively and the whole object stays in `raw`.
 */

/** One event of a session stream. */
export interface SessionStreamEvent {
  /** The JSON's `type`, else the SSE `event:` name, else `"message"` (the SSE default). */
  readonly type: string;
  /** The JSON's `data` field (custom `data-*` events carry their payload there), or null. */
  readonly data: unknown;
  /** `stream_cursor`: resume after this event with it. Null when the event has none. */
  readonly cursor: string | null;
  /** `final` on `finish` events: false for a step's end, true for the run's; null when absent. */
  readonly final: boolean | null;
  /** `finishReason`, e.g. `"stop"`; `"not_resumable"` when a resumed session had already finished. */
  readonly finishReason: string | null;
  /** `error`: the error's code or text when the event reports one (an object or `true` is given as JSON text). */
  readonly error: string | null;
  /** `errorMessage`: the human text of that error. */
  readonly errorMessage: string | null;
  /** The whole JSON object as sent, unknown keys included (e.g. `delta`, `id`, `interaction_id`). */
  readonly raw: Readonly<Record<string, unknown>>;
}

/** A parsed SSE message: its `event:` name (if any) and its `data:` text. */
export interface SseMessage {
  readonly event?: string | undefined;
  readonly data: string;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

/** `error` as text: a string as is, anything else present (an object, `true`) as short JSON. */
function errorText(value: unknown): string | null {
  if (value === undefined || value === null || value === false || value === "") return null;
  if (typeof value === "string") return value;
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}

/**
 * The event a parsed SSE message carries, or null when its data is not a JSON object (a malformed event: the
 * stream skips it and counts it, see eventStream.ts).
 */
export function sessionEventOf(message: SseMessage): SessionStreamEvent | null {
  let json: unknown;
  try {
    json = JSON.parse(message.data);
  } catch {
    return null;
  }
  if (json === null || typeof json !== "object" || Array.isArray(json)) return null;
  const raw = json as Record<string, unknown>;
  return {
    type: stringOrNull(raw["type"]) ?? stringOrNull(message.event) ?? "message",
    data: raw["data"] ?? null,
    cursor: stringOrNull(raw["stream_cursor"]),
    final: typeof raw["final"] === "boolean" ? raw["final"] : null,
    finishReason: stringOrNull(raw["finishReason"]),
    error: errorText(raw["error"]),
    errorMessage: stringOrNull(raw["errorMessage"]),
    raw,
  };
}

/**
 * The session id an event names: `interaction_id` (seen on `interaction-ready`; Gumloop's API also calls a
 * session an interaction), or `session_id` (inference: not seen live, read in case a later version uses it).
 */
export function sessionIdOf(event: SessionStreamEvent): string | null {
  return stringOrNull(event.raw["interaction_id"]) ?? stringOrNull(event.raw["session_id"]);
}
