/**
 * Reads a live `text/event-stream` answer frame by frame with plain fetch, for the session stream contract tests.
 * Deliberately small (frames split at blank lines, `data:` and comment lines only: what the emulator sends), and
 * independent of the client's parser, which the root suites test.
 */
import type { Emulator } from "../src/index.js";
import { authHeaders } from "./helpers.js";

/** One SSE frame: a comment (keep-alive), or an event with its data text and (when it parses) its JSON. */
export interface Frame {
  readonly comment?: string;
  readonly data?: string;
  readonly json?: any;
}

/** An open stream answer. */
export interface OpenStream {
  readonly status: number;
  readonly headers: Headers;
  /** The next frame; null at the stream's end. Rejects when the connection breaks mid-stream. */
  next(): Promise<Frame | null>;
  /** Frames until the end (or until `until` returns true for one), events only unless `comments`. */
  collect(options?: { comments?: boolean; until?: (frame: Frame) => boolean }): Promise<Frame[]>;
  /** Closes the connection. */
  close(): void;
}

function parseFrame(block: string): Frame | null {
  const data: string[] = [];
  let comment: string | undefined;
  for (const line of block.split("\n")) {
    if (line.startsWith(":")) comment = line.slice(1).trim();
    else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
  }
  if (data.length === 0) return comment === undefined ? null : { comment };
  const text = data.join("\n");
  try {
    return { data: text, json: JSON.parse(text) };
  } catch {
    return { data: text };
  }
}

/** Sends a request to the streaming host and returns its answer, open. */
export async function openStream(
  emulator: Emulator,
  method: "GET" | "POST",
  path: string,
  body?: unknown,
  query: Record<string, string> = {},
): Promise<OpenStream> {
  const url = new URL(`${emulator.streamUrl}${path}`);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  const controller = new AbortController();
  const res = await fetch(url, {
    method,
    headers: {
      ...authHeaders(emulator),
      accept: "text/event-stream",
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? null : JSON.stringify(body),
    signal: controller.signal,
  });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let ended = false;
  const next = async (): Promise<Frame | null> => {
    for (;;) {
      const cut = buffer.indexOf("\n\n");
      if (cut >= 0) {
        const frame = parseFrame(buffer.slice(0, cut));
        buffer = buffer.slice(cut + 2);
        if (frame) return frame;
        continue;
      }
      if (ended) return null;
      const { done, value } = await reader.read();
      if (done) ended = true;
      else buffer += decoder.decode(value, { stream: true });
    }
  };
  return {
    status: res.status,
    headers: res.headers,
    next,
    async collect(options = {}) {
      const frames: Frame[] = [];
      for (let frame = await next(); frame; frame = await next()) {
        if (frame.comment !== undefined && !options.comments) continue;
        frames.push(frame);
        if (options.until?.(frame)) break;
      }
      return frames;
    },
    close: () => controller.abort(),
  };
}

/** The event types of frames. */
export const types = (frames: readonly Frame[]) => frames.map((frame) => frame.json?.type as string);
