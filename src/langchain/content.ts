/**
 * What a tool shows the model: Truto's unified shape, `{"result": ..., "next_cursor": ...}`, within a size budget.
 * `result` is the list itself for list tools and the resource itself for single gets; fields Gumloop sends beside
 * its wrapper (`queue_position`, `total_count`) stay beside `result`. The full typed response always goes to the
 * tool artifact. A file's bytes reach the model only as text it asked to read (see readContent.ts); otherwise it
 * sees the file's name, media type and size.
 */
import type { GumloopResponse } from "../client/client.js";
import type { BinaryBody } from "../client/decode.js";
import type { Pagination } from "../client/definition.js";
import { ParsedResponse } from "../client/parsedResponse.js";
import { fit, fitString, RESULT_LAYOUT, type Notes } from "./fit.js";

/** Default cap on the text a tool returns to the model (~4k tokens). */
export const DEFAULT_MAX_CONTENT_CHARS = 16_000;

/** What shapes a tool's content: how it pages, where its result is, which list keeps its newest items. */
export interface ContentShape {
  readonly pagination?: Pagination | undefined;
  /** The body key holding the list or resource (default: the pagination's items field). */
  readonly result?: string | undefined;
  readonly newestLast?: string | undefined;
  /** The input flag that asks to read a file's text, for the note on files shown without it. */
  readonly readable?: { readonly flag: string } | undefined;
}

/** A file's text as a tool read it for the model (see readContent.ts). */
export interface FileText {
  /** The text, or null when the file is not text (then it stays in the artifact). */
  readonly text: string | null;
  readonly mediaType: string | null;
  readonly size: number;
  /** For a package: the file of it whose text this is, e.g. `"SKILL.md"`. */
  readonly entry?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The cursor (or next page number) to continue with. */
function nextCursor(
  body: Record<string, unknown>,
  input: Readonly<Record<string, unknown>>,
  pagination: Pagination,
): string | number | undefined {
  if (pagination.style === "cursor") {
    const next = body[pagination.nextCursorField];
    return typeof next === "string" && next ? next : undefined;
  }
  // Page-number paging (audit logs): the next page number is the cursor the model passes back as `page`.
  const page = Number(input[pagination.pageParam] ?? body["page"] ?? 1);
  const total = Number(body[pagination.totalPagesField]);
  return Number.isFinite(total) && page < total ? page + 1 : undefined;
}

/** Gumloop's body in the unified shape: the payload for `result`, and the notes beside it. */
function unify(
  data: unknown,
  input: Readonly<Record<string, unknown>>,
  shape: ContentShape,
): { payload: unknown; notes: Record<string, unknown> } {
  if (!isRecord(data)) return { payload: data, notes: {} };
  const body = { ...data };
  const { pagination } = shape;
  const next = pagination ? nextCursor(body, input, pagination) : undefined;
  if (pagination?.style === "cursor") delete body[pagination.nextCursorField];
  const key = shape.result ?? pagination?.itemsField;
  let payload: unknown = body;
  let siblings: Record<string, unknown> = {};
  if (key !== undefined && Object.hasOwn(body, key)) {
    const { [key]: inner, ...rest } = body;
    payload = inner;
    siblings = rest;
  }
  return { payload, notes: { ...siblings, ...(next !== undefined ? { next_cursor: next } : {}) } };
}

/** What the model sees of a file body (a download, a CSV): its name, type and size. */
function fileInfo(response: GumloopResponse, input: Readonly<Record<string, unknown>>) {
  const binary = response.format === "binary" ? (response.data as BinaryBody) : null;
  const name = typeof input["file_name"] === "string" ? input["file_name"] : null;
  return {
    filename: binary?.filename ?? name,
    media_type: response.mediaType,
    size: binary ? binary.size : new TextEncoder().encode(String(response.data)).length,
  };
}

/**
 * The payload with the file's text under `content`, the text cut to what the budget leaves (with a note), or a
 * note that the file is not text.
 */
function withFileText(payload: unknown, notes: Notes, file: FileText, maxChars: number): string {
  const base = isRecord(payload) ? payload : { value: payload };
  const about = file.entry ? { content_file: file.entry } : {};
  if (file.text === null) {
    const note = `Not text (${file.mediaType ?? "unknown type"}, ${file.size} bytes): the bytes are in the tool artifact.`;
    return fit({ ...base, ...about, content_note: note }, notes, maxChars);
  }
  const text = file.text;
  const whole = JSON.stringify(RESULT_LAYOUT({ ...base, ...about, content: text }, notes));
  if (whole.length <= maxChars) return whole;
  // The rest first (shortened to fit half the budget at most), then the text takes what is left.
  const rest = JSON.parse(fit({ ...base, ...about }, notes, Math.floor(maxChars / 2))) as Record<
    string,
    unknown
  >;
  const { result, ...restNotes } = rest;
  const restPayload = isRecord(result) ? result : base;
  return fitString(text, maxChars, (cut) =>
    RESULT_LAYOUT(
      { ...restPayload, content: cut },
      {
        ...restNotes,
        truncated: `content cut to ${cut.length} of ${text.length} chars to fit the size limit; the whole file is in the tool artifact.`,
      },
    ),
  );
}

/** The model-facing text of a tool response, with a file's text when the tool read one for the model. */
export function toModelContent(
  response: GumloopResponse,
  input: Readonly<Record<string, unknown>>,
  shape: ContentShape = {},
  maxChars: number = DEFAULT_MAX_CONTENT_CHARS,
  file?: FileText,
): string {
  let payload: unknown;
  let notes: Record<string, unknown> = {};
  if (response.format === "binary" || response.format === "text") {
    payload = fileInfo(response, input);
    if (!file) {
      const how = shape.readable ? ` Pass ${shape.readable.flag}=true to read a text file.` : "";
      notes = { note: `File content is in the tool artifact, not shown here.${how}` };
    }
  } else if (response.format === "empty") {
    payload = { status: response.status, body: null };
  } else {
    // A body shown whole goes to the model as the server wrote it: reuse that text instead of serialising the
    // parsed data again. Only compact text qualifies (pretty-printed JSON would cost tokens for whitespace).
    const whole = !shape.pagination && shape.result === undefined && !file;
    const text = whole ? ParsedResponse.textOf(response) : undefined;
    if (text !== undefined && !text.includes("\n")) {
      const content = `{"result":${text}}`;
      if (content.length <= maxChars) return content;
    }
    ({ payload, notes } = unify(response.data, input, shape));
  }
  if (file) return withFileText(payload, notes, file, maxChars);
  // Every paginated Gumloop list takes `page_size`: the model can ask for smaller pages instead of losing items.
  return fit(payload, notes, maxChars, {
    pageSizeParam: shape.pagination ? "page_size" : null,
    newestLast: shape.newestLast,
  });
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
  return fit(summary, {}, maxChars, {
    layout: (payload, notes) => ({ ...(payload as Record<string, unknown>), ...notes }),
  });
}
