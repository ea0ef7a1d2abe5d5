/**
 * The seeded organization the enterprise admin routes (exports, audit logs, roles, workspace members) act on.
 *
 * It is the default user's organization from `world/identity.ts` (the default user is its only admin). Workspaces are
 * teams: Gumloop's legacy API calls a team a project or workspace, so workspace membership *is* team membership
 * (`store.teams[...].memberIds` / `adminIds`), and adding someone to a workspace gives them that team. Custom roles
 * (formerly permission groups, `group_id`) live in the organization area's own state.
 *
 * Seed (fixed ids, default options):
 * - organization `org_a1c3e5f7` "Analytical Engines Ltd"; admin: the default user (ada@example.com)
 * - workspaces: `team_4f8c92ab` Research and `team_51d0e7aa` Sales (the default user's teams, from world/identity.ts),
 *   plus `team_3e8b0d52` Operations (members mary@ as workspace admin, charles@; the default user is not a member)
 * - members: ada@example.com (org admin), charles@example.com (non-admin, with a personal API key, for 403
 *   "not an org admin" tests), mary@example.com, alan@example.com (in no workspace and no role)
 * - roles: `pg_7c2e9a41` Analysts (ada@, charles@), `pg_b5d3f018` Finance Reviewers (mary@)
 * - the other organization `org_b2d4f6a8` (the other user's, who is its admin) with role `pg_e1a6c4d9`, for
 *   "role / workspace not in this organization" tests.
 *
 * Seeding consumes no generated ids, so it shifts no ids other areas hand out.
 */
import type { AreaEnv } from "../../area.js";
import { DEFAULT_IDENTITY } from "../../world/identity.js";
import type { UserRecord } from "../../world/model.js";

/** A custom role (permission group) of an organization. */
export interface RoleRecord {
  id: string;
  orgId: string;
  name: string;
  /** Member user ids, in the order they were added. */
  memberIds: string[];
}

/** The organization area's private state. */
export interface OrgState {
  roles: Map<string, RoleRecord>;
}

/** The organization area's state, created on first use. */
export function orgState(env: AreaEnv): OrgState {
  return env.store.area("organization", () => ({ roles: new Map<string, RoleRecord>() }));
}

/** Ids and emails of the seeded organization (with default options). */
export const SEED_ORG = {
  organizationId: DEFAULT_IDENTITY.orgId,
  /** The other user's organization: the default user is not in it. */
  otherOrganizationId: DEFAULT_IDENTITY.otherOrgId,
  workspaces: {
    research: DEFAULT_IDENTITY.teamId,
    sales: DEFAULT_IDENTITY.secondTeamId,
    operations: "team_3e8b0d52",
  },
  /** A workspace of the other organization. */
  otherWorkspaceId: DEFAULT_IDENTITY.otherTeamId,
  roles: { analysts: "pg_7c2e9a41", finance: "pg_b5d3f018" },
  /** A role of the other organization. */
  otherRoleId: "pg_e1a6c4d9",
  emails: {
    admin: "ada@example.com",
    charles: "charles@example.com",
    mary: "mary@example.com",
    alan: "alan@example.com",
    /** The other user, who is in the other organization. */
    outsider: "grace@example.com",
  },
  /** A member who is not an org admin, with a personal API key of their own. */
  nonAdmin: {
    userId: "user_5c1a9e3d",
    email: "charles@example.com",
    apiKey: "gl_test_personal_member_3b7d1f9a2c6e",
  },
  userIds: { charles: "user_5c1a9e3d", mary: "user_8a4f2c6e", alan: "user_1d9b3f7c" },
} as const;

function member(
  env: AreaEnv,
  id: string,
  firstName: string,
  lastName: string,
  email: string,
  defaultTeamId: string,
): UserRecord {
  const user: UserRecord = {
    id,
    firstName,
    lastName,
    email,
    profilePicture: null,
    orgId: env.identity.orgId,
    defaultTeamId,
  };
  env.store.users.set(id, user);
  return user;
}

/** Seeds the organization's extra members, the Operations workspace and the custom roles. */
export function seedOrganization(env: AreaEnv): void {
  const { identity, store } = env;
  const ops = SEED_ORG.workspaces.operations;
  const ids = SEED_ORG.userIds;
  member(env, ids.charles, "Charles", "Babbage", SEED_ORG.emails.charles, ops);
  member(env, ids.mary, "Mary", "Somerville", SEED_ORG.emails.mary, ops);
  member(env, ids.alan, "Alan", "Turing", SEED_ORG.emails.alan, ops);
  store.credentials.set(SEED_ORG.nonAdmin.apiKey, {
    kind: "personal",
    token: SEED_ORG.nonAdmin.apiKey,
    userId: ids.charles,
  });
  store.teams.set(ops, {
    id: ops,
    name: "Operations",
    orgId: identity.orgId,
    memberIds: [ids.mary, ids.charles],
    adminIds: [ids.mary],
  });

  const { roles } = orgState(env);
  const role = (id: string, orgId: string, name: string, memberIds: string[]) =>
    roles.set(id, { id, orgId, name, memberIds });
  role(SEED_ORG.roles.analysts, identity.orgId, "Analysts", [identity.userId, ids.charles]);
  role(SEED_ORG.roles.finance, identity.orgId, "Finance Reviewers", [ids.mary]);
  role(SEED_ORG.otherRoleId, identity.otherUser.orgId, "Compiler Admins", [identity.otherUser.userId]);
}

/** The user with `email` (case-insensitive), if any. */
export function userByEmail(env: AreaEnv, email: string): UserRecord | undefined {
  const wanted = email.trim().toLowerCase();
  for (const user of env.store.users.values()) if (user.email.toLowerCase() === wanted) return user;
  return undefined;
}

/** Workspaces (teams) of an organization, in insertion order. */
export function workspacesOf(env: AreaEnv, orgId: string) {
  return [...env.store.teams.values()].filter((team) => team.orgId === orgId);
}

/** Ids of the roles `userId` holds in `orgId`, in seed order. */
export function rolesOf(env: AreaEnv, orgId: string, userId: string): RoleRecord[] {
  return [...orgState(env).roles.values()].filter(
    (role) => role.orgId === orgId && role.memberIds.includes(userId),
  );
}
