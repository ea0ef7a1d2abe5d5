/** Organisation audit logs (enterprise admins), paged by page number. */
import { z } from "zod";
import { dateTime, id } from "./fields.js";
import { READ, defineEndpoint } from "./types.js";

export const list_all_gumloop_audit_logs = defineEndpoint({
  name: "list_all_gumloop_audit_logs",
  method: "read",
  tags: ["audit", "admin"],
  route: "GET /get_audit_logs",
  context: { user_id: "query" },
  requiresContext: true,
  pagination: { style: "page", pageParam: "page", totalPagesField: "total_pages", itemsField: "audit_logs" },
  description: "List an organization's audit events; next_cursor is the next page.",
  annotations: READ,
  input: z.object({
    organization_id: id("Organization id"),
    start_time: dateTime("From (ISO 8601)"),
    end_time: dateTime("To (ISO 8601)"),
    event_types: z.array(z.string()).optional().describe("e.g. user_sign_in"),
    page: z.number().int().min(1).optional().describe("Page (default 1)"),
    page_size: z.number().int().min(1).optional().describe("Default 50"),
  }),
});
