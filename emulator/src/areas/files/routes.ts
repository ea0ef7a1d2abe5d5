/**
 * Files (file-handling.yml; gumloop-api.md 2.4): upload files for flows (JSON with base64 content, one or many)
 * and download the files a flow run has (one file as raw bytes, several as a zip). Legacy auth, as on the flow
 * routes: the Bearer key, with `user_id` / `project_id` checked against it.
 *
 * Uploads land in the workspace of the request (the `project_id` team, else the user; `store.ts`) and can be
 * passed to a flow's `file` input by name. A run's files are its file inputs plus, once DONE, its output files.
 *
 * Status rules the docs leave open, made precise here (inference):
 * - upload_files: a malformed request (body not a JSON object, no `user_id`/`project_id`, `files` missing, not an
 *   array or empty) is a 400; problems of single entries (not an object, bad `file_name`, bad or empty base64)
 *   fail only those entries: some failed → 207, all failed → 500 "all file uploads failed".
 * - download_file: the spec marks no body field required, but its 400 reads "missing file_name or other required
 *   data"; `file_name`, `run_id` and `saved_item_id` are required here, as third-party clients treat them. A run or
 *   file that does not exist is a 404; a `saved_item_id` that is not the run's flow too.
 */
import { zipEntries } from "../../server/zip.js";
import { defineArea, type AreaEnv } from "../../area.js";
import type { LegacyScope } from "../../server/auth.js";
import { json, raw, type RequestContext, type Reply } from "../../server/context.js";
import { ApiError, invalidRequest, notFound } from "../../server/errors.js";
import { contentDisposition } from "../../server/signing.js";
import { seedUploads } from "./seed.js";
import {
  decodeBase64,
  fileNameProblem,
  mediaTypeFor,
  putUpload,
  uploads,
  workspaceOf,
  type WorkspaceKey,
} from "./store.js";
import {
  canAccess,
  findRun,
  keyMismatch,
  ownerOfRun,
  requiredString,
  type RunRecord,
} from "../flows/store.js";

/** The JSON object body; multipart gets a 400 that says what Gumloop documents instead. */
function jsonBody(ctx: RequestContext): Record<string, unknown> {
  if (ctx.body.kind === "multipart") {
    throw invalidRequest("Send a JSON body with the file content base64-encoded in file_content");
  }
  return ctx.jsonObject();
}

/** The workspace uploads of this request go to: the project (team), a team key's team, or the user. */
function uploadWorkspace(ctx: RequestContext, scope: LegacyScope): WorkspaceKey {
  const caller = ctx.caller;
  const teamId = scope.teamId ?? (caller.kind === "team" ? caller.teamId : null);
  return workspaceOf({ userId: scope.userId, teamId })!;
}

/** A valid `file_name`, or a 400 naming `param`. */
function requireFileName(value: unknown, param: string): string {
  if (value === undefined || value === null) throw invalidRequest(`Missing ${param}`, param);
  const problem = fileNameProblem(value);
  if (problem) throw invalidRequest(problem.replace(/^file_name/, param), param);
  return value as string;
}

function uploadFile(ctx: RequestContext): Reply {
  const body = jsonBody(ctx);
  const scope = ctx.legacyScope();
  const name = requireFileName(body.file_name, "file_name");
  if (body.file_content === undefined || body.file_content === null || body.file_content === "") {
    throw invalidRequest("Missing file_content", "file_content");
  }
  const bytes = decodeBase64(body.file_content);
  if (!bytes) throw invalidRequest("file_content must be non-empty base64", "file_content");
  putUpload(ctx.env, uploadWorkspace(ctx, scope), {
    name,
    bytes,
    mediaType: mediaTypeFor(name),
    createdAt: ctx.now,
  });
  return json(200, { success: true, file_name: name });
}

function uploadFiles(ctx: RequestContext): Reply {
  const body = jsonBody(ctx);
  const scope = ctx.legacyScope();
  const files = body.files;
  if (files === undefined || files === null) throw invalidRequest("Missing files", "files");
  if (!Array.isArray(files))
    throw invalidRequest("files must be an array of {file_name, file_content}", "files");
  if (files.length === 0) throw invalidRequest("files must not be empty", "files");
  const workspace = uploadWorkspace(ctx, scope);
  const uploaded: string[] = [];
  const failed: string[] = [];
  files.forEach((entry: unknown, i) => {
    const item = typeof entry === "object" && entry !== null ? (entry as Record<string, unknown>) : {};
    const name = item.file_name;
    const bytes = decodeBase64(item.file_content);
    if (fileNameProblem(name) !== null || !bytes) {
      // Entries without a usable name are reported by position (inference: failed_files holds names).
      failed.push(typeof name === "string" && name !== "" ? name : `files[${i}]`);
      return;
    }
    putUpload(ctx.env, workspace, {
      name: name as string,
      bytes,
      mediaType: mediaTypeFor(name as string),
      createdAt: ctx.now,
    });
    uploaded.push(name as string);
  });
  if (failed.length === 0) return json(200, { success: true, uploaded_files: uploaded });
  if (uploaded.length === 0) {
    throw new ApiError(500, "file_upload_failed", "All file uploads failed", {
      details: { failed_files: failed },
    });
  }
  return json(207, { partial_success: true, uploaded_files: uploaded, failed_files: failed });
}

