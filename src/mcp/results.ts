/**
 * LangChain tool output → MCP `CallToolResult`. The text block is exactly what the LangChain tool shows the model;
 * `structuredContent` is the same JSON as an object (MCP asks for both, for clients that read either). Files never
 * travel as base64 text: text-like files become embedded text resources (capped), signed download URLs become
 * resource links, and anything else is described (name, type, size) in the text only. Errors are tool errors
 * (`isError`) with the model-readable message, and for a 429 the wait the server asked for.
 */
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { GumloopResponse } from "../client/client.js";
import type { BinaryBody } from "../client/decode.js";
import { GumloopError, GumloopValidationError, isRateLimitError } from "../client/errors.js";
import { isTextLike } from "../langchain/readContent.js";

/** Default cap on the text of one embedded resource. */
export const DEFAULT_MAX_RESOURCE_CHARS = 32_000;

type Block = CallToolResult["content"][number];

function capped(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}\n…[${text.length - max} more chars not shown]` : text;
}

/** An embedded text resource, or null when the bytes are not text. */
export function textResource(
  uri: string,
  mediaType: string | null,
  content: string | Uint8Array,
  maxChars: number,
): Block | null {
  if (!isTextLike(mediaType)) return null;
  const text =
    typeof content === "string" ? content : new TextDecoder("utf-8", { fatal: false }).decode(content);
  return { type: "resource", resource: { uri, mimeType: mediaType!, text: capped(text, maxChars) } };
}

/** `structuredContent` for a text block that holds a JSON object; nothing otherwise. */
function structured(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** A successful result: the model's text, the same JSON as structured content, and any file blocks. */
export function toolResult(text: string, extra: readonly Block[] = []): CallToolResult {
  const structuredContent = structured(text);
  return {
    content: [{ type: "text", text }, ...extra],
    ...(structuredContent ? { structuredContent } : {}),
  };
}

/** File blocks for one catalogue response: a text file embedded, a signed download URL linked. */
export function responseFiles(response: GumloopResponse, maxChars: number): Block[] {
  if (response.format === "text") {
    const uri = `gumloop://responses/${response.operation}`;
    const block = textResource(uri, response.mediaType, String(response.data), maxChars);
    return block ? [block] : [];
  }
  if (response.format === "binary") {
    const body = response.data as BinaryBody;
    const uri = `gumloop://responses/${response.operation}/${encodeURIComponent(body.filename ?? "file")}`;
    const block = textResource(uri, body.mediaType, body.bytes, maxChars);
    return block ? [block] : [];
  }
  if (response.format !== "json" || !response.data || typeof response.data !== "object") return [];
  const data = response.data as Record<string, unknown>;
  const url = data["download_url"] ?? data["url"];
  if (typeof url !== "string" || !/^https?:\/\//.test(url)) return [];
  const name = data["filename"] ?? data["name"];
  const mediaType = data["media_type"] ?? data["mime_type"];
  return [
    {
      type: "resource_link",
      uri: url,
      name: typeof name === "string" ? name : "download",
      ...(typeof mediaType === "string" ? { mimeType: mediaType } : {}),
    },
  ];
}

/** Seconds to wait before calling again, when the error is a 429 that said. */
function retryAfterSeconds(error: unknown): number | null {
  if (!isRateLimitError(error) || error.retryAfterMs === null) return null;
  return Math.max(1, Math.ceil(error.retryAfterMs / 1_000));
}

/**
 * A tool error for `error`: our own errors keep their message (already free of secrets); anything else is passed
 * through `redact` first. A 429 says how long the server asked to wait.
 */
export function errorResult(tool: string, error: unknown, redact: (text: string) => string): CallToolResult {
  const known = error instanceof GumloopError;
  const raw = error instanceof Error ? error.message : String(error);
  let message = known ? raw : redact(raw);
  if (!known && (error as { name?: string })?.name === "ToolInputParsingException") {
    message = `Invalid arguments for ${tool}: ${redact(raw.replace(/^Received tool input did not match expected schema\s*/, ""))}`;
  }
  const wait = retryAfterSeconds(error);
  if (wait !== null) message += ` Gumloop asked to wait ${wait} s before calling again.`;
  const status = (error as { status?: unknown })?.status;
  return {
    isError: true,
    content: [{ type: "text", text: message }],
    structuredContent: {
      error: {
        type:
          error instanceof GumloopValidationError ? "invalid_arguments" : ((error as Error)?.name ?? "Error"),
        ...(typeof status === "number" ? { status } : {}),
        ...(wait !== null ? { retry_after_seconds: wait } : {}),
        message,
      },
    },
  };
}
