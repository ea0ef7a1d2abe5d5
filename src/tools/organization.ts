/** Organisation membership (enterprise admins): roles (permission groups) and workspaces, one user per call. */
import { z } from "zod";
import { id } from "./fields.js";
import { UPDATE, defineEndpoint } from "./types.js";

const ADMIN_CALLER = { user_id: "body" } as const;
const email = () =>
  z
    .string()
    .describe("Email")
    .superRefine((value, context) => {
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value))
        context.addIssue({ code: "custom", message: "must be an email address" });
    });
/** Gumloop documents no call that lists organizations: the id comes from the user (the admin knows it). */
const orgId = () => id("Org id (ask the user)");
const action = () => z.enum(["add", "remove"]).describe("Action");

export const update_a_gumloop_permission_group_user_by_id = defineEndpoint({
  name: "update_a_gumloop_permission_group_user_by_id",
  method: "write",
  tags: ["organization", "admin"],
  route: "POST /manage_permission_group_users",
  context: ADMIN_CALLER,
  identity: ["user_id"],
  requiresContext: true,
  description: "Add or remove a user's role; other roles stay.",
  annotations: { ...UPDATE, idempotentHint: false },
  input: () =>
    z.object({
      organization_id: orgId(),
      group_id: id("Role id"),
      action: action(),
      user_email: email(),
    }),
});

export const gumloop_workspace_users_bulk_update = defineEndpoint({
  name: "gumloop_workspace_users_bulk_update",
  method: "custom",
  tags: ["organization", "admin"],
  route: "POST /manage_workspace_users",
  context: ADMIN_CALLER,
  identity: ["user_id"],
  requiresContext: true,
  description: "Add or remove a workspace member.",
  annotations: { ...UPDATE, idempotentHint: false },
  input: () =>
    z.object({
      organization_id: orgId(),
      workspace_id: id("Workspace id"),
      action: action(),
      user_email: email(),
      is_admin: z.boolean().optional().describe("As admin (add)"),
    }),
});
