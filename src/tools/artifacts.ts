/** Artifacts: files agents produce in sessions. */
import { z } from "zod";
import { cursor, id, pageSize } from "./fields.js";
import { READ, defineEndpoint } from "./types.js";
import { responds } from "../client/definition.js";
import type { ArtifactDownloadBody } from "./responses.js";

export const list_all_gumloop_artifacts = defineEndpoint({
  name: "list_all_gumloop_artifacts",
  method: "read",
  tags: ["artifacts"],
  route: "GET /agents/{agent_id}/artifacts",
  pagination: {
    style: "cursor",
    cursorParam: "cursor",
    nextCursorField: "next_cursor",
    itemsField: "artifacts",
  },
  description: "List an agent's files (type, size in metadata).",
  annotations: READ,
  input: () =>
    z.object({
      agent_id: id("Agent id (a session has it)"),
      session_id: id("Session").optional(),
      search_query: z.string().optional().describe("Filename contains"),
      // Gumloop documents only the default, `newest`; `oldest` is an inference.
      sort_order: z.enum(["newest", "oldest"]).optional().describe("Order"),
      page_size: pageSize(),
      cursor: cursor(),
    }),
});

export const get_single_gumloop_artifact_by_id = responds<ArtifactDownloadBody>()(
  defineEndpoint({
    name: "get_single_gumloop_artifact_by_id",
    method: "read",
    tags: ["artifacts"],
    route: "GET /artifacts/{artifact_id}/download",
    aliases: { id: "artifact_id" },
    local: ["include_content"],
    readable: { flag: "include_content", from: "signed-url" },
    description: "Get an artifact's file info; include_content reads its text.",
    annotations: READ,
    input: () =>
      z.object({
        id: id("Artifact id"),
        version_id: id("Version (default latest)").optional(),
        include_content: z.boolean().optional().describe("Read the text"),
      }),
  }),
);
