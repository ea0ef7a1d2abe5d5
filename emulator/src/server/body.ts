/** Request bodies: read once into memory, then parsed as JSON or multipart/form-data on demand. */
import type { IncomingMessage } from "node:http";
import busboy from "busboy";
import { ApiError, invalidRequest } from "./errors.js";
import { isSecretKey, maskSecrets, maskSecretText, REDACTED } from "./requestLog.js";

/** Largest body the emulator reads; Gumloop's biggest documented upload is 200 MB (session files). */
export const MAX_BODY_BYTES = 256 * 1024 * 1024;

/** One uploaded file of a multipart body. */
export interface UploadedFile {
  /** Form field name (Gumloop's skills routes use `files`). */
  field: string;
  filename: string;
  mediaType: string;
  bytes: Uint8Array;
}

/** A parsed multipart body. Repeated fields keep every value, in order. */
export interface MultipartBody {
  fields: Record<string, string[]>;
  files: UploadedFile[];
}

/** What a request carried, after parsing. */
export type ParsedBody =
  | { kind: "none" }
  | { kind: "json"; value: unknown }
  /** `application/x-www-form-urlencoded`: kept (for the log), refused by every JSON route. */
  | { kind: "form"; value: Record<string, string> }
  /** A body that could not be read: the error is answered only if the handler asks for the body. */
  | { kind: "invalid"; error: ApiError; raw: string }
  | { kind: "multipart"; value: MultipartBody }
  | { kind: "text"; value: string; mediaType: string }
  | { kind: "binary"; value: Uint8Array; mediaType: string };

/**
 * Nesting limit for JSON bodies. Gumloop documents none; the emulator needs one because handlers deep-copy
 * `metadata`/`tools` with structuredClone and serialise with JSON.stringify, both recursive: a body nested
 * thousands of levels deep overflowed the stack and came back as a 500. Real payloads stay far below 64 levels.
 */
export const MAX_JSON_DEPTH = 64;

function tooLarge(): ApiError {
  // `connection: close`: the rest of the upload is not read, so the connection cannot be reused.
  return new ApiError(413, "payload_too_large", `Request body exceeds ${MAX_BODY_BYTES} bytes`, {
    headers: { connection: "close" },
  });
}

/**
 * Reads the whole body. Oversized bodies are answered with 413: at once when `content-length` says so (nothing is
 * read), else as soon as the received bytes pass the limit (what came so far is dropped, the rest is not kept).
 */
export function readRawBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) {
      reject(tooLarge());
      return;
    }
    let chunks: Buffer[] = [];
    let size = 0;
    let overflowed = false;
    req.on("data", (chunk: Buffer) => {
      if (overflowed) return; // keep draining until the 413 closes the connection, but buffer nothing
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        overflowed = true;
        chunks = [];
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/**
 * True when JSON text nests objects/arrays deeper than `max`. A linear scan of the text (brackets inside strings
 * do not count), so the check itself cannot overflow the stack.
 */
export function jsonTooDeep(text: string, max: number = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** 400 `invalid_request` when `text` nests JSON past {@link MAX_JSON_DEPTH}, before anything parses it. */
function checkJsonDepth(text: string, what = "Request body"): void {
  if (jsonTooDeep(text)) throw invalidRequest(`${what} nests JSON deeper than ${MAX_JSON_DEPTH} levels`);
}

/** JSON.parse with the {@link MAX_JSON_DEPTH} cap: 400 `invalid_request` naming the problem. */
export function parseJsonBounded(text: string, what = "Request body"): unknown {
  checkJsonDepth(text, what);
  return JSON.parse(text);
}

/** The media type of a content-type header, lower-cased, without parameters. */
export function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? "").split(";")[0]!.trim().toLowerCase();
}

const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true });

/** A surrogate code unit on its own: in a `u` regex a well-formed pair reads as one code point, not as these. */
const LONE_SURROGATE = /\p{Cs}/u;

/** The body as UTF-8 text; 400 when its bytes are not UTF-8 (a Python backend fails to decode them too). */
function utf8Text(raw: Buffer): string {
  try {
    return STRICT_UTF8.decode(raw);
  } catch {
    throw invalidRequest("Request body is not valid UTF-8");
  }
}

/**
 * The path of the first string (or key) in a parsed JSON value that holds an unpaired surrogate (`"\ud800"`
 * parses, but such a string cannot be encoded as UTF-8 or stored, so a real backend refuses it); null when none.
 * Bounded by the depth check that ran before parsing.
 */
export function unpairedSurrogateAt(value: unknown, path = ""): string | null {
  if (typeof value === "string") return LONE_SURROGATE.test(value) ? path || "body" : null;
  if (value === null || typeof value !== "object") return null;
  const entries = Array.isArray(value)
    ? value.map((item, i) => [String(i), item] as const)
    : Object.entries(value);
  for (const [key, item] of entries) {
    const at = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
    if (LONE_SURROGATE.test(key)) return at;
    const found = unpairedSurrogateAt(item, at);
    if (found) return found;
  }
  return null;
}

