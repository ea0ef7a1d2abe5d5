/**
 * Data exports (organization.yml `exportData` / `exportStatus`, tools 21–22): `POST /export_data` starts a job,
 * `GET /export_status` polls it and, once COMPLETED, downloads the CSV. Enterprise only, org admins only (see
 * `organization/access.ts`); the rows are in `rows.ts`, the columns in `fields.ts`.
 *
 * A job is REQUESTED for the first half of `durations.export` (default 20 s), IN_PROGRESS for the second half,
 * then COMPLETED (the CSV is built at that instant) — all on the emulator's clock, settled lazily.
 *
 * Making an export FAIL: put {@link EXPORT_FAIL_ENTITY_ID} in `entity_ids` (non-credit_logs types), or start the
 * emulator with `seedData: { exports: { fail: true } }` to fail every export.
 *
 * Inference where Gumloop is silent: unknown or duplicate `export_fields` are a 400 naming them; an `end_date`
 * before `start_date` is a 400; a workspace of another organization is a 404 like an unknown one; only the user who requested an export may read it
 * (403 otherwise); the CSV's name is `gumloop-<data_type>-export-<id>.csv`; `finished_ts` is omitted (not null)
 * until COMPLETED/FAILED.
 */
import { defineArea, type AreaEnv } from "../../area.js";
import { isPlainObject, json, raw, type RequestContext, type Reply } from "../../server/context.js";
import { ApiError, invalidRequest, notFound } from "../../server/errors.js";
import { iso } from "../../world/time.js";
import { booleanField, booleanQuery, stringArrayField, stringField } from "../../server/validate.js";
import { recordAuditEvent } from "../audit/log.js";
import { EXPORT_DATA_TYPES, EXPORT_FIELDS, toCsv, type ExportDataType } from "./fields.js";
import { exportRows, type ExportScope } from "./rows.js";
import {
  adminCaller,
  callerOrganization,
  enterpriseOnly,
  ORG_STATUSES,
  parseRange,
  queryRecord,
  requireParams,
  stringParam,
} from "../organization/access.js";

/** An entity id that makes an export end FAILED. */
export const EXPORT_FAIL_ENTITY_ID = "entity_export_fails";

/** Export job states. */
export type ExportState = "REQUESTED" | "IN_PROGRESS" | "COMPLETED" | "FAILED";

interface ExportRecord {
  id: string;
  userId: string;
  dataType: ExportDataType;
  fields: string[];
  scope: ExportScope;
  state: ExportState;
  createdAt: number;
  finishedAt: number | null;
  willFail: boolean;
  csv: string | null;
  rowCount: number | null;
}

interface ExportsState {
  exports: Map<string, ExportRecord>;
  failAll: boolean;
}

function exportsState(env: AreaEnv): ExportsState {
  return env.store.area("exports", () => ({ exports: new Map<string, ExportRecord>(), failAll: false }));
}

/** Reads `seedData.exports` (`{ fail?: boolean }`). */
function seedExports(env: AreaEnv): void {
  const option = env.options.seedData.exports;
  if (option === undefined) return;
  if (!isPlainObject(option) || (option.fail !== undefined && typeof option.fail !== "boolean")) {
    throw new TypeError("startEmulator: seedData.exports must be { fail?: boolean }");
  }
  exportsState(env).failAll = option.fail === true;
}

function parseFields(body: Record<string, unknown>, dataType: ExportDataType): string[] {
  const fields = stringArrayField(body, "export_fields")!;
  if (fields.length === 0)
    throw invalidRequest("export_fields must name at least one field", "export_fields");
  const allowed = EXPORT_FIELDS[dataType];
  const unknown = fields.filter((f) => !allowed.includes(f));
  if (unknown.length) {
    throw new ApiError(
      400,
      "invalid_request",
      `Unknown export_fields for data_type ${dataType}: ${unknown.join(", ")}. Allowed: ${allowed.join(", ")}`,
      { param: "export_fields", details: { unknown_fields: unknown, allowed_fields: [...allowed] } },
    );
  }
  const duplicates = fields.filter((f, i) => fields.indexOf(f) !== i);
  if (duplicates.length) {
    throw invalidRequest(`Duplicate export_fields: ${[...new Set(duplicates)].join(", ")}`, "export_fields");
  }
  return fields;
}

