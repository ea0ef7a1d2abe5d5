/**
 * The seeded people and credentials: the default user (with a personal key, an OAuth token and a team with a team
 * key) and a second user in another organization, whose objects the first may not touch (403 tests).
 */
import type { ResolvedOptions } from "../options.js";
import type { Store } from "./store.js";

/** Credentials of a seeded user. */
export interface UserCredentials {
  readonly apiKey: string;
  readonly userId: string;
  readonly teamId: string;
}

/** Everything the seed created for authentication. */
export interface Identity extends UserCredentials {
  readonly orgId: string;
  /** A team key for `teamId`. */
  readonly teamApiKey: string;
  /** OAuth access token of the default user. */
  readonly oauthToken: string;
  /** A second team the default user belongs to (shared with nobody else), for team-scoping tests. */
  readonly secondTeamId: string;
  /** A second user, in another organization. */
  readonly otherUser: UserCredentials & { readonly orgId: string };
}

/** Fixed ids and keys of the default seed. Keys are obviously fake so nobody mistakes them for real ones. */
export const DEFAULT_IDENTITY = {
  userId: "user_2b9d71f0",
  teamId: "team_4f8c92ab",
  secondTeamId: "team_51d0e7aa",
  orgId: "org_a1c3e5f7",
  apiKey: "gl_test_personal_0f3c9a7e5b1d4c2a8e6f",
  teamApiKey: "gl_test_team_7a2e4c6b8d0f1e3a5c7b",
  oauthToken: "gl_test_oauth_c4d2b6a8e0f1c3e5a7b9",
  otherUserId: "user_7e3c55aa",
  otherTeamId: "team_9d1e07c3",
  otherOrgId: "org_b2d4f6a8",
  otherApiKey: "gl_test_personal_other_5e9b1c7d3a2f",
} as const;

/** Creates organizations, users, teams and credentials; returns what tests and clients need. */
export function seedIdentity(store: Store, options: ResolvedOptions): Identity {
  const d = DEFAULT_IDENTITY;
  const userId = options.userId ?? d.userId;
  const teamId = options.teamId ?? d.teamId;
  const apiKey = options.apiKey ?? d.apiKey;

  store.organizations.set(d.orgId, { id: d.orgId, name: "Analytical Engines Ltd", adminIds: [userId] });
  store.organizations.set(d.otherOrgId, {
    id: d.otherOrgId,
    name: "Compiler Works",
    adminIds: [d.otherUserId],
  });

  store.users.set(userId, {
    id: userId,
    firstName: "Ada",
    lastName: "Lovelace",
    email: "ada@example.com",
    profilePicture: null,
    orgId: d.orgId,
    defaultTeamId: teamId,
  });
  store.users.set(d.otherUserId, {
    id: d.otherUserId,
    firstName: "Grace",
    lastName: "Hopper",
    email: "grace@example.com",
    profilePicture: null,
    orgId: d.otherOrgId,
    defaultTeamId: d.otherTeamId,
  });

  store.teams.set(teamId, {
    id: teamId,
    name: "Research",
    orgId: d.orgId,
    memberIds: [userId],
    adminIds: [userId],
  });
  store.teams.set(d.secondTeamId, {
    id: d.secondTeamId,
    name: "Sales",
    orgId: d.orgId,
    memberIds: [userId],
    adminIds: [userId],
  });
  store.teams.set(d.otherTeamId, {
    id: d.otherTeamId,
    name: "Compilers",
    orgId: d.otherOrgId,
    memberIds: [d.otherUserId],
    adminIds: [d.otherUserId],
  });

  store.credentials.set(apiKey, { kind: "personal", token: apiKey, userId });
  store.credentials.set(d.teamApiKey, { kind: "team", token: d.teamApiKey, teamId });
  store.credentials.set(d.oauthToken, { kind: "oauth", token: d.oauthToken, userId, scopes: ["gumloop"] });
  store.credentials.set(d.otherApiKey, { kind: "personal", token: d.otherApiKey, userId: d.otherUserId });

  return {
    userId,
    teamId,
    orgId: d.orgId,
    apiKey,
    teamApiKey: d.teamApiKey,
    oauthToken: d.oauthToken,
    secondTeamId: d.secondTeamId,
    otherUser: { apiKey: d.otherApiKey, userId: d.otherUserId, teamId: d.otherTeamId, orgId: d.otherOrgId },
  };
}
