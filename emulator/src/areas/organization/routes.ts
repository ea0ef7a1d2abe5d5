/**
 * Organization membership (organization.yml, tools 24–25): add or remove a user's custom role
 * (`POST /manage_permission_group_users`) and workspace membership (`POST /manage_workspace_users`), one user per
 * call. Enterprise only, org admins only (see `access.ts`); the seed is in `seed.ts`.
 *
 * Inference where Gumloop is silent: adding a user who already has the role / is already a member, and removing
 * one who does not / is not, are 200 no-ops whose `message` says so; re-adding a workspace member with `is_admin`
 * sets their admin flag (without `is_admin` it is left as is); a target email outside the organization is 404
 * "user not found"; a `user_email` without an `@` is a 400; removing a workspace's owner (its first member, who
 * acts for its team key) is a 400. Each change is also written to the audit log.
 */
import { defineArea, type AreaEnv } from "../../area.js";
import { json, type RequestContext, type Reply } from "../../server/context.js";
import { ApiError, invalidRequest, notFound } from "../../server/errors.js";
import type { OrganizationRecord, UserRecord } from "../../world/model.js";
import { recordAuditEvent } from "../audit/log.js";
import {
  adminCaller,
  enterpriseOnly,
  ORG_STATUSES,
  requireOrgAdmin,
  requireOrganization,
  requireParams,
  stringParam,
} from "./access.js";
import { orgState, seedOrganization, userByEmail } from "./seed.js";

type Action = "add" | "remove";

function parseAction(body: Record<string, unknown>): Action {
  const action = body.action;
  if (action === "add" || action === "remove") return action;
  throw invalidRequest("action must be 'add' or 'remove'", "action");
}

function targetUser(ctx: RequestContext, org: OrganizationRecord, email: string): UserRecord {
  const user = userByEmail(ctx.env, email);
  if (!user || user.orgId !== org.id) throw notFound("User", email);
  return user;
}

/** Checks shared by both routes; returns the parsed common fields. */
function common(ctx: RequestContext, body: Record<string, unknown>, target: "group_id" | "workspace_id") {
  requireParams(body, ["organization_id", "user_id", target, "action", "user_email"]);
  const orgId = stringParam(body, "organization_id");
  const targetId = stringParam(body, target);
  const action = parseAction(body);
  const email = stringParam(body, "user_email");
  if (!email.includes("@")) throw invalidRequest("user_email must be an email address", "user_email");
  const callerId = adminCaller(ctx, body);
  const org = requireOrganization(ctx, orgId);
  requireOrgAdmin(org, callerId);
  return { org, targetId, action, email, callerId };
}

function audit(ctx: RequestContext, orgId: string, callerId: string, type: string, details: object): void {
  recordAuditEvent(ctx.env, {
    orgId,
    type,
    userId: callerId,
    workspaceId: "workspace_id" in details ? String(details.workspace_id) : null,
    entityId: null,
    details: { ...details },
    sourceIp: ctx.req.socket.remoteAddress ?? "127.0.0.1",
    userAgent: ctx.req.headers["user-agent"] ?? "",
  });
}

function managePermissionGroupUsers(ctx: RequestContext): Reply {
  const body = ctx.jsonObject();
  const { org, targetId, action, email, callerId } = common(ctx, body, "group_id");
  const role = orgState(ctx.env).roles.get(targetId);
  if (!role) throw notFound("Custom role", targetId);
  if (role.orgId !== org.id) {
    throw new ApiError(
      403,
      "role_not_in_organization",
      `Custom role ${targetId} does not belong to organization ${org.id}.`,
    );
  }
  const user = targetUser(ctx, org, email);
  const has = role.memberIds.includes(user.id);
  let message: string;
  if (action === "add") {
    if (has) message = `${user.email} already has the custom role ${role.name}.`;
    else {
      role.memberIds.push(user.id);
      message = `Added ${user.email} to the custom role ${role.name}.`;
    }
  } else if (!has) message = `${user.email} does not have the custom role ${role.name}.`;
  else {
    role.memberIds.splice(role.memberIds.indexOf(user.id), 1);
    message = `Removed ${user.email} from the custom role ${role.name}.`;
  }
  if (action === "add" ? !has : has) {
    audit(ctx, org.id, callerId, `permission_group_user_${action === "add" ? "added" : "removed"}`, {
      group_id: role.id,
      target_user_id: user.id,
    });
  }
  return json(200, { success: true, message });
}