/** Parses JSON text strictly: valid JSON, within the depth cap, and every string well-formed Unicode. */
function parseJsonBody(raw: Buffer): unknown {
  const text = utf8Text(raw);
  checkJsonDepth(text);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalidRequest("Request body is not valid JSON");
  }
  const bad = unpairedSurrogateAt(value);
  if (bad) throw invalidRequest(`${bad} contains an unpaired surrogate (not valid Unicode)`, bad);
  return value;
}

/**
 * Parses a raw body by its content type, for handlers that ask for it: a body that cannot be read (JSON that does
 * not parse, bytes that are not UTF-8, a string with an unpaired surrogate) becomes `invalid`, answered with its
 * 400 `invalid_request` only when the handler reads the body (a route that takes none ignores it, as a real
 * backend does). An empty body is `none` whatever the content type.
 */
export async function parseBody(raw: Buffer, headers: IncomingMessage["headers"]): Promise<ParsedBody> {
  try {
    return await parseBodyStrict(raw, headers);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 400) throw error;
    return { kind: "invalid", error, raw: raw.toString("utf8") };
  }
}

async function parseBodyStrict(raw: Buffer, headers: IncomingMessage["headers"]): Promise<ParsedBody> {
  if (raw.length === 0) return { kind: "none" };
  const mediaType = mediaTypeOf(headers["content-type"]);
  if (mediaType === "application/json" || mediaType.endsWith("+json")) {
    return { kind: "json", value: parseJsonBody(raw) };
  }
  if (mediaType === "multipart/form-data")
    return { kind: "multipart", value: await parseMultipart(raw, headers) };
  if (mediaType === "application/x-www-form-urlencoded") {
    // Null prototype: a field named `__proto__` must stay a field, not replace the object's prototype.
    const fields: Record<string, string> = Object.create(null);
    for (const [key, value] of new URLSearchParams(raw.toString("utf8"))) fields[key] = value;
    return { kind: "form", value: fields };
  }
  if (mediaType.startsWith("text/")) return { kind: "text", value: raw.toString("utf8"), mediaType };
  // No content type: try JSON, as lenient servers do, else keep the bytes.
  if (mediaType === "") {
    const text = raw.toString("utf8");
    checkJsonDepth(text);
    try {
      JSON.parse(text);
    } catch {
      return { kind: "binary", value: new Uint8Array(raw), mediaType: "application/octet-stream" };
    }
    return { kind: "json", value: parseJsonBody(raw) };
  }
  return { kind: "binary", value: new Uint8Array(raw), mediaType };
}

function parseMultipart(raw: Buffer, headers: IncomingMessage["headers"]): Promise<MultipartBody> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers, limits: { fileSize: MAX_BODY_BYTES } });
    } catch (error) {
      reject(invalidRequest(`Malformed multipart body: ${(error as Error).message}`));
      return;
    }
    // Null prototype: field names are the client's (see the form case above).
    const body: MultipartBody = { fields: Object.create(null), files: [] };
    const pending: Promise<void>[] = [];
    parser.on("field", (name, value) => {
      (body.fields[name] ??= []).push(value);
    });
    parser.on("file", (field, stream, info) => {
      pending.push(
        new Promise<void>((done, fail) => {
          const chunks: Buffer[] = [];
          stream.on("data", (chunk: Buffer) => chunks.push(chunk));
          stream.on("error", fail);
          stream.on("end", () => {
            body.files.push({
              field,
              filename: info.filename ?? "",
              mediaType: info.mimeType || "application/octet-stream",
              bytes: new Uint8Array(Buffer.concat(chunks)),
            });
            done();
          });
        }),
      );
    });
    parser.on("error", (error: Error) =>
      reject(invalidRequest(`Malformed multipart body: ${error.message}`)),
    );
    parser.on("close", () => {
      Promise.all(pending).then(() => resolve(body), reject);
    });
    parser.end(raw);
  });
}

/**
 * How a body is shown in the request log: JSON (and form bodies) with secrets masked, multipart summarised with
 * secret fields masked, bytes by size. A body that was never parsed (the request failed before, e.g. on auth) is
 * logged as text with secret-looking `"key": "value"` / `key=value` pairs masked.
 */
export function bodyForLog(body: ParsedBody | null, raw: Buffer): unknown {
  if (!body) return raw.length ? maskSecretText(raw.toString("utf8")) : null;
  switch (body.kind) {
    case "none":
      return null;
    case "json":
    case "form":
      return maskSecrets(body.value);
    case "invalid":
      return maskSecretText(body.raw);
    case "text":
      return maskSecretText(body.value);
    case "binary":
      return { mediaType: body.mediaType, size: body.value.length };
    case "multipart":
      return {
        // One value per field reads better in a log; repeated fields keep all their values.
        fields: Object.fromEntries(
          Object.entries(body.value.fields).map(([name, values]) => [
            name,
            isSecretKey(name) ? REDACTED : values.length === 1 ? values[0] : values,
          ]),
        ),
        files: body.value.files.map((f) => ({
          field: f.field,
          filename: f.filename,
          mediaType: f.mediaType,
          size: f.bytes.length,
        })),
      };
  }
}
