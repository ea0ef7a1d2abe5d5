import { afterEach, describe, expect, it } from "vitest";
import type { Emulator, EmulatorOptions } from "../src/index.js";
import type { OrganizationSnapshot } from "../src/areas/organization/routes.js";
import { SEED_ORG } from "../src/areas/organization/seed.js";
import { call, expectError, expectShape, startTestEmulator, type CallResult } from "./helpers.js";

let emulator: Emulator;

async function start(options: EmulatorOptions = {}): Promise<void> {
  ({ emulator } = await startTestEmulator({ plan: "enterprise", ...options }));
}
afterEach(() => emulator?.close());

/** organization.yml: the 200 body of both manage routes. */
const MANAGE_RESULT = { success: "boolean", message: "string" } as const;

const ORG = SEED_ORG.organizationId;
const WS = SEED_ORG.workspaces;
const ROLES = SEED_ORG.roles;
const EMAILS = SEED_ORG.emails;
const charlesHeaders = { authorization: `Bearer ${SEED_ORG.nonAdmin.apiKey}` };

type Who = "admin" | "charles" | "other" | "team";

function post(path: string, body: unknown, who: Who = "admin"): Promise<CallResult> {
  if (who === "charles") return call(emulator, "POST", path, { body, auth: "none", headers: charlesHeaders });
  return call(emulator, "POST", path, { body, auth: who === "admin" ? "personal" : who });
}

const roleBody = (over: Record<string, unknown> = {}) => ({
  organization_id: ORG,
  user_id: emulator.userId,
  group_id: ROLES.finance,
  action: "add",
  user_email: EMAILS.alan,
  ...over,
});
const wsBody = (over: Record<string, unknown> = {}) => ({
  organization_id: ORG,
  user_id: emulator.userId,
  workspace_id: WS.sales,
  action: "add",
  user_email: EMAILS.alan,
  ...over,
});
const manageRole = (over: Record<string, unknown> = {}, who: Who = "admin") =>
  post("/manage_permission_group_users", roleBody(over), who);
const manageWs = (over: Record<string, unknown> = {}, who: Who = "admin") =>
  post("/manage_workspace_users", wsBody(over), who);
const snapshot = () => emulator.inspect().organization as OrganizationSnapshot;

function expectOk(res: CallResult, message: RegExp): void {
  expect(res.status, res.text).toBe(200);
  expectShape(res.body, MANAGE_RESULT, "manage result");
  expect(res.body.success).toBe(true);
  expect(res.body.message).toMatch(message);
}

/** The legacy flat body of Gumloop's permission decorator. */
function expectTierRequired(res: CallResult, deniedKey: string): void {
  expect(res.status, res.text).toBe(403);
  expect(res.headers.get("content-type")).toContain("application/json");
  expect(res.body).toEqual({
    error: "tier_required_enterprise",
    minimum_tier: "enterprise",
    denied_keys: [deniedKey],
  });
}

describe("the seeded organization", () => {
  it("has the default user as its admin, three workspaces, two roles and several members (inspect)", async () => {
    await start();
    const org = snapshot();
    expect(org.organizations[ORG]).toMatchObject({ admins: [EMAILS.admin] });
    expect(org.organizations[ORG]!.members).toEqual(
      expect.arrayContaining([EMAILS.admin, EMAILS.charles, EMAILS.mary, EMAILS.alan]),
    );
    expect(org.organizations[ORG]!.members).not.toContain(EMAILS.outsider);
    for (const id of Object.values(WS)) expect(org.workspaces[id]!.organizationId).toBe(ORG);
    expect(org.workspaces[WS.operations]).toEqual({
      name: "Operations",
      organizationId: ORG,
      members: [EMAILS.mary, EMAILS.charles],
      admins: [EMAILS.mary],
    });
    expect(org.roles[ROLES.analysts]).toEqual({
      name: "Analysts",
      organizationId: ORG,
      members: [EMAILS.admin, EMAILS.charles],
    });
    expect(org.roles[ROLES.finance]!.members).toEqual([EMAILS.mary]);
    expect(org.roles[SEED_ORG.otherRoleId]!.organizationId).toBe(SEED_ORG.otherOrganizationId);
  });
});

