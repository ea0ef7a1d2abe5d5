/** Skills: reusable instructions (a SKILL.md, optionally with files) that agents can load. */
import { z } from "zod";
import { cursor, id, pageSize } from "./fields.js";
import { checkSkillFiles, skillFile } from "./skillFiles.js";
import { CREATE, DELETE, READ, defineEndpoint } from "./types.js";

const files = z
  .array(skillFile)
  .min(1)
  .describe("SKILL.md with name/description front matter, or one .zip/.skill")
  .superRefine(checkSkillFiles);

export const create_a_gumloop_skill = defineEndpoint({
  name: "create_a_gumloop_skill",
  method: "write",
  tags: ["skills"],
  route: "POST /skills",
  encoding: "multipart",
  fileFields: ["files"],
  context: { team_id: "body" },
  description: "Create a skill from files (10 MB max); returns it with its id.",
  annotations: CREATE,
  input: z.object({ files }),
});

export const update_a_gumloop_skill_by_id = defineEndpoint({
  name: "update_a_gumloop_skill_by_id",
  method: "write",
  tags: ["skills"],
  route: "PATCH /skills/{skill_id}",
  encoding: "multipart",
  fileFields: ["files"],
  description: "Replace a skill's files as a new version.",
  annotations: { ...CREATE, destructiveHint: true },
  input: z.object({ skill_id: id("Skill id"), files }),
});

export const list_all_gumloop_skills = defineEndpoint({
  name: "list_all_gumloop_skills",
  method: "read",
  tags: ["skills"],
  route: "GET /skills",
  pagination: {
    style: "cursor",
    cursorParam: "cursor",
    nextCursorField: "next_cursor",
    itemsField: "skills",
  },
  description: "List skills (id, name, description, version).",
  annotations: READ,
  input: z.object({
    search_query: z.string().optional().describe("Name contains"),
    sort_order: z.enum(["newest", "popular", "most_used"]).optional().describe("Order"),
    agent_id: id("Attached to agent").optional(),
    creator_user_id: id("Creator's user id").optional(),
    related_server_id: id("Related MCP server").optional(),
    unused: z.boolean().optional().describe("true: never used"),
    page_size: pageSize,
    cursor,
  }),
});

export const get_single_gumloop_skill_by_id = defineEndpoint({
  name: "get_single_gumloop_skill_by_id",
  method: "read",
  tags: ["skills"],
  route: "GET /skills/{skill_id}/download",
  description: "Get a skill's download_url (a .skill zip), filename, size and version.",
  annotations: READ,
  input: z.object({
    skill_id: id("Skill id"),
    version_id: id("Version (default current)").optional(),
  }),
});

export const delete_a_gumloop_skill_by_id = defineEndpoint({
  name: "delete_a_gumloop_skill_by_id",
  method: "write",
  tags: ["skills"],
  route: "DELETE /skills/{skill_id}",
  description: "Delete a skill (agents can no longer use it).",
  annotations: DELETE,
  input: z.object({ skill_id: id("Skill id") }),
});
