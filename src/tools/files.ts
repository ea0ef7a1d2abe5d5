/**
 * Files (Gumloop's file-handling routes): upload files for flows, download files flow runs produced.
 * The tools take Truto's `file` (a name and text or base64 content); the client sends Gumloop's documented JSON
 * with base64 content (Truto's description says multipart; we follow Gumloop). Downloads are binary: the bytes go
 * to the tool artifact, and a text file reaches the model only when it asks (`include_content`).
 */
import { z } from "zod";
import { fileName, id, unlisted, uploadFile } from "./fields.js";
import { CREATE, READ, defineEndpoint } from "./types.js";

const IDENTITY = { user_id: "body", project_id: "body" } as const;

export const get_single_gumloop_file_by_id = defineEndpoint({
  name: "get_single_gumloop_file_by_id",
  method: "read",
  tags: ["files"],
  route: "POST /download_file",
  context: IDENTITY,
  identity: ["user_id", "project_id"],
  // One of user_id / project_id, as on the neighbouring routes, whose 403 "API key does not match" shows the key is
  // checked against them (inference); the configured user fills it.
  requiresContext: true,
  local: ["include_content"],
  readable: { flag: "include_content", from: "body" },
  accept: "*/*",
  description: "Download a flow run's file; include_content reads its text.",
  annotations: READ,
  // Gumloop's spec marks no field required (its 400 reads "missing file_name or other required data"), so none is
  // here: Gumloop's answer names what is missing.
  input: () =>
    z.object({
      file_name: fileName("File name").optional(),
      run_id: id("Flow run id").optional(),
      saved_item_id: id("Flow id").optional(),
      include_content: z.boolean().optional().describe("Read the text"),
    }),
});

export const list_all_gumloop_files = defineEndpoint({
  name: "list_all_gumloop_files",
  method: "read",
  tags: ["files"],
  route: "POST /download_files",
  context: IDENTITY,
  identity: ["user_id", "project_id"],
  requiresContext: true,
  accept: "application/zip, application/json",
  description: "Download a flow run's files as one zip.",
  annotations: READ,
  input: () =>
    z.object({
      file_names: unlisted(z.array(fileName("File name")).min(1)).describe("File names"),
      run_id: id("Flow run id"),
      saved_item_id: id("Flow id").optional(),
    }),
});

export const create_a_gumloop_file = defineEndpoint({
  name: "create_a_gumloop_file",
  method: "write",
  tags: ["files"],
  route: "POST /upload_file",
  context: IDENTITY,
  identity: ["user_id", "project_id"],
  requiresContext: true,
  // `file` becomes Gumloop's top-level file_name / file_content.
  fileFields: ["file"],
  spread: "file",
  description: "Upload a file for flows.",
  annotations: CREATE,
  input: () => z.object({ file: uploadFile().describe("The file") }),
});

export const gumloop_files_bulk_create = defineEndpoint({
  name: "gumloop_files_bulk_create",
  method: "custom",
  tags: ["files"],
  route: "POST /upload_files",
  context: IDENTITY,
  identity: ["user_id", "project_id"],
  requiresContext: true,
  aliases: { file: "files" },
  fileFields: ["files"],
  description: "Upload files (207: see failed_files).",
  annotations: CREATE,
  input: () => z.object({ file: unlisted(z.array(uploadFile()).min(1)).describe("Files") }),
});
