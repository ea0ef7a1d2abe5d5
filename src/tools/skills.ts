/** Skills: reusable instructions (a SKILL.md, or an archive with one) that agents can load. */
import { z } from "zod";
import { cursor, id, pageSize } from "./fields.js";
import { skillFile } from "./skillFiles.js";
import { CREATE, DELETE, READ, defineEndpoint } from "./types.js";

export const create_a_gumloop_skill = defineEndpoint({
  name: "create_a_gumloop_skill",
  method: "write",
  tags: ["skills"],
  route: "POST /skills",
  encoding: "multipart",
  // Truto's `file`; Gumloop's form field is `files`.
  aliases: { file: "files" },
  fileFields: ["files"],
  context: { team_id: "body" },
  identity: ["team_id"],
  result: "skill",
  description: "Create a skill from a file (10 MB max); returns it with its id.",
  annotations: CREATE,
  input: () => z.object({ file: skillFile() }),
});

export const update_a_gumloop_skill_by_id = defineEndpoint({
  name: "update_a_gumloop_skill_by_id",
  method: "write",
  tags: ["skills"],
  route: "PATCH /skills/{skill_id}",
  encoding: "multipart",
  aliases: { id: "skill_id", file: "files" },
  fileFields: ["files"],
  result: "skill",
  description: "Replace a skill's file as a new version (10 MB max).",
  annotations: { ...CREATE, destructiveHint: true },
  input: () => z.object({ id: id("Skill id"), file: skillFile() }),
});

export const list_all_gumloop_skills = defineEndpoint({
  name: "list_all_gumloop_skills",
  method: "read",
  tags: ["skills"],
  route: "GET /skills",
  identity: ["team_id"],
  pagination: {
    style: "cursor",
    cursorParam: "cursor",
    nextCursorField: "next_cursor",
    itemsField: "skills",
  },
  description: "List skills (id, name, description, version).",
  annotations: READ,
  input: () =>
    z.object({
      search_query: z.string().optional().describe("Name contains"),
      sort_order: z.enum(["newest", "popular", "most_used"]).optional().describe("Order"),
      agent_id: id("Agent").optional(),
      creator_user_id: id("Creator").optional(),
      related_server_id: id("MCP server").optional(),
      unused: z.boolean().optional().describe("Never used"),
      page_size: pageSize(),
      cursor: cursor(),
    }),
});

export const get_single_gumloop_skill_by_id = defineEndpoint({
  name: "get_single_gumloop_skill_by_id",
  method: "read",
  tags: ["skills"],
  route: "GET /skills/{skill_id}/download",
  aliases: { id: "skill_id" },
  local: ["include_content"],
  readable: { flag: "include_content", from: "skill-package" },
  description: "Get a skill's package info; include_content reads its SKILL.md.",
  annotations: READ,
  input: () =>
    z.object({
      id: id("Skill id"),
      version_id: id("Version (default current)").optional(),
      include_content: z.boolean().optional().describe("Read SKILL.md"),
    }),
});

export const delete_a_gumloop_skill_by_id = defineEndpoint({
  name: "delete_a_gumloop_skill_by_id",
  method: "write",
  tags: ["skills"],
  route: "DELETE /skills/{skill_id}",
  aliases: { id: "skill_id" },
  description: "Delete a skill.",
  annotations: DELETE,
  input: () => z.object({ id: id("Skill id") }),
});
