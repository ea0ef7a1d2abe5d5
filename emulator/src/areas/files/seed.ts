/**
 * Default uploads of the files area, and the `seedData.files` key:
 *
 *   seedData: { files: [{ file_name: "leads.csv", content: "name,email\n...", team_id?: "team_...", owner?: "otherUser" }] }
 *
 * A file lands in the team's workspace when `team_id` is given (what `project_id` names on the legacy routes),
 * else in the personal workspace of the default user (or of the other user, with `owner: "otherUser"`).
 */
import type { AreaEnv } from "../../area.js";
import { parseIso } from "../../world/time.js";
import { mediaTypeFor, putUpload, toBytes, type StoredFile, type WorkspaceKey } from "./store.js";

/** One extra uploaded file for the seed. */
export interface SeedFile {
  file_name: string;
  /** Text is stored as UTF-8. */
  content: string | Uint8Array;
  /** Team (project) workspace; omit for the owner's personal workspace. */
  team_id?: string;
  /** @default "user" */
  owner?: "user" | "otherUser";
  /** ISO 8601. @default 2026-05-15T09:00:00Z */
  created_at?: string;
}

/** The file already uploaded to the default user's personal workspace (usable as a flow `file` input). */
export const SEED_UPLOAD = {
  name: "quarterly-notes.txt",
  content:
    "Quarterly notes: storage capacity grew 12% and costs fell 8%.\n" +
    "Battery prices keep falling; grid operators are adding storage faster than planned.\n",
  createdAt: parseIso("2026-05-15T09:00:00Z")!,
} as const;

/** {@link SEED_UPLOAD} as a stored file. */
export function seedUploadFile(): StoredFile {
  return {
    name: SEED_UPLOAD.name,
    bytes: toBytes(SEED_UPLOAD.content),
    mediaType: mediaTypeFor(SEED_UPLOAD.name),
    createdAt: SEED_UPLOAD.createdAt,
  };
}

/** Seeds {@link SEED_UPLOAD}, then `seedData.files`. */
export function seedUploads(env: AreaEnv): void {
  const { identity } = env;
  putUpload(env, `user:${identity.userId}`, seedUploadFile());
  const extra = env.options.seedData.files;
  if (extra === undefined) return;
  if (!Array.isArray(extra)) throw new TypeError("startEmulator: seedData.files must be an array");
  for (const [i, file] of (extra as SeedFile[]).entries()) {
    if (typeof file?.file_name !== "string" || !file.file_name) {
      throw new TypeError(`startEmulator: seedData.files[${i}].file_name must be a non-empty string`);
    }
    if (typeof file.content !== "string" && !(file.content instanceof Uint8Array)) {
      throw new TypeError(`startEmulator: seedData.files[${i}].content must be a string or Uint8Array`);
    }
    const userId = file.owner === "otherUser" ? identity.otherUser.userId : identity.userId;
    const workspace: WorkspaceKey = file.team_id ? `team:${file.team_id}` : `user:${userId}`;
    putUpload(env, workspace, {
      name: file.file_name,
      bytes: toBytes(file.content),
      mediaType: mediaTypeFor(file.file_name),
      createdAt: (file.created_at && parseIso(file.created_at)) || SEED_UPLOAD.createdAt,
    });
  }
}
