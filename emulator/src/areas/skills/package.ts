/**
 * Skill uploads (skills.yml, create and update): the `files` parts of a multipart body become a skill package, a
 * flat map of paths to bytes with `SKILL.md` at its root, plus the `name`, `description` and `metadata` read from
 * SKILL.md's front matter. And the reverse: a package as the `.skill` zip that downloads serve.
 */
import { unzipSync } from "fflate";
import { zipEntries } from "../../server/zip.js";
import { unpairedSurrogateAt, type MultipartBody, type UploadedFile } from "../../server/body.js";
import { ApiError, invalidRequest } from "../../server/errors.js";
import { FrontMatterError, parseFrontMatter } from "./frontMatter.js";

/** "Maximum upload size is 10 MB" (taken as MiB, the way our client's pre-check counts it). */
export const SKILL_MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/**
 * Emulator-only guard against zip bombs: what an archive may expand to. Gumloop documents only the upload limit.
 */
export const SKILL_MAX_EXPANDED_BYTES = 64 * 1024 * 1024;

/** The root file every package needs. */
export const SKILL_MD = "SKILL.md";

/** A parsed, validated upload. */
export interface SkillPackage {
  /** Path → bytes; `SKILL.md` first, then the other paths sorted. */
  files: Map<string, Uint8Array>;
  name: string;
  description: string;
  metadata: Record<string, unknown>;
}

/** 400 for the upload, naming the `files` field. */
function badUpload(message: string, details: Record<string, unknown> = {}): ApiError {
  return new ApiError(400, "invalid_request", message, { param: "files", details });
}

function isArchive(file: UploadedFile): boolean {
  return (
    /\.(zip|skill)$/i.test(file.filename) ||
    file.mediaType === "application/zip" ||
    file.mediaType === "application/x-zip-compressed"
  );
}

/**
 * A safe relative path, or a 400: no backslashes, no absolute paths (`/x`, `C:x`), no `..` segments, no empty
 * segments or control characters. A leading `./` is dropped.
 */
export function safePath(path: string): string {
  const unsafe = (why: string) => badUpload(`Unsafe path in skill upload: "${path}" (${why})`, { path });
  if (path.includes("\\")) throw unsafe("backslashes are not allowed");
  if (path.startsWith("/") || /^[A-Za-z]:/.test(path)) throw unsafe("absolute paths are not allowed");
  if (/[\x00-\x1f]/.test(path)) throw unsafe("control characters are not allowed");
  const clean = path.replace(/^(\.\/)+/, "");
  const segments = clean.split("/");
  if (segments.includes("..")) throw unsafe("'..' segments are not allowed");
  if (clean === "" || segments.some((s) => s === "" || s === ".")) throw unsafe("empty path segment");
  return clean;
}

/** Files of a `.zip` / `.skill` archive; directory entries are skipped. */
function unzipArchive(file: UploadedFile): Map<string, Uint8Array> {
  let expanded = 0;
  const paths = new Map<string, string>();
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(file.bytes, {
      filter(info) {
        if (info.name.endsWith("/")) {
          safePath(info.name.replace(/\/+$/, "")); // a directory entry: checked, not extracted
          return false;
        }
        paths.set(info.name, safePath(info.name));
        expanded += info.originalSize;
        if (expanded > SKILL_MAX_EXPANDED_BYTES) {
          throw new ApiError(
            413,
            "file_too_large",
            `Skill archive expands to more than ${SKILL_MAX_EXPANDED_BYTES} bytes`,
            { param: "files" },
          );
        }
        return true;
      },
    });
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw badUpload(`${file.filename || "The upload"} is not a valid zip archive`);
  }
  const files = new Map<string, Uint8Array>();
  for (const [name, bytes] of Object.entries(entries)) {
    const path = paths.get(name) ?? safePath(name);
    if (files.has(path)) throw badUpload(`Duplicate path in skill archive: ${path}`, { path });
    files.set(path, bytes);
  }
  return files;
}

/** Collects the files of an upload; where SKILL.md is depends on the upload's form (see skills.yml). */
function collectFiles(parts: UploadedFile[]): Map<string, Uint8Array> {
  const only = parts.length === 1 ? parts[0]! : null;
  if (only && isArchive(only)) {
    const files = unzipArchive(only);
    const skill = [...files.keys()].find((p) => p.toUpperCase() === "SKILL.MD");
    if (!skill) {
      throw badUpload("The archive must contain SKILL.md at its root", {
        paths: [...files.keys()].slice(0, 20),
      });
    }
    return renameSkillMd(files, skill);
  }
  if (only && /\.md$/i.test(only.filename)) return new Map([[SKILL_MD, only.bytes]]);
  const files = new Map<string, Uint8Array>();
  for (const part of parts) {
    if (!part.filename) throw badUpload("Every files part needs a file name");
    const path = part.filename.toUpperCase() === "SKILL.MD" ? SKILL_MD : safePath(part.filename);
    if (files.has(path)) throw badUpload(`Duplicate file in upload: ${path}`, { path });
    files.set(path, part.bytes);
  }
  if (!files.has(SKILL_MD)) {
    throw badUpload(
      "The upload must include a SKILL.md (or be a single .md file, or a .zip/.skill archive with SKILL.md at its root)",
    );
  }
  return files;
}

