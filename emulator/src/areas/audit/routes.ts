/**
 * Organization audit logs (organization.yml `getOrganizationAuditLogs`, tool 23): `GET /get_audit_logs`, paged by
 * page number, with the Oct-spec filters. Enterprise only, org admins only (see `organization/access.ts`).
 *
 * Inference where Gumloop is silent: newest events first; `start_time`/`end_time` are inclusive; an end before the
 * start is a 400; `page_size` accepts 1–1000 (the maximum is unknown); a page past the end is an empty page, not an
 * error; `total_pages` is 0 when nothing matches; an unknown event type in a filter matches nothing (no 400);
 * `details` is a JSON-encoded object (the spec only says "string").
 */
import { defineArea, type AreaEnv } from "../../area.js";
import { json, type RequestContext, type Reply } from "../../server/context.js";
import { invalidRequest } from "../../server/errors.js";
import { iso } from "../../world/time.js";
import { auditState, seedAuditLog, type AuditEvent } from "./log.js";
import {
  adminCaller,
  enterpriseOnly,
  ORG_STATUSES,
  parseRange,
  queryRecord,
  requireOrgAdmin,
  requireOrganization,
  requireParams,
  stringParam,
} from "../organization/access.js";

/** Largest accepted `page_size` (inference: Gumloop documents no maximum). */
export const MAX_AUDIT_PAGE_SIZE = 1000;

function positiveInt(value: string | undefined, name: string, fallback: number, max = Infinity): number {
  if (value === undefined || value.trim() === "") return fallback;
  if (!/^\d+$/.test(value.trim())) throw invalidRequest(`${name} must be a positive integer`, name);
  const n = Number(value.trim());
  if (n < 1 || n > max) {
    throw invalidRequest(
      max === Infinity ? `${name} must be at least 1` : `${name} must be between 1 and ${max}`,
      name,
    );
  }
  return n;
}

/** A comma-separated filter, from its plural name and (when it has one) its singular alias. */
function listFilter(ctx: RequestContext, plural: string, singular?: string): Set<string> | null {
  const raw = [...ctx.query.getAll(plural), ...(singular ? ctx.query.getAll(singular) : [])];
  const values = raw
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter(Boolean);
  return values.length ? new Set(values) : null;
}

function auditView(event: AuditEvent): Record<string, unknown> {
  return {
    event_id: event.id,
    timestamp: iso(event.time),
    event_type: event.type,
    user_id: event.userId,
    details: JSON.stringify(event.details),
    source_ip: event.sourceIp,
    user_agent: event.userAgent,
  };
}

function getAuditLogs(ctx: RequestContext): Reply {
  const q = queryRecord(ctx);
  requireParams(q, ["organization_id", "user_id", "start_time", "end_time"]);
  const orgId = stringParam(q, "organization_id");
  const { start, end } = parseRange(q, "start_time", "end_time");
  const page = positiveInt(ctx.queryParam("page"), "page", 1);
  const pageSize = positiveInt(ctx.queryParam("page_size"), "page_size", 50, MAX_AUDIT_PAGE_SIZE);
  const userId = adminCaller(ctx, q);
  const org = requireOrganization(ctx, orgId);
  requireOrgAdmin(org, userId);

  const types = listFilter(ctx, "event_types", "event_type");
  const users = listFilter(ctx, "user_ids");
  const ips = listFilter(ctx, "ip_addresses", "ip_address");
  const workspaces = listFilter(ctx, "workspace_ids", "workspace_id");
  const entities = listFilter(ctx, "entity_ids", "entity_id");
  const inOrg = auditState(ctx.env).events.filter((e) => e.orgId === org.id);
  const matching = inOrg
    .filter((e) => e.time >= start && e.time <= end)
    .filter((e) => !types || types.has(e.type))
    .filter((e) => !users || users.has(e.userId))
    .filter((e) => !ips || ips.has(e.sourceIp))
    .filter((e) => !workspaces || (e.workspaceId !== null && workspaces.has(e.workspaceId)))
    .filter((e) => !entities || (e.entityId !== null && entities.has(e.entityId)))
    .sort((a, b) => b.time - a.time || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  const offset = (page - 1) * pageSize;
  return json(200, {
    audit_logs: matching.slice(offset, offset + pageSize).map(auditView),
    total_count: matching.length,
    page,
    page_size: pageSize,
    total_pages: Math.ceil(matching.length / pageSize),
    event_types: [...new Set(inOrg.map((e) => e.type))].sort(),
  });
}

/** Read-only counts for `inspect()`. */
export interface AuditSnapshot {
  total: number;
  perOrganization: Record<string, number>;
  byType: Record<string, number>;
}

/** The audit-logs area. */
export const auditArea = defineArea({
  name: "audit",
  seed: (env: AreaEnv) => seedAuditLog(env),
  routes(r) {
    r.get("/get_audit_logs", enterpriseOnly(["audit_logs"], getAuditLogs), {
      auth: "legacy",
      statuses: ORG_STATUSES,
    });
  },
  inspect(env): AuditSnapshot {
    const snapshot: AuditSnapshot = { total: 0, perOrganization: {}, byType: {} };
    for (const event of auditState(env).events) {
      snapshot.total++;
      snapshot.perOrganization[event.orgId] = (snapshot.perOrganization[event.orgId] ?? 0) + 1;
      snapshot.byType[event.type] = (snapshot.byType[event.type] ?? 0) + 1;
    }
    return snapshot;
  },
});