describe("POST /manage_permission_group_users (update_a_gumloop_permission_group_user_by_id)", () => {
  it("adds and removes a role member; the change is visible in inspect(); repeats are 200 no-ops", async () => {
    await start();
    expectOk(await manageRole(), /Added alan@example\.com/);
    expect(snapshot().roles[ROLES.finance]!.members).toEqual([EMAILS.mary, EMAILS.alan]);
    expectOk(await manageRole(), /already has/);
    expect(snapshot().roles[ROLES.finance]!.members).toEqual([EMAILS.mary, EMAILS.alan]);
    expectOk(await manageRole({ action: "remove" }), /Removed alan@example\.com/);
    expect(snapshot().roles[ROLES.finance]!.members).toEqual([EMAILS.mary]);
    expectOk(await manageRole({ action: "remove" }), /does not have/);
  });

  it("adding a role does not remove the user's other roles; emails match case-insensitively", async () => {
    await start();
    expectOk(await manageRole({ user_email: "Charles@Example.com" }), /Added/);
    const roles = snapshot().roles;
    expect(roles[ROLES.finance]!.members).toContain(EMAILS.charles);
    expect(roles[ROLES.analysts]!.members).toContain(EMAILS.charles);
  });

  it("400 for each missing parameter (named), an invalid action, a non-string field or a bad email", async () => {
    await start();
    for (const field of ["organization_id", "user_id", "group_id", "action", "user_email"]) {
      const res = await manageRole({ [field]: undefined });
      expectError(res, 400, "invalid_request");
      expect(res.body.error.message).toContain(field);
    }
    expectError(await manageRole({ action: "delete" }), 400);
    expectError(await manageRole({ action: "ADD" }), 400);
    expectError(await manageRole({ group_id: 42 }), 400);
    expectError(await manageRole({ user_email: "alan" }), 400);
    const malformed = await call(emulator, "POST", "/manage_permission_group_users", {
      rawBody: "{",
      headers: { "content-type": "application/json" },
    });
    expectError(malformed, 400);
  });

  it("403 when user_id is not the key's user, the caller is not an org admin, or the role is another org's", async () => {
    await start();
    expectError(await manageRole({ user_id: SEED_ORG.nonAdmin.userId }), 403, "api_key_mismatch");
    expectError(await manageRole({ user_id: SEED_ORG.nonAdmin.userId }, "charles"), 403, "not_org_admin");
    expectError(await manageRole({ user_id: emulator.otherUser.userId }, "other"), 403, "not_org_admin");
    expectError(await manageRole({ group_id: SEED_ORG.otherRoleId }), 403, "role_not_in_organization");
    expect(snapshot().roles[ROLES.finance]!.members).toEqual([EMAILS.mary]);
  });

  it("404 for an unknown organization, role or user (a user of another organization is not found)", async () => {
    await start();
    expectError(await manageRole({ organization_id: "org_nope" }), 404, "organization_not_found");
    expectError(await manageRole({ group_id: "pg_nope" }), 404, "custom_role_not_found");
    expectError(await manageRole({ user_email: "nobody@example.com" }), 404, "user_not_found");
    expectError(await manageRole({ user_email: EMAILS.outsider }), 404, "user_not_found");
  });

  it("a team key is not an org admin, even naming a member who is one (403)", async () => {
    await start();
    expectError(await manageRole({}, "team"), 403, "team_key_not_allowed");
    expectError(await manageRole({ user_id: SEED_ORG.nonAdmin.userId }, "team"), 403, "team_key_not_allowed");
  });

  it("401 without a key; 403 tier_required_enterprise (legacy flat body) off the enterprise plan", async () => {
    await start();
    const anonymous = await call(emulator, "POST", "/manage_permission_group_users", {
      body: roleBody(),
      auth: "none",
    });
    expectError(anonymous, 401);
    await emulator.close();
    await start({ plan: "pro" });
    expectTierRequired(await manageRole(), "custom_roles");
    await emulator.close();
    await start({ plan: "free" });
    expectTierRequired(await manageRole(), "custom_roles");
    expect(snapshot().roles[ROLES.finance]!.members).toEqual([EMAILS.mary]);
  });
});

