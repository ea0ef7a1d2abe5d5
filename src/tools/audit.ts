/** Organisation audit logs (enterprise admins), paged by page number. */
import { z } from "zod";
import { count, dateTime, id, unlisted } from "./fields.js";
import { READ, defineEndpoint } from "./types.js";

export const list_all_gumloop_audit_logs = defineEndpoint({
  name: "list_all_gumloop_audit_logs",
  method: "read",
  tags: ["audit", "admin"],
  route: "GET /get_audit_logs",
  context: { user_id: "query" },
  identity: ["user_id"],
  requiresContext: true,
  pagination: { style: "page", pageParam: "page", totalPagesField: "total_pages", itemsField: "audit_logs" },
  description: "List an organization's audit events; for more, pass next_cursor as page.",
  annotations: READ,
  // The list filters go as comma-separated query values (the client joins arrays); Gumloop's singular aliases
  // (`event_type`, `workspace_id`...) are not needed. `user_ids` and `ip_addresses` are left out to pay for the
  // identity field (the model may pass `user_id`, the admin making the call).
  input: () =>
    z.object({
      organization_id: id("Org id (ask the user)"),
      start_time: dateTime("From (ISO 8601)"),
      end_time: dateTime("To (ISO 8601)"),
      event_types: z.array(z.string()).optional().describe("e.g. user_sign_in"),
      workspace_ids: z.array(id()).optional().describe("Workspaces"),
      entity_ids: z.array(id()).optional().describe("Agents, workbooks, files"),
      page: unlisted(count("Page")).optional(),
      page_size: unlisted(count("Default 50")).optional(),
    }),
});