/** 403 as the docs word it for download_file. */
function downloadDenied(): ApiError {
  return new ApiError(403, "unauthorized", "Unauthorized (API key or user verification failed)");
}

/** The run of a download: 400 without run_id, 404 unknown, `denied` when the request may not see it. */
function downloadRun(
  ctx: RequestContext,
  body: Record<string, unknown>,
  scope: LegacyScope,
  denied: () => ApiError,
): RunRecord {
  const run = findRun(ctx.env, requiredString(body.run_id, "run_id"));
  if (!canAccess(ctx.env, ctx.caller, scope, ownerOfRun(run))) throw denied();
  return run;
}

function checkSavedItem(run: RunRecord, savedItemId: string | undefined): void {
  if (savedItemId !== undefined && savedItemId !== run.savedItemId) {
    throw new ApiError(404, "run_not_found", `Run ${run.id} does not belong to saved item ${savedItemId}`, {
      details: { id: run.id, saved_item_id: savedItemId },
    });
  }
}

function downloadFile(ctx: RequestContext): Reply {
  const body = jsonBody(ctx);
  // user_id / project_id are optional on this route; when given they must match the key (403, worded as the docs).
  const named = [ctx.queryParam("user_id"), ctx.queryParam("project_id"), body.user_id, body.project_id].some(
    (v) => v !== undefined && v !== null && v !== "",
  );
  let scope: LegacyScope;
  try {
    scope = named
      ? ctx.legacyScope()
      : { userId: ctx.caller.kind === "team" ? null : ctx.caller.userId, teamId: null };
  } catch (error) {
    if (error instanceof ApiError && error.status === 403) throw downloadDenied();
    throw error;
  }
  const name = requireFileName(body.file_name, "file_name");
  const savedItemId = requiredString(body.saved_item_id, "saved_item_id");
  const run = downloadRun(ctx, body, scope, downloadDenied);
  checkSavedItem(run, savedItemId);
  const file = run.files.get(name);
  if (!file) throw notFound("File", name);
  // Gumloop documents no content type for this 200: raw bytes with the file's type is inference.
  return raw(200, file.bytes, file.mediaType, { "content-disposition": contentDisposition(file.name) });
}

function downloadFiles(ctx: RequestContext): Reply {
  const body = jsonBody(ctx);
  const scope = ctx.legacyScope();
  const names = body.file_names;
  if (names === undefined || names === null) throw invalidRequest("Missing file_names", "file_names");
  if (!Array.isArray(names) || names.length === 0) {
    throw invalidRequest("file_names must be a non-empty array of file names", "file_names");
  }
  names.forEach((name, i) => requireFileName(name, `file_names[${i}]`));
  const run = downloadRun(ctx, body, scope, keyMismatch);
  const savedItemId = body.saved_item_id;
  if (savedItemId !== undefined && savedItemId !== null && savedItemId !== "") {
    checkSavedItem(run, requiredString(savedItemId, "saved_item_id"));
  }
  const unique = [...new Set(names as string[])];
  const missing = unique.filter((name) => !run.files.has(name));
  if (missing.length > 0) {
    // Inference: one missing file fails the whole request rather than leaving it out of the zip.
    throw new ApiError(404, "file_not_found", `File not found: ${missing.join(", ")}`, {
      details: { missing },
    });
  }
  // Names are the caller's: built with zipEntries, which never indexes a plain object by them (`__proto__`).
  const zip = zipEntries(
    unique.map((name) => {
      const file = run.files.get(name)!;
      return { name, bytes: file.bytes, mtime: new Date(file.createdAt) };
    }),
  );
  return raw(200, zip, "application/zip", { "content-disposition": contentDisposition(`${run.id}.zip`) });
}

/** Read-only counts for `inspect()`. */
export interface FilesSnapshot {
  /** Uploaded files per workspace (`user:<id>` / `team:<id>`). */
  uploads: Record<string, string[]>;
}

/** The files area. */
export const filesArea = defineArea({
  name: "files",
  seed: (env: AreaEnv) => seedUploads(env),
  routes(r) {
    r.post("/upload_file", uploadFile, { auth: "legacy", statuses: [200, 400, 401, 403, 500] });
    r.post("/upload_files", uploadFiles, { auth: "legacy", statuses: [200, 207, 400, 401, 403, 500] });
    r.post("/download_file", downloadFile, { auth: "legacy", statuses: [200, 400, 403, 500] });
    r.post("/download_files", downloadFiles, { auth: "legacy", statuses: [200, 400, 401, 403, 500] });
  },
  inspect(env): FilesSnapshot {
    const snapshot: FilesSnapshot = { uploads: {} };
    for (const [workspace, files] of uploads(env)) snapshot.uploads[workspace] = [...files.keys()];
    return snapshot;
  },
});
