/** Request bodies: read once into memory, then parsed as JSON or multipart/form-data on demand. */
import type { IncomingMessage } from "node:http";
import busboy from "busboy";
import { ApiError, invalidRequest } from "./errors.js";

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
  | { kind: "multipart"; value: MultipartBody }
  | { kind: "text"; value: string; mediaType: string }
  | { kind: "binary"; value: Uint8Array; mediaType: string };

/** Reads the whole body. Oversized bodies are answered with 413. */
export function readRawBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new ApiError(413, "payload_too_large", `Request body exceeds ${MAX_BODY_BYTES} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** The media type of a content-type header, lower-cased, without parameters. */
export function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? "").split(";")[0]!.trim().toLowerCase();
}

/**
 * Parses a raw body by its content type. JSON that does not parse is a 400 `invalid_request`, as on Gumloop's
 * newer routes. An empty body is `none` whatever the content type.
 */
export async function parseBody(raw: Buffer, headers: IncomingMessage["headers"]): Promise<ParsedBody> {
  if (raw.length === 0) return { kind: "none" };
  const mediaType = mediaTypeOf(headers["content-type"]);
  if (mediaType === "application/json" || mediaType.endsWith("+json")) {
    try {
      return { kind: "json", value: JSON.parse(raw.toString("utf8")) };
    } catch {
      throw invalidRequest("Request body is not valid JSON");
    }
  }
  if (mediaType === "multipart/form-data")
    return { kind: "multipart", value: await parseMultipart(raw, headers) };
  if (mediaType === "application/x-www-form-urlencoded") {
    const fields: Record<string, unknown> = {};
    for (const [key, value] of new URLSearchParams(raw.toString("utf8"))) fields[key] = value;
    return { kind: "json", value: fields };
  }
  if (mediaType.startsWith("text/")) return { kind: "text", value: raw.toString("utf8"), mediaType };
  // No content type: try JSON, as lenient servers do, else keep the bytes.
  if (mediaType === "") {
    try {
      return { kind: "json", value: JSON.parse(raw.toString("utf8")) };
    } catch {
      return { kind: "binary", value: new Uint8Array(raw), mediaType: "application/octet-stream" };
    }
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
    const body: MultipartBody = { fields: {}, files: [] };
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

/** How a parsed body is shown in the request log: JSON as is, multipart summarised, bytes by size. */
export function bodyForLog(body: ParsedBody | null, raw: Buffer): unknown {
  if (!body) return raw.length ? raw.toString("utf8") : null;
  switch (body.kind) {
    case "none":
      return null;
    case "json":
      return body.value;
    case "text":
      return body.value;
    case "binary":
      return { mediaType: body.mediaType, size: body.value.length };
    case "multipart":
      return {
        // One value per field reads better in a log; repeated fields keep all their values.
        fields: Object.fromEntries(
          Object.entries(body.value.fields).map(([name, values]) => [
            name,
            values.length === 1 ? values[0] : values,
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
