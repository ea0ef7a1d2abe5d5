/**
 * Files (Gumloop's file-handling routes): upload files for flows, download files flow runs produced.
 * Gumloop documents these uploads as JSON with base64 content (Truto's description says multipart; we follow
 * Gumloop). Downloads are binary: the bytes go to the tool artifact, never into the model's context.
 */
import { z } from "zod";
import { base64, fileName, id, modelSchema } from "./fields.js";
import { CREATE, READ, defineEndpoint } from "./types.js";

const IDENTITY = { user_id: "body", project_id: "body" } as const;

const upload = modelSchema(
  z.object({
    file_name: fileName("File name, e.g. data.csv"),
    file_content: base64("Content, base64"),
  }),
);

export const get_single_gumloop_file_by_id = defineEndpoint({
  name: "get_single_gumloop_file_by_id",
  method: "read",
  tags: ["files"],
  route: "POST /download_file",
  context: IDENTITY,
  requiresContext: true,
  accept: "*/*",
  description: "Download a file a flow run produced (you see name, type, size).",
  annotations: READ,
  // The spec marks no field required, yet its 400 reads "missing file_name or other required data"; the three
  // fields that name a run's file are required here, as third-party clients treat them. user_id / project_id are
  // optional in the spec too; one is required here as on the neighbouring routes, whose 403 "API key does not match"
  // shows the key is checked against them (inference).
  input: z.object({
    file_name: fileName("File name"),
    run_id: id("Flow run id"),
    saved_item_id: id("Flow id"),
  }),
});

export const list_all_gumloop_files = defineEndpoint({
  name: "list_all_gumloop_files",
  method: "read",
  tags: ["files"],
  route: "POST /download_files",
  context: IDENTITY,
  requiresContext: true,
  accept: "application/zip, application/json",
  description: "Download files of a flow run as one zip (you see its size).",
  annotations: READ,
  input: z.object({
    file_names: z.array(fileName("File name")).min(1).describe("File names"),
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
  requiresContext: true,
  description: "Upload a file for use in flows. Returns the stored file_name.",
  annotations: CREATE,
  input: upload,
});

export const gumloop_files_bulk_create = defineEndpoint({
  name: "gumloop_files_bulk_create",
  method: "custom",
  tags: ["files"],
  route: "POST /upload_files",
  context: IDENTITY,
  requiresContext: true,
  description: "Upload files; check failed_files (207 = partial success).",
  annotations: CREATE,
  input: z.object({ files: z.array(upload).min(1).describe("Files") }),
});
