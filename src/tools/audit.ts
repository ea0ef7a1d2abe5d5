/** Organisation audit logs (enterprise admins), paged by page number. */
import { z } from "zod";
import { count, dateTime, id } from "./fields.js";
import { READ, defineEndpoint } from "./types.js";

export const list_all_gumloop_audit_logs = defineEndpoint({
  name: "list_all_gumloop_audit_logs",
  method: "read",
  tags: ["audit", "admin"],
  route: "GET /get_audit_logs",
  context: { user_id: "query" },
  requiresContext: true,
  pagination: { style: "page", pageParam: "page", totalPagesField: "total_pages", itemsField: "audit_logs" },
  description: "List an organization's audit events. More pages: pass next_cursor as page.",
  annotations: READ,
  // The list filters go as comma-separated query values (the client joins arrays); Gumloop's singular aliases
  // (`event_type`, `ip_address`...) are not needed.
  input: z.object({
    organization_id: id("Organization id"),
    start_time: dateTime("From (ISO 8601)"),
    end_time: dateTime("To (ISO 8601)"),
    event_types: z.array(z.string()).optional().describe("e.g. user_sign_in"),
    user_ids: z.array(id()).optional().describe("Users"),
    ip_addresses: z.array(z.string()).optional().describe("Source IPs"),
    workspace_ids: z.array(id()).optional().describe("Workspaces"),
    entity_ids: z.array(id()).optional().describe("Agents, workbooks or files"),
    page: count("Page (default 1)").optional(),
    page_size: count("Default 50").optional(),
  }),
});