/** Stores a case-variant `skill.md` as `SKILL.md` (inference: Gumloop's matching rule is not documented). */
function renameSkillMd(files: Map<string, Uint8Array>, found: string): Map<string, Uint8Array> {
  if (found === SKILL_MD) return files;
  const out = new Map<string, Uint8Array>([[SKILL_MD, files.get(found)!]]);
  for (const [path, bytes] of files) if (path !== found) out.set(path, bytes);
  return out;
}

/** `name`, `description` and `metadata` from SKILL.md, or a 400 saying what is wrong. */
export function readSkillMd(bytes: Uint8Array): Pick<SkillPackage, "name" | "description" | "metadata"> {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw badUpload("SKILL.md must be UTF-8 text");
  }
  let front: Record<string, unknown> | null;
  try {
    front = parseFrontMatter(text);
  } catch (error) {
    if (!(error instanceof FrontMatterError)) throw error;
    throw badUpload(`SKILL.md front matter is not valid YAML: ${error.message}`);
  }
  if (front === null) {
    throw badUpload("SKILL.md must start with YAML front matter (---) declaring name and description");
  }
  const field = (key: "name" | "description"): string => {
    const value = front[key];
    const text = typeof value === "number" || typeof value === "boolean" ? String(value) : value;
    if (typeof text !== "string" || text.trim() === "") {
      throw badUpload(`SKILL.md front matter must declare a non-empty ${key}`, { field: key });
    }
    return text.trim();
  };
  const name = field("name");
  const description = field("description");
  // YAML's "\ud800" escape makes a string no UTF-8 store keeps: refused like the same escape in a JSON body.
  const broken = unpairedSurrogateAt({ name, description, metadata: front.metadata ?? null });
  if (broken)
    throw badUpload(`SKILL.md front matter ${broken} contains an unpaired surrogate`, { field: broken });
  const metadata = front.metadata ?? {};
  if (typeof metadata !== "object" || metadata === null || Array.isArray(metadata)) {
    throw badUpload("SKILL.md front matter metadata must be a mapping", { field: "metadata" });
  }
  const related = (metadata as Record<string, unknown>).related_server_ids;
  if (
    related !== undefined &&
    related !== null &&
    !(Array.isArray(related) && related.every((id) => typeof id === "string"))
  ) {
    throw badUpload("metadata.related_server_ids must be a list of MCP server ids", {
      field: "metadata.related_server_ids",
    });
  }
  return { name, description, metadata: metadata as Record<string, unknown> };
}

/**
 * Reads the `files` parts of a create/update body: 400 when there are none, 413 past 10 MB in all, 400 for a
 * missing or invalid SKILL.md, an unsafe archive path, or a bad archive.
 */
export function readSkillUpload(body: MultipartBody): SkillPackage {
  const parts = body.files.filter((f) => f.field === "files");
  if (parts.length === 0) {
    const elsewhere = body.files.map((f) => f.field).filter((f, i, all) => all.indexOf(f) === i);
    const hint =
      body.fields.files !== undefined
        ? " (the files field must carry file parts, with a file name)"
        : elsewhere.length > 0
          ? ` (got file parts named ${elsewhere.join(", ")}; the form field is "files")`
          : "";
    throw invalidRequest(`files is required${hint}`, "files");
  }
  const total = parts.reduce((sum, part) => sum + part.bytes.length, 0);
  if (total > SKILL_MAX_UPLOAD_BYTES) {
    throw new ApiError(
      413,
      "file_too_large",
      `Skill upload is ${total} bytes; the maximum is 10 MB (${SKILL_MAX_UPLOAD_BYTES} bytes)`,
      { param: "files", details: { size: total, max_size: SKILL_MAX_UPLOAD_BYTES } },
    );
  }
  const collected = collectFiles(parts);
  const files = new Map<string, Uint8Array>([[SKILL_MD, collected.get(SKILL_MD)!]]);
  for (const path of [...collected.keys()].filter((p) => p !== SKILL_MD).sort()) {
    files.set(path, collected.get(path)!);
  }
  return { files, ...readSkillMd(files.get(SKILL_MD)!) };
}

/** A package as a `.skill` archive (a zip with SKILL.md at its root). Same files + time → same bytes. */
export function skillZip(files: ReadonlyMap<string, Uint8Array>, createdAt: number): Uint8Array {
  // Not zipSync(Object.fromEntries(...)): a path named `__proto__` would be lost (see zip.ts).
  const mtime = new Date(createdAt);
  return zipEntries([...files].map(([name, bytes]) => ({ name, bytes, mtime })));
}