describe("POST /manage_workspace_users (gumloop_workspace_users_bulk_update)", () => {
  it("adds (is_admin defaults to false) and removes a workspace member, visible in inspect()", async () => {
    await start();
    expectOk(await manageWs(), /Added alan@example\.com to workspace Sales\.$/);
    expect(snapshot().workspaces[WS.sales]).toMatchObject({
      members: [EMAILS.admin, EMAILS.alan],
      admins: [EMAILS.admin],
    });
    expectOk(await manageWs(), /already a member/);
    expectOk(await manageWs({ is_admin: true }), /admin set to true/);
    expect(snapshot().workspaces[WS.sales]!.admins).toEqual([EMAILS.admin, EMAILS.alan]);
    expectOk(await manageWs({ action: "remove" }), /Removed/);
    expect(snapshot().workspaces[WS.sales]).toMatchObject({
      members: [EMAILS.admin],
      admins: [EMAILS.admin],
    });
    expectOk(await manageWs({ action: "remove" }), /not a member/);
  });

  it("is_admin: true on add makes a workspace admin", async () => {
    await start();
    expectOk(await manageWs({ workspace_id: WS.operations, is_admin: true }), /as an admin/);
    expect(snapshot().workspaces[WS.operations]!.admins).toEqual([EMAILS.mary, EMAILS.alan]);
  });

  it("workspace membership is team membership: the added user gains access to the team's agents", async () => {
    await start();
    const listResearch = () =>
      call(emulator, "GET", "/agents", {
        query: { team_id: WS.research },
        auth: "none",
        headers: { ...charlesHeaders, "x-auth-key": SEED_ORG.nonAdmin.userId },
      });
    expectError(await listResearch(), 403);
    expectOk(await manageWs({ workspace_id: WS.research, user_email: EMAILS.charles }), /Added/);
    expect((await listResearch()).status).toBe(200);
    expectOk(
      await manageWs({ workspace_id: WS.research, user_email: EMAILS.charles, action: "remove" }),
      /Removed/,
    );
    expectError(await listResearch(), 403);
  });

  it("400 for missing parameters, an invalid action, a non-boolean is_admin, or removing the owner", async () => {
    await start();
    for (const field of ["organization_id", "user_id", "workspace_id", "action", "user_email"]) {
      const res = await manageWs({ [field]: undefined });
      expectError(res, 400);
      expect(res.body.error.message).toContain(field);
    }
    expectError(await manageWs({ action: "invite" }), 400);
    expectError(await manageWs({ is_admin: "yes" }), 400);
    expectError(await manageWs({ action: "remove", user_email: EMAILS.admin }), 400);
    expect(snapshot().workspaces[WS.sales]!.members).toEqual([EMAILS.admin]);
  });

  it("403 for a non-admin caller, a mismatched user_id, or a workspace of another organization", async () => {
    await start();
    expectError(await manageWs({ user_id: SEED_ORG.nonAdmin.userId }, "charles"), 403, "not_org_admin");
    expectError(await manageWs({ user_id: "user_someone_else" }), 403, "api_key_mismatch");
    expectError(
      await manageWs({ workspace_id: SEED_ORG.otherWorkspaceId }),
      403,
      "workspace_not_in_organization",
    );
  });

  it("404 for an unknown organization, workspace or user", async () => {
    await start();
    expectError(await manageWs({ organization_id: "org_nope" }), 404);
    expectError(await manageWs({ workspace_id: "team_nope" }), 404, "workspace_not_found");
    expectError(await manageWs({ user_email: "nobody@example.com" }), 404, "user_not_found");
  });

  it("403 tier_required_enterprise off the enterprise plan", async () => {
    await start({ plan: "pro" });
    expectTierRequired(await manageWs(), "workspace_management");
  });

  it("changes are written to the audit log", async () => {
    await start();
    await manageWs();
    await manageRole();
    await manageRole(); // no-op: not logged
    const res = await call(emulator, "GET", "/get_audit_logs", {
      query: {
        organization_id: ORG,
        user_id: emulator.userId,
        start_time: "2026-06-01T00:00:00Z",
        end_time: "2026-06-02T00:00:00Z",
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.audit_logs.map((e: { event_type: string }) => e.event_type).sort()).toEqual([
      "permission_group_user_added",
      "workspace_user_added",
    ]);
    expect(res.body.audit_logs.every((e: { user_id: string }) => e.user_id === emulator.userId)).toBe(true);
  });
});
