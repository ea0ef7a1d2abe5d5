/** Shared by the export contract tests: an enterprise emulator, the documented shapes, and export calls. */
import { parse } from "csv-parse/sync";
import { expect } from "vitest";
import { type EmulatorOptions } from "../src/index.js";
import { SEED_ORG } from "../src/areas/organization/seed.js";
import { call, type CallResult } from "./helpers.js";
import { clock, emulator, start as startEmulatorFor } from "./fixture.js";
export { clock, emulator };

/** Starts this area's emulator. */
export function start(options: EmulatorOptions = {}): Promise<void> {
  return startEmulatorFor({ plan: "enterprise", ...options });
}

export const EXPORT_STATES = ["REQUESTED", "IN_PROGRESS", "COMPLETED", "FAILED"] as const;
/** organization.yml `exportData` 200. */
export const EXPORT_CREATED = {
  success: "boolean",
  data_export_id: "string",
  state: ["REQUESTED"],
  created_ts: "date-time",
} as const;
/** organization.yml `exportStatus` 200 (JSON). */
export const EXPORT_STATUS = {
  data_export_id: "string",
  state: EXPORT_STATES,
  created_ts: "date-time",
} as const;

export const WS = SEED_ORG.workspaces;
export const MAY = { start_date: "2026-05-01T00:00:00Z", end_date: "2026-05-31T23:59:59Z" };
export const charlesHeaders = { authorization: `Bearer ${SEED_ORG.nonAdmin.apiKey}` };

export type Who = "admin" | "other" | "charles";

export function requestExport(body: Record<string, unknown>, who: Who = "admin"): Promise<CallResult> {
  const userId =
    who === "admin"
      ? emulator.userId
      : who === "other"
        ? emulator.otherUser.userId
        : SEED_ORG.nonAdmin.userId;
  const full = { user_id: userId, ...MAY, ...body };
  if (who === "charles")
    return call(emulator, "POST", "/export_data", { body: full, auth: "none", headers: charlesHeaders });
  return call(emulator, "POST", "/export_data", { body: full, auth: who === "admin" ? "personal" : "other" });
}

export function status(id: string | undefined, extra: Record<string, string> = {}, who: Who = "admin") {
  const userId = who === "admin" ? emulator.userId : emulator.otherUser.userId;
  const query: Record<string, string> = { user_id: userId, ...extra };
  if (id !== undefined) query.data_export_id = id;
  return call(emulator, "GET", "/export_status", { query, auth: who === "admin" ? "personal" : "other" });
}

/** Starts an export, runs the clock past its duration, and downloads + parses the CSV. */
export async function exportCsv(
  body: Record<string, unknown>,
): Promise<{ header: string[]; rows: string[][]; res: CallResult }> {
  const created = await requestExport(body);
  expect(created.status, created.text).toBe(200);
  await clock.advance(20_000);
  const res = await status(created.body.data_export_id, { download: "true" });
  expect(res.status, res.text).toBe(200);
  const [header, ...rows] = parse(res.text) as string[][];
  return { header: header!, rows, res };
}

export const workflows = (body: Record<string, unknown> = {}) =>
  exportCsv({
    export_fields: ["workbook_id", "workbook_name", "workspace_id", "pl_run_created_ts"],
    include_all_workspaces: true,
    ...body,
  });
/** The workbooks of the exports area's fixed table (the flows area's runs come on top). */
export const FIXED_WORKBOOKS = ["wb_lead0001", "wb_tickets02", "wb_invoice03", "wb_personal4"];
export const FIXED_NAMES = new Set([
  "Lead enrichment, weekly",
  'Summarise "urgent" tickets',
  "Invoice parser",
  "Personal digest",
]);
