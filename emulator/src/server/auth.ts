/**
 * Authentication as gumloop-api.md 3.2 describes it.
 *
 * - Personal API key: `Authorization: Bearer <key>` plus `x-auth-key: <user id>` of the key's owner.
 * - Team API key: Bearer only; acts for its team. `team_id` (query, or body where Gumloop reads it) is validated
 *   against the key's team. `x-auth-key` may name the team member to act as.
 * - OAuth access token: Bearer only, no `x-auth-key`.
 * - Legacy routes (flows, files, organization) were documented with the Bearer key alone and take `user_id` /
 *   `project_id` as parameters; {@link legacyScope} checks those against the key.
 */
import type { IncomingHttpHeaders } from "node:http";
import { ApiError, forbidden, invalidRequest } from "./errors.js";
import type { CredentialRecord } from "../world/model.js";
import type { Store } from "../world/store.js";

/** Who is calling. */
export interface Principal {
  /** Which kind of credential was presented. */
  kind: CredentialRecord["kind"];
  /** The acting user (for a team key: the member named by `x-auth-key`, else the team's owner). */
  userId: string;
  /** The key's team, for team keys; null otherwise. */
  teamId: string | null;
  /** OAuth scopes; empty for API keys. */
  scopes: string[];
}

/** How a route authenticates. */
export type AuthMode = "standard" | "legacy" | "none";

function unauthorized(code: string, message: string): ApiError {
  // Codes are inference: Gumloop documents the 401 status and `authentication_error` type, not these slugs.
  return new ApiError(401, code, message);
}

function bearerToken(headers: IncomingHttpHeaders): string | null {
  const header = headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1]! : "";
}

/**
 * Identifies the caller from the headers, or throws a 401 envelope. In `legacy` mode a personal key needs no
 * `x-auth-key` (the legacy docs and SDK never send it; `user_id` is checked per request instead).
 */
export function authenticate(
  headers: IncomingHttpHeaders,
  store: Store,
  mode: Exclude<AuthMode, "none">,
): Principal {
  const token = bearerToken(headers);
  if (token === null) {
    throw unauthorized(
      "missing_api_key",
      "Missing Authorization header. Send `Authorization: Bearer <API key>`.",
    );
  }
  if (token === "")
    throw unauthorized("invalid_authorization_header", "Authorization header must be `Bearer <token>`.");
  const credential = store.credentials.get(token);
  if (!credential) throw unauthorized("invalid_api_key", "Invalid API key or access token.");
  const authKey = typeof headers["x-auth-key"] === "string" ? headers["x-auth-key"].trim() : "";

  switch (credential.kind) {
    case "personal": {
      if (mode === "standard") {
        if (!authKey) {
          throw unauthorized(
            "missing_auth_key",
            "Personal API keys require the x-auth-key header with your user ID.",
          );
        }
        if (authKey !== credential.userId) {
          throw unauthorized("invalid_auth_key", "The x-auth-key header does not match the API key's user.");
        }
      }
      return { kind: "personal", userId: credential.userId, teamId: null, scopes: [] };
    }
    case "oauth":
      // OAuth callers omit x-auth-key; a stray one is ignored rather than rejected (inference).
      return { kind: "oauth", userId: credential.userId, teamId: null, scopes: [...credential.scopes] };
    case "team": {
      const team = store.teams.get(credential.teamId);
      if (!team || team.memberIds.length === 0) throw unauthorized("invalid_api_key", "Invalid API key.");
      let userId = team.memberIds[0]!;
      if (authKey) {
        if (!team.memberIds.includes(authKey)) {
          throw forbidden(`User ${authKey} is not a member of team ${team.id}.`);
        }
        userId = authKey;
      }
      return { kind: "team", userId, teamId: team.id, scopes: [] };
    }
  }
}

/** True when the principal may act on objects owned by `teamId`. */
export function canAccessTeam(principal: Principal, store: Store, teamId: string): boolean {
  if (principal.kind === "team") return principal.teamId === teamId;
  return store.isMember(principal.userId, teamId);
}

/**
 * Resolves the team a request is scoped to: the `team_id` it names (checked: 403 when the caller is not in it),
 * or, when it names none, the team key's own team, or null for a user-scoped request.
 */
export function resolveTeamScope(principal: Principal, store: Store, teamId: unknown): string | null {
  if (teamId !== undefined && teamId !== null && teamId !== "") {
    if (typeof teamId !== "string") throw invalidRequest("team_id must be a string", "team_id");
    if (!store.teams.has(teamId)) {
      // Inference: an unknown team is reported like a team the caller cannot see, so ids do not leak.
      throw forbidden(`You do not have access to team ${teamId}.`);
    }
    if (!canAccessTeam(principal, store, teamId))
      throw forbidden(`You do not have access to team ${teamId}.`);
    return teamId;
  }
  return principal.kind === "team" ? principal.teamId : null;
}

/** The user/team a legacy request is for. */
export interface LegacyScope {
  userId: string | null;
  teamId: string | null;
}

/**
 * Checks the `user_id` / `project_id` parameters of a legacy route against the key. At least one is required
 * (400). A `user_id` that is not the key's user is 403 "API key does not match", as the legacy docs put it; a
 * `project_id` the caller is not a member of is 403 as well.
 */
export function legacyScope(
  principal: Principal,
  store: Store,
  params: { user_id?: unknown; project_id?: unknown },
): LegacyScope {
  const userId = optionalString(params.user_id, "user_id");
  const projectId = optionalString(params.project_id, "project_id");
  if (!userId && !projectId) throw invalidRequest("Missing user_id or project_id", "user_id");
  if (userId) {
    const allowed =
      principal.kind === "team"
        ? principal.teamId !== null && store.isMember(userId, principal.teamId)
        : userId === principal.userId;
    if (!allowed) throw new ApiError(403, "api_key_mismatch", "API key does not match");
  }
  if (projectId && !canAccessTeam(principal, store, projectId)) {
    throw new ApiError(403, "api_key_mismatch", "API key does not match");
  }
  return {
    userId: userId ?? (principal.kind === "team" ? null : principal.userId),
    teamId: projectId ?? null,
  };
}

function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") throw invalidRequest(`${name} must be a string`, name);
  return value;
}
