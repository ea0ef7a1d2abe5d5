/**
 * Access rules shared by the enterprise admin routes (exports, audit logs, roles, workspace users).
 *
 * These are legacy-style routes: a Bearer key, and the caller's `user_id` as an explicit parameter, checked with
 * `ctx.legacyScope()` (403 "API key does not match" when it is not the key's user). They are enterprise features:
 * on any other plan they answer 403 with the legacy flat body of Gumloop's permission decorator,
 * `{"error": "tier_required_enterprise", "minimum_tier": "enterprise", "denied_keys": [...]}`. That this body (and
 * not the error envelope) is what these routes send is inference from the SDK's error parsing; the `denied_keys`
 * values (`data_export`, `audit_logs`, `custom_roles`, `workspace_management`) are inference too.
 */
import { json, type Handler, type RequestContext } from "../../server/context.js";
import { ApiError, invalidRequest, notFound } from "../../server/errors.js";
import type { OrganizationRecord } from "../../world/model.js";
import { parseIso } from "../../world/time.js";

/** What organization.yml declares for each of its operations (audit logs, users, exports): 200, 400, 401, 403, 404, 500. */
export const ORG_STATUSES: readonly number[] = [200, 400, 401, 403, 404, 500];

/** Wraps a handler so that it only runs on the enterprise plan. */
export function enterpriseOnly(deniedKeys: readonly string[], handler: Handler): Handler {
  return (ctx) => {
    if (ctx.env.options.plan === "enterprise") return handler(ctx);
    return json(403, {
      error: "tier_required_enterprise",
      minimum_tier: "enterprise",
      denied_keys: [...deniedKeys],
    });
  };
}

function isMissing(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === "string" && value.trim() === "");
}

/** 400 naming every missing parameter of `names` (absent, null or blank). */
export function requireParams(source: Record<string, unknown>, names: readonly string[]): void {
  const missing = names.filter((name) => isMissing(source[name]));
  if (missing.length === 0) return;
  throw invalidRequest(
    `Missing required parameter${missing.length > 1 ? "s" : ""}: ${missing.join(", ")}`,
    missing[0]!,
  );
}

/** A present parameter that must be a string (400 otherwise). */
export function stringParam(source: Record<string, unknown>, name: string): string {
  const value = source[name];
  if (typeof value !== "string") throw invalidRequest(`${name} must be a string`, name);
  return value.trim();
}

/** The query string as a plain object (first value of each name). */
export function queryRecord(ctx: RequestContext): Record<string, unknown> {
  // Null prototype: keys are caller-chosen names (`__proto__`, `constructor` must stay plain keys).
  const record: Record<string, unknown> = Object.create(null);
  for (const [key, value] of ctx.query) if (!(key in record)) record[key] = value;
  return record;
}

/**
 * The caller's user id: `user_id` is required (400), and must be the key's user (403 "API key does not match").
 * Team keys are refused outright (403).
 */
export function adminCaller(ctx: RequestContext, source: Record<string, unknown>): string {
  // The reference (gumloop-api.md 2.8) says these routes are for "enterprise organization administrators" and
  // says nothing of team keys. A team key acts for one team, so it is not an org admin: 403 before anything else
  // (inference), otherwise a team key plus a member's `user_id` would get that member's org-wide rights.
  if (ctx.caller.kind === "team") {
    throw new ApiError(
      403,
      "team_key_not_allowed",
      "Team API keys cannot use organization admin routes; use an org admin's personal key.",
    );
  }
  requireParams(source, ["user_id"]);
  stringParam(source, "user_id");
  const scope = ctx.legacyScope();
  return scope.userId ?? ctx.caller.userId;
}

/** The organization with `orgId` (404 when unknown). */
export function requireOrganization(ctx: RequestContext, orgId: string): OrganizationRecord {
  const org = ctx.env.store.organizations.get(orgId);
  if (!org) throw notFound("Organization", orgId);
  return org;
}

/** 403 unless `userId` is an admin of `org`. The slug `not_org_admin` is inference. */
export function requireOrgAdmin(org: OrganizationRecord, userId: string): void {
  if (!org.adminIds.includes(userId)) {
    throw new ApiError(403, "not_org_admin", `User ${userId} is not an admin of organization ${org.id}.`);
  }
}

/** The organization `userId` belongs to, which must exist and have them as an admin (403 otherwise). */
export function callerOrganization(ctx: RequestContext, userId: string): OrganizationRecord {
  const orgId = ctx.env.store.users.get(userId)?.orgId;
  const org = orgId ? ctx.env.store.organizations.get(orgId) : undefined;
  if (!org) throw new ApiError(403, "not_org_admin", `User ${userId} is not an organization admin.`);
  requireOrgAdmin(org, userId);
  return org;
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Parses an ISO 8601 date-time (`2025-01-01T00:00:00Z`; no offset means UTC). Anything else, including
 * impossible dates such as February 30, is a 400 naming the field. Date-only values are rejected (the spec says
 * `format: date-time`).
 */
export function parseDateTime(value: unknown, name: string): number {
  if (typeof value !== "string") throw invalidRequest(`${name} must be an ISO 8601 date-time string`, name);
  const match = DATE_TIME.exec(value.trim());
  const ms = match ? parseIso(match[7] ? value.trim() : `${value.trim()}Z`) : undefined;
  if (!match || ms === undefined) {
    throw invalidRequest(`${name} must be an ISO 8601 date-time, e.g. 2025-01-01T00:00:00Z`, name);
  }
  const [, y, mo, d, h, mi, s] = match;
  const check = new Date(
    Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0)),
  );
  if (
    check.getUTCFullYear() !== Number(y) ||
    check.getUTCMonth() !== Number(mo) - 1 ||
    check.getUTCDate() !== Number(d) ||
    check.getUTCHours() !== Number(h) ||
    check.getUTCMinutes() !== Number(mi)
  ) {
    throw invalidRequest(`${name} is not a valid date-time: ${value}`, name);
  }
  return ms;
}

/** Parses a start/end pair; 400 when the end is before the start (inference: Gumloop does not say). */
export function parseRange(
  source: Record<string, unknown>,
  startName: string,
  endName: string,
): { start: number; end: number } {
  const start = parseDateTime(source[startName], startName);
  const end = parseDateTime(source[endName], endName);
  if (end < start) throw invalidRequest(`${endName} must not be before ${startName}`, endName);
  return { start, end };
}
