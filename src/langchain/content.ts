/**
 * What a tool shows the model: one JSON shape, `{"result": ..., "next_cursor": ...}`, within a size budget.
 * The full typed response always goes to the tool artifact; binary and file bodies (zips, files, CSV downloads)
 * never enter the model's context: it sees their name, media type and size.
 */
import type { GumloopResponse } from "../client/client.js";
import type { BinaryBody } from "../client/decode.js";
import type { Pagination } from "../client/definition.js";
import { ParsedResponse } from "../client/parsedResponse.js";

/** Default cap on the text a tool returns to the model (~4k tokens). */
export const DEFAULT_MAX_CONTENT_CHARS = 16_000;

interface Shaped {
  result: unknown;
  next_cursor?: string | number;
  truncated?: string;
}

/** The cursor (or next page number) to continue with, and the body without it. */
function splitPagination(
  data: unknown,
  input: Readonly<Record<string, unknown>>,
  pagination: Pagination | undefined,
) {
  if (!pagination || data === null || typeof data !== "object" || Array.isArray(data))
    return { result: data };
  const body = { ...(data as Record<string, unknown>) };
  if (pagination.style === "cursor") {
    const next = body[pagination.nextCursorField];
    delete body[pagination.nextCursorField];
    return typeof next === "string" && next ? { result: body, next_cursor: next } : { result: body };
  }
  const page = Number(input[pagination.pageParam] ?? body["page"] ?? 1);
  const total = Number(body[pagination.totalPagesField]);
  return Number.isFinite(total) && page < total ? { result: body, next_cursor: page + 1 } : { result: body };
}

function fileSummary(response: GumloopResponse, fallbackName: string | null) {
  const binary = response.format === "binary" ? (response.data as BinaryBody) : null;
  const size = binary ? binary.size : new TextEncoder().encode(String(response.data)).length;
  return {
    file: {
      filename: binary?.filename ?? fallbackName,
      media_type: response.mediaType,
      size,
    },
    note: "File content is in the tool artifact, not shown here.",
  };
}

/** Copy of `value` with every string longer than `max` cut, saying how much was cut. */
function capStrings(value: unknown, max: number): unknown {
  if (typeof value === "string") {
    return value.length > max ? `${value.slice(0, max)}…[${value.length - max} more chars]` : value;
  }
  if (Array.isArray(value)) return value.map((item) => capStrings(item, max));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, capStrings(item, max)]));
  }
  return value;
}

/** The largest array directly under `result` (the list of a list response), if any. */
function mainArray(result: unknown): { key: string | null; items: unknown[] } | null {
  if (Array.isArray(result)) return { key: null, items: result };
  if (result === null || typeof result !== "object") return null;
  let best: { key: string; items: unknown[] } | null = null;
  for (const [key, value] of Object.entries(result)) {
    if (Array.isArray(value) && (!best || JSON.stringify(value).length > JSON.stringify(best.items).length)) {
      best = { key, items: value };
    }
  }
  return best;
}

function withItems(result: unknown, key: string | null, items: unknown[]): unknown {
  return key === null ? items : { ...(result as Record<string, unknown>), [key]: items };
}

/** How a payload and the notes about it are laid out: `{"result": payload, ...notes}` or the payload's own keys. */
type Layout = (payload: unknown, notes: Omit<Shaped, "result">) => unknown;

const RESULT_LAYOUT: Layout = (payload, notes) => ({ result: payload, ...notes });

/** Fits the shaped content into `maxChars`: shortens long strings, then cuts the main list, then the text. */
function fit(shaped: Shaped, maxChars: number, pageSizeParam: string | null, layout = RESULT_LAYOUT): string {
  const { result, ...notes } = shaped;
  let text = JSON.stringify(layout(result, notes));
  if (text.length <= maxChars) return text;
  for (const max of [2_000, 500, 120]) {
    const truncated = `Long text fields were shortened to ${max} chars; the full response is in the tool artifact.`;
    text = JSON.stringify(layout(capStrings(result, max), { ...notes, truncated }));
    if (text.length <= maxChars) return text;
  }
  const list = mainArray(result);
  if (list && list.items.length > 1) {
    const shortened = capStrings(result, 120);
    const shortList = mainArray(shortened)!;
    for (let keep = shortList.items.length - 1; keep >= 1; keep = Math.floor(keep * 0.8)) {
      const how = pageSizeParam
        ? `Call again with ${pageSizeParam}=${keep} (same cursor) to page through them`
        : "The full list is in the tool artifact";
      const truncated = `Showing ${keep} of ${shortList.items.length} ${shortList.key ?? "items"} to fit the size limit. ${how}.`;
      text = JSON.stringify(
        layout(withItems(shortened, shortList.key, shortList.items.slice(0, keep)), { ...notes, truncated }),
      );
      if (text.length <= maxChars) return text;
      if (keep === 1) break;
    }
  }
  return excerpt(shaped, maxChars);
}

/**
 * Last resort: the start of the result's JSON text as a string, with the cursor kept. The excerpt is JSON inside
 * JSON, so escaping can make it longer than the characters taken: shrink it by the overshoot until the whole fits.
 */
function excerpt(shaped: Shaped, maxChars: number): string {
  const full = JSON.stringify(shaped.result);
  const rest = {
    ...(shaped.next_cursor !== undefined ? { next_cursor: shaped.next_cursor } : {}),
    truncated: "Response cut to fit the size limit; the full response is in the tool artifact.",
  };
  let take = Math.max(0, maxChars - JSON.stringify({ result_excerpt: "", ...rest }).length);
  for (;;) {
    const text = JSON.stringify({ result_excerpt: full.slice(0, take), ...rest });
    if (text.length <= maxChars || take === 0) return text;
    take = Math.max(0, take - (text.length - maxChars));
  }
}

/**
 * The model-facing text of an object the package built itself (a composite tool's job summary), within the same
 * budget as an API response: long strings shortened and the longest list cut before anything is cut mid-text, so
 * the JSON stays whole; a note says what was shortened.
 */
export function toModelJson(
  summary: Record<string, unknown>,
  maxChars: number = DEFAULT_MAX_CONTENT_CHARS,
): string {
  return fit({ result: summary }, maxChars, null, (payload, notes) => ({
    ...(payload as Record<string, unknown>),
    ...notes,
  }));
}

/** The model-facing text of a tool response. */
export function toModelContent(
  response: GumloopResponse,
  input: Readonly<Record<string, unknown>>,
  pagination: Pagination | undefined,
  maxChars: number = DEFAULT_MAX_CONTENT_CHARS,
): string {
  let shaped: Shaped;
  if (response.format === "binary" || response.format === "text") {
    const name = typeof input["file_name"] === "string" ? input["file_name"] : null;
    shaped = { result: fileSummary(response, name) };
  } else if (response.format === "empty") {
    shaped = { result: { status: response.status, body: null } };
  } else {
    // Most responses go to the model as the server wrote them: reuse that text instead of serialising the parsed
    // data again. Only compact text qualifies (pretty-printed JSON would cost the model tokens for whitespace).
    const text = pagination ? undefined : ParsedResponse.textOf(response);
    if (text !== undefined && !text.includes("\n")) {
      const content = `{"result":${text}}`;
      if (content.length <= maxChars) return content;
    }
    shaped = splitPagination(response.data, input, pagination);
  }
  // Every paginated Gumloop list takes `page_size`: the model can ask for smaller pages instead of losing items.
  return fit(shaped, maxChars, pagination ? "page_size" : null);
}
