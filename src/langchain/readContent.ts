/**
 * Reading a file for the model when it asks (`include_content`, or `download` on an export): the artifact or skill
 * package behind a signed URL, fetched with the client's SSRF-safe download; or the response body itself (a flow
 * run's file, an export's CSV). Text-like files (text/*, JSON, CSV, Markdown, XML, YAML) become text for the
 * content, which fits it into the budget; anything else stays in the artifact as bytes.
 */
import type { GumloopClient, GumloopResponse } from "../client/client.js";
import type { BinaryBody } from "../client/decode.js";
import type { DownloadOptions } from "../client/download.js";
import { mediaTypeFor } from "../client/fileEncoding.js";
import type { ReadableContent } from "../tools/types.js";
import type { FileText } from "./content.js";
import { readZipEntry } from "./unzip.js";

/** Largest SKILL.md read out of a package (the content budget cuts it further). */
const MAX_ENTRY_BYTES = 1024 * 1024;

/** Media types whose bytes are text a model can read. */
export function isTextLike(mediaType: string | null | undefined): boolean {
  if (!mediaType) return false;
  const type = mediaType.split(";")[0]!.trim().toLowerCase();
  return (
    type.startsWith("text/") ||
    /^application\/(json|xml|csv|x-ndjson|yaml|x-yaml|markdown)$/.test(type) ||
    type.endsWith("+json") ||
    type.endsWith("+xml")
  );
}

/** The media type to judge a file by: the one given, unless it says nothing (octet-stream), then the name's. */
function effectiveType(
  mediaType: string | null | undefined,
  filename: string | null | undefined,
): string | null {
  const given = mediaType?.split(";")[0]!.trim().toLowerCase();
  if (given && given !== "application/octet-stream") return given;
  return filename ? mediaTypeFor(filename) : (given ?? null);
}

function decode(bytes: Uint8Array): string {
  return new TextDecoder("utf-8", { fatal: false }).decode(bytes);
}

function textOf(bytes: Uint8Array, mediaType: string | null, filename: string | null): FileText {
  const type = effectiveType(mediaType, filename);
  return { text: isTextLike(type) ? decode(bytes) : null, mediaType: type, size: bytes.length };
}

/** What was read: the text (or not) for the content, and the downloaded bytes for the artifact. */
export interface ReadResult {
  readonly file: FileText;
  readonly download?: BinaryBody;
}

/** Whether `name` is a package's SKILL.md at its root (`SKILL.md`) or one folder down (`skill/SKILL.md`). */
function isSkillMd(name: string): boolean {
  return /^([^/]+\/)?skill\.md$/i.test(name);
}

/**
 * Reads the file behind `response` for the model, or returns null when there is none to read (an export not yet
 * COMPLETED answers with its state, not a CSV).
 */
export async function readFileContent(
  client: GumloopClient,
  readable: ReadableContent,
  response: GumloopResponse,
  options: DownloadOptions,
): Promise<ReadResult | null> {
  if (readable.from === "body") {
    if (response.format === "text") {
      const text = String(response.data);
      return {
        file: { text, mediaType: response.mediaType, size: new TextEncoder().encode(text).length },
      };
    }
    if (response.format !== "binary") return null;
    const body = response.data as BinaryBody;
    return { file: textOf(body.bytes, body.mediaType, body.filename) };
  }
  const data = (response.data ?? {}) as Record<string, unknown>;
  const url = data["download_url"];
  if (typeof url !== "string") return null;
  const filename = typeof data["filename"] === "string" ? data["filename"] : null;
  const download = await client.download(url, { ...options, operation: `${response.operation} (content)` });
  if (readable.from === "signed-url") {
    const mediaType = typeof data["media_type"] === "string" ? data["media_type"] : download.mediaType;
    return { file: textOf(download.bytes, mediaType, filename ?? download.filename), download };
  }
  const entry =
    readZipEntry(download.bytes, (name) => /^skill\.md$/i.test(name), MAX_ENTRY_BYTES) ??
    readZipEntry(download.bytes, isSkillMd, MAX_ENTRY_BYTES);
  if (!entry) {
    return {
      file: { text: null, mediaType: download.mediaType, size: download.size },
      download,
    };
  }
  return {
    file: {
      text: decode(entry.bytes),
      mediaType: "text/markdown",
      size: entry.bytes.length,
      entry: entry.name,
    },
    download,
  };
}