function manageWorkspaceUsers(ctx: RequestContext): Reply {
  const body = ctx.jsonObject();
  const isAdmin = body.is_admin;
  if (isAdmin !== undefined && isAdmin !== null && typeof isAdmin !== "boolean") {
    throw invalidRequest("is_admin must be a boolean", "is_admin");
  }
  const { org, targetId, action, email, callerId } = common(ctx, body, "workspace_id");
  const workspace = ctx.env.store.teams.get(targetId);
  if (!workspace) throw notFound("Workspace", targetId);
  if (workspace.orgId !== org.id) {
    throw new ApiError(
      403,
      "workspace_not_in_organization",
      `Workspace ${targetId} does not belong to organization ${org.id}.`,
    );
  }
  const user = targetUser(ctx, org, email);
  const isMember = workspace.memberIds.includes(user.id);
  const setAdmin = (admin: boolean) => {
    const i = workspace.adminIds.indexOf(user.id);
    if (admin && i < 0) workspace.adminIds.push(user.id);
    if (!admin && i >= 0) workspace.adminIds.splice(i, 1);
  };
  let message: string;
  let changed = true;
  if (action === "add") {
    if (isMember) {
      if (typeof isAdmin === "boolean") setAdmin(isAdmin);
      else changed = false;
      message =
        typeof isAdmin === "boolean"
          ? `${user.email} is already a member of workspace ${workspace.name}; admin set to ${isAdmin}.`
          : `${user.email} is already a member of workspace ${workspace.name}.`;
    } else {
      workspace.memberIds.push(user.id);
      setAdmin(isAdmin === true);
      message = `Added ${user.email} to workspace ${workspace.name}${isAdmin === true ? " as an admin" : ""}.`;
    }
  } else if (!isMember) {
    changed = false;
    message = `${user.email} is not a member of workspace ${workspace.name}.`;
  } else {
    if (workspace.memberIds[0] === user.id) {
      throw invalidRequest(
        `${user.email} owns workspace ${workspace.name} and cannot be removed.`,
        "user_email",
      );
    }
    workspace.memberIds.splice(workspace.memberIds.indexOf(user.id), 1);
    setAdmin(false);
    message = `Removed ${user.email} from workspace ${workspace.name}.`;
  }
  if (changed) {
    audit(ctx, org.id, callerId, `workspace_user_${action === "add" ? "added" : "removed"}`, {
      workspace_id: workspace.id,
      target_user_id: user.id,
      is_admin: workspace.adminIds.includes(user.id),
    });
  }
  return json(200, { success: true, message });
}

/** Read-only membership view for `inspect()`, by email. */
export interface OrganizationSnapshot {
  organizations: Record<string, { name: string; admins: string[]; members: string[] }>;
  workspaces: Record<string, { name: string; organizationId: string; members: string[]; admins: string[] }>;
  roles: Record<string, { name: string; organizationId: string; members: string[] }>;
}

function snapshot(env: AreaEnv): OrganizationSnapshot {
  const email = (id: string) => env.store.users.get(id)?.email ?? id;
  const out: OrganizationSnapshot = { organizations: {}, workspaces: {}, roles: {} };
  for (const org of env.store.organizations.values()) {
    const members = [...env.store.users.values()].filter((u) => u.orgId === org.id).map((u) => u.email);
    out.organizations[org.id] = { name: org.name, admins: org.adminIds.map(email), members };
  }
  for (const team of env.store.teams.values()) {
    out.workspaces[team.id] = {
      name: team.name,
      organizationId: team.orgId,
      members: team.memberIds.map(email),
      admins: team.adminIds.map(email),
    };
  }
  for (const role of orgState(env).roles.values()) {
    out.roles[role.id] = { name: role.name, organizationId: role.orgId, members: role.memberIds.map(email) };
  }
  return out;
}

/** The organization area. */
export const organizationArea = defineArea({
  name: "organization",
  seed: (env: AreaEnv) => seedOrganization(env),
  routes(r) {
    r.post("/manage_permission_group_users", enterpriseOnly(["custom_roles"], managePermissionGroupUsers), {
      auth: "legacy",
      statuses: ORG_STATUSES,
    });
    r.post("/manage_workspace_users", enterpriseOnly(["workspace_management"], manageWorkspaceUsers), {
      auth: "legacy",
      statuses: ORG_STATUSES,
    });
  },
  inspect: snapshot,
});
