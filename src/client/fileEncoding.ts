/**
 * Files on the wire, in the two encodings Gumloop documents: multipart parts (skills) and JSON objects with base64
 * content (`/upload_file`, `/upload_files`). A file is only ever the bytes the caller handed over: no path is read.
 */
import { Buffer } from "node:buffer";
import type { FileInput } from "./definition.js";

const MEDIA_TYPES: Record<string, string> = {
  md: "text/markdown",
  txt: "text/plain",
  csv: "text/csv",
  json: "application/json",
  zip: "application/zip",
  skill: "application/zip",
  pdf: "application/pdf",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
};

/** Media type for a file name, from its extension. */
export function mediaTypeFor(fileName: string): string {
  const extension = fileName.toLowerCase().split(".").pop() ?? "";
  return MEDIA_TYPES[extension] ?? "application/octet-stream";
}

/** The name a {@link FileInput} is stored under (`name`, else `file_name`). */
export function fileNameOf(file: FileInput): string {
  return file.name ?? file.file_name ?? "";
}

/** The bytes of a {@link FileInput}. */
export function fileBytes(file: FileInput): Uint8Array {
  if (typeof file.content === "string") return new TextEncoder().encode(file.content);
  return new Uint8Array(Buffer.from(file.content_base64 ?? "", "base64"));
}

function asList(value: unknown): FileInput[] {
  return (Array.isArray(value) ? value : [value]) as FileInput[];
}

/** Appends a file field's files as multipart parts named `key`. */
export function appendFiles(form: FormData, key: string, value: unknown): void {
  for (const file of asList(value)) {
    const name = fileNameOf(file);
    const blob = new Blob([fileBytes(file)], { type: file.media_type ?? mediaTypeFor(name) });
    form.append(key, blob, name);
  }
}

/**
 * A file field's value in Gumloop's JSON encoding: `{file_name, file_content}` with base64 content, one object or a
 * list as given. An object that already carries `file_content` is Gumloop's encoding already and passes as is.
 */
export function jsonFiles(value: unknown): unknown {
  const encode = (file: FileInput & { file_content?: unknown }) =>
    file.file_content !== undefined
      ? file
      : {
          file_name: fileNameOf(file),
          file_content:
            typeof file.content === "string"
              ? Buffer.from(file.content, "utf8").toString("base64")
              : (file.content_base64 ?? ""),
        };
  return Array.isArray(value) ? value.map(encode) : encode(value as FileInput);
}
