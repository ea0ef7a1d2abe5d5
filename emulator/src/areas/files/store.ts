/**
 * Files uploaded through `/upload_file(s)`, kept per workspace (a user's personal space, or a team, which the
 * legacy API calls a project), plus the checks both the files and flows areas need: file names, base64, media
 * types. Gumloop documents neither size limits nor storage layout for these routes; this is the emulator's model.
 */
import type { AreaEnv } from "../../area.js";

/** A stored file. */
export interface StoredFile {
  name: string;
  bytes: Uint8Array;
  mediaType: string;
  createdAt: number;
}

/** Where uploaded files live: `user:<id>` or `team:<id>`. */
export type WorkspaceKey = `user:${string}` | `team:${string}`;

/** The workspace of a legacy request: the project (team) when one is named, else the user. */
export function workspaceOf(scope: { userId: string | null; teamId: string | null }): WorkspaceKey | null {
  if (scope.teamId) return `team:${scope.teamId}`;
  if (scope.userId) return `user:${scope.userId}`;
  return null;
}

/** Uploaded files by workspace, then by name. */
export function uploads(env: AreaEnv): Map<WorkspaceKey, Map<string, StoredFile>> {
  return env.store.area("files", () => new Map<WorkspaceKey, Map<string, StoredFile>>());
}

/** Stores (or replaces: last upload of a name wins, inference) a file in a workspace. */
export function putUpload(env: AreaEnv, workspace: WorkspaceKey, file: StoredFile): void {
  const all = uploads(env);
  let files = all.get(workspace);
  if (!files) all.set(workspace, (files = new Map()));
  files.set(file.name, file);
}

/** The first file named `name` in the given workspaces, searched in order. */
export function findUpload(
  env: AreaEnv,
  workspaces: readonly WorkspaceKey[],
  name: string,
): StoredFile | undefined {
  for (const workspace of workspaces) {
    const file = uploads(env).get(workspace)?.get(name);
    if (file) return file;
  }
  return undefined;
}

/**
 * Why a file name is unusable, or null when it is fine: a plain name, no directories, no `.`/`..`, no control
 * characters, at most 255 characters (Gumloop documents no rule; inference from ordinary storage limits).
 */
export function fileNameProblem(name: unknown): string | null {
  if (typeof name !== "string") return "file_name must be a string";
  if (name.trim() === "") return "file_name must not be empty";
  if (name === "." || name === ".." || /[/\\\u0000-\u001f\u007f]/.test(name)) {
    return "file_name must be a plain file name, without directories or control characters";
  }
  if (name.length > 255) return "file_name must be at most 255 characters";
  return null;
}

/**
 * Decodes standard base64 (padding optional, whitespace ignored), or returns null when the text is not base64
 * or decodes to nothing (an empty file counts as a missing one).
 */
export function decodeBase64(value: unknown): Uint8Array | null {
  if (typeof value !== "string") return null;
  const text = value.replace(/\s+/g, "");
  if (text.length === 0 || text.length % 4 === 1 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  if (text.includes("=") && text.length % 4 !== 0) return null;
  const bytes = Buffer.from(text, "base64");
  return bytes.length === 0 ? null : new Uint8Array(bytes);
}

const MEDIA_TYPES: Readonly<Record<string, string>> = {
  csv: "text/csv",
  doc: "application/msword",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  gif: "image/gif",
  htm: "text/html",
  html: "text/html",
  jpeg: "image/jpeg",
  jpg: "image/jpeg",
  json: "application/json",
  md: "text/markdown",
  mp3: "audio/mpeg",
  mp4: "video/mp4",
  pdf: "application/pdf",
  png: "image/png",
  svg: "image/svg+xml",
  tsv: "text/tab-separated-values",
  txt: "text/plain",
  webp: "image/webp",
  xls: "application/vnd.ms-excel",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  xml: "application/xml",
  zip: "application/zip",
};

/** Media type from the file extension; `application/octet-stream` when unknown. */
export function mediaTypeFor(name: string): string {
  const dot = name.lastIndexOf(".");
  const ext = dot < 0 ? "" : name.slice(dot + 1).toLowerCase();
  return MEDIA_TYPES[ext] ?? "application/octet-stream";
}

/** UTF-8 bytes of a string; Uint8Array content is kept as is. */
export function toBytes(content: string | Uint8Array): Uint8Array {
  return typeof content === "string" ? new TextEncoder().encode(content) : content;
}