function exportData(ctx: RequestContext): Reply {
  const body = ctx.jsonObject();
  requireParams(body, ["user_id", "export_fields", "start_date", "end_date"]);
  const dataType = (stringField(body, "data_type", { nullable: true }) ?? "workflows") as ExportDataType;
  if (!EXPORT_DATA_TYPES.includes(dataType)) {
    throw invalidRequest(`data_type must be one of ${EXPORT_DATA_TYPES.join(", ")}`, "data_type");
  }
  const fields = parseFields(body, dataType);
  const { start, end } = parseRange(body, "start_date", "end_date");
  const level = stringField(body, "export_level", { nullable: true }) ?? "organization";
  if (level !== "workspace" && level !== "organization") {
    throw invalidRequest("export_level must be workspace or organization", "export_level");
  }
  const all = booleanField(body, "include_all_workspaces", true) ?? false;
  const personal = booleanField(body, "include_personal_workspaces", true) ?? false;
  const workspaceIds = stringArrayField(body, "workspace_ids", true) ?? [];
  const entityIds = stringArrayField(body, "entity_ids", true) ?? [];
  const category = stringField(body, "category_filter", { nullable: true }) ?? null;
  const creditLogs = dataType === "credit_logs";
  if (!creditLogs) {
    if (!all && !personal && workspaceIds.length === 0 && entityIds.length === 0) {
      throw invalidRequest(
        "Non-credit_logs exports need a scope: at least one of workspace_ids, include_all_workspaces, include_personal_workspaces or entity_ids",
        "workspace_ids",
      );
    }
    if (level === "workspace" && workspaceIds.length !== 1) {
      throw invalidRequest(
        'export_level "workspace" requires exactly one id in workspace_ids',
        "workspace_ids",
      );
    }
  }

  const userId = adminCaller(ctx, body);
  const org = callerOrganization(ctx, userId);
  if (!creditLogs) {
    for (const id of workspaceIds) {
      if (ctx.env.store.teams.get(id)?.orgId !== org.id) throw notFound("Workspace", id);
    }
  }
  const workspaceLevel = !creditLogs && level === "workspace";
  const scope: ExportScope = {
    orgId: org.id,
    start,
    end,
    allWorkspaces: !creditLogs && all && !workspaceLevel,
    workspaceIds: creditLogs || workspaceIds.length === 0 ? null : new Set(workspaceIds),
    includePersonal: !creditLogs && (personal || all) && !workspaceLevel,
    entityIds: creditLogs || entityIds.length === 0 ? null : new Set(entityIds),
    categoryFilter: creditLogs ? category : null,
  };
  const state = exportsState(ctx.env);
  const record: ExportRecord = {
    id: ctx.env.ids.next("dexp_", 16),
    userId,
    dataType,
    fields,
    scope,
    state: "REQUESTED",
    createdAt: ctx.now,
    finishedAt: null,
    willFail: state.failAll || (!creditLogs && entityIds.includes(EXPORT_FAIL_ENTITY_ID)),
    csv: null,
    rowCount: null,
  };
  state.exports.set(record.id, record);
  schedule(ctx.env, record);
  recordAuditEvent(ctx.env, {
    orgId: org.id,
    type: "data_export_requested",
    userId,
    workspaceId: workspaceIds.length === 1 ? workspaceIds[0]! : null,
    entityId: record.id,
    details: { data_export_id: record.id, data_type: dataType },
    sourceIp: ctx.req.socket.remoteAddress ?? "127.0.0.1",
    userAgent: ctx.req.headers["user-agent"] ?? "",
  });
  return json(200, {
    success: true,
    data_export_id: record.id,
    state: "REQUESTED",
    created_ts: iso(record.createdAt),
  });
}

/** REQUESTED → IN_PROGRESS at half the duration → COMPLETED (or FAILED) at the full duration. */
function schedule(env: AreaEnv, record: ExportRecord): void {
  const duration = env.duration("export", 20_000);
  env.scheduler.at(record.createdAt + Math.floor(duration / 2), () => {
    if (record.state === "REQUESTED") record.state = "IN_PROGRESS";
  });
  env.scheduler.at(record.createdAt + duration, (at) => {
    record.finishedAt = at;
    if (record.willFail) {
      record.state = "FAILED";
      return;
    }
    const rows = exportRows(env, record.dataType, record.scope);
    record.csv = toCsv(record.fields, rows);
    record.rowCount = rows.length;
    record.state = "COMPLETED";
  });
}

function exportStatus(ctx: RequestContext): Reply {
  const q = queryRecord(ctx);
  requireParams(q, ["user_id", "data_export_id"]);
  const id = stringParam(q, "data_export_id");
  const download = booleanQuery(ctx.queryParam("download"), "download") ?? false;
  const userId = adminCaller(ctx, q);
  const record = exportsState(ctx.env).exports.get(id);
  if (!record) throw notFound("Data export", id);
  if (record.userId !== userId) {
    throw new ApiError(403, "permission_denied", `Data export ${id} does not belong to user ${userId}.`);
  }
  // "When true and the export state is COMPLETED, the response will be a CSV file download instead of JSON": in
  // any other state the JSON status answers, as without `download`.
  if (download && record.state === "COMPLETED" && record.csv !== null) {
    return raw(200, record.csv, "text/csv; charset=utf-8", {
      "content-disposition": `attachment; filename="gumloop-${record.dataType}-export-${record.id}.csv"`,
    });
  }
  return json(200, {
    data_export_id: record.id,
    state: record.state,
    created_ts: iso(record.createdAt),
    ...(record.finishedAt !== null ? { finished_ts: iso(record.finishedAt) } : {}),
  });
}

/** Read-only counts for `inspect()`. */
export interface ExportsSnapshot {
  total: number;
  byState: Partial<Record<ExportState, number>>;
  list: { id: string; userId: string; dataType: ExportDataType; state: ExportState; rows: number | null }[];
}

/** The exports area. */
export const exportsArea = defineArea({
  name: "exports",
  seed: (env: AreaEnv) => seedExports(env),
  routes(r) {
    r.post("/export_data", enterpriseOnly(["data_export"], exportData), {
      auth: "legacy",
      statuses: ORG_STATUSES,
    });
    r.get("/export_status", enterpriseOnly(["data_export"], exportStatus), {
      auth: "legacy",
      statuses: ORG_STATUSES,
    });
  },
  inspect(env): ExportsSnapshot {
    const snapshot: ExportsSnapshot = { total: 0, byState: {}, list: [] };
    for (const e of exportsState(env).exports.values()) {
      snapshot.total++;
      snapshot.byState[e.state] = (snapshot.byState[e.state] ?? 0) + 1;
      snapshot.list.push({
        id: e.id,
        userId: e.userId,
        dataType: e.dataType,
        state: e.state,
        rows: e.rowCount,
      });
    }
    return snapshot;
  },
});
