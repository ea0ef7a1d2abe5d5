import { parse } from "csv-parse/sync";
import { afterEach, describe, expect, it } from "vitest";
import {
  SEED_AGENTS,
  SEED_RUNS,
  SEED_WORKBOOKS,
  type Emulator,
  type EmulatorOptions,
  type VirtualClock,
} from "../../src/emulator/index.js";
import { EXPORT_FAIL_ENTITY_ID, type ExportsSnapshot } from "../../src/emulator/areas/exports.js";
import { SEED_ORG } from "../../src/emulator/areas/orgSeed.js";
import { call, expectError, expectShape, startTestEmulator, type CallResult } from "./helpers.js";

let emulator: Emulator;
let clock: VirtualClock;

async function start(options: EmulatorOptions = {}): Promise<void> {
  ({ emulator, clock } = await startTestEmulator({ plan: "enterprise", ...options }));
}
afterEach(() => emulator?.close());

const EXPORT_STATES = ["REQUESTED", "IN_PROGRESS", "COMPLETED", "FAILED"] as const;
/** organization.yml `exportData` 200. */
const EXPORT_CREATED = {
  success: "boolean",
  data_export_id: "string",
  state: ["REQUESTED"],
  created_ts: "date-time",
} as const;
/** organization.yml `exportStatus` 200 (JSON). */
const EXPORT_STATUS = { data_export_id: "string", state: EXPORT_STATES, created_ts: "date-time" } as const;

const WS = SEED_ORG.workspaces;
const MAY = { start_date: "2026-05-01T00:00:00Z", end_date: "2026-05-31T23:59:59Z" };
const charlesHeaders = { authorization: `Bearer ${SEED_ORG.nonAdmin.apiKey}` };

type Who = "admin" | "other" | "charles";

function requestExport(body: Record<string, unknown>, who: Who = "admin"): Promise<CallResult> {
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

function status(id: string | undefined, extra: Record<string, string> = {}, who: Who = "admin") {
  const userId = who === "admin" ? emulator.userId : emulator.otherUser.userId;
  const query: Record<string, string> = { user_id: userId, ...extra };
  if (id !== undefined) query.data_export_id = id;
  return call(emulator, "GET", "/export_status", { query, auth: who === "admin" ? "personal" : "other" });
}

/** Starts an export, runs the clock past its duration, and downloads + parses the CSV. */
async function exportCsv(
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

const workflows = (body: Record<string, unknown> = {}) =>
  exportCsv({
    export_fields: ["workbook_id", "workbook_name", "workspace_id", "pl_run_created_ts"],
    include_all_workspaces: true,
    ...body,
  });
/** The workbooks of the exports area's fixed table (the flows area's runs come on top). */
const FIXED_WORKBOOKS = ["wb_lead0001", "wb_tickets02", "wb_invoice03", "wb_personal4"];
const FIXED_NAMES = new Set([
  "Lead enrichment, weekly",
  'Summarise "urgent" tickets',
  "Invoice parser",
  "Personal digest",
]);

describe("POST /export_data (create_a_gumloop_export_datum)", () => {
  it("200 {success, data_export_id, state: REQUESTED, created_ts}; data_type defaults to workflows", async () => {
    await start();
    const res = await requestExport({ export_fields: ["run_id"], workspace_ids: [WS.research] });
    expect(res.status, res.text).toBe(200);
    expectShape(res.body, EXPORT_CREATED, "export");
    expect(res.body).toMatchObject({ success: true, state: "REQUESTED", created_ts: "2026-06-01T12:00:00Z" });
    const snap = emulator.inspect().exports as ExportsSnapshot;
    expect(snap.list).toEqual([
      {
        id: res.body.data_export_id,
        userId: emulator.userId,
        dataType: "workflows",
        state: "REQUESTED",
        rows: null,
      },
    ]);
  });

  it("accepts every data type (Jul four + Oct interaction_evaluations and gumstack) with its own fields", async () => {
    await start();
    const cases: [string, string[]][] = [
      ["agents", ["agent_id", "agent_evaluations_enabled", "folder_name"]],
      ["agent_interactions", ["interaction_id", "message_count"]],
      ["credit_logs", ["log_id", "correlation_id", "balance_scope"]],
      ["interaction_evaluations", ["evaluation_id", "grade"]],
      ["gumstack", ["tool_call_id", "server_name"]],
    ];
    for (const [data_type, export_fields] of cases) {
      const res = await requestExport({ data_type, export_fields, include_all_workspaces: true });
      expect(res.status, `${data_type}: ${res.text}`).toBe(200);
    }
  });

  it("400 for each missing required field, naming it", async () => {
    await start();
    const base = { export_fields: ["run_id"], include_all_workspaces: true };
    for (const field of ["user_id", "export_fields", "start_date", "end_date"]) {
      const res = await requestExport({ ...base, [field]: undefined });
      expectError(res, 400, "invalid_request");
      expect(res.body.error.message).toContain(field);
    }
  });

  it("400 for invalid dates, an end before the start, an unknown data_type or export_level", async () => {
    await start();
    const ok = { export_fields: ["run_id"], include_all_workspaces: true };
    for (const bad of ["yesterday", "2026-02-30T00:00:00Z", "2026-05-01", "2026-13-01T00:00:00Z", 20260501]) {
      const res = await requestExport({ ...ok, start_date: bad });
      expectError(res, 400);
      expect(res.body.error.param).toBe("start_date");
    }
    expectError(await requestExport({ ...ok, end_date: "2026-04-01T00:00:00Z" }), 400);
    expectError(await requestExport({ ...ok, data_type: "audit_logs" }), 400);
    expectError(await requestExport({ ...ok, export_level: "team" }), 400);
    expectError(await requestExport({ ...ok, include_all_workspaces: "yes" }), 400);
    // Offsets and fractional seconds are fine.
    expect((await requestExport({ ...ok, start_date: "2026-05-01T02:00:00.123+02:00" })).status).toBe(200);
  });

  it("400 naming export_fields that the data_type does not allow (including another type's fields)", async () => {
    await start();
    const res = await requestExport({
      export_fields: ["run_id", "agent_id", "bogus"],
      include_all_workspaces: true,
    });
    expectError(res, 400);
    expect(res.body.error.param).toBe("export_fields");
    expect(res.body.error.message).toContain("agent_id, bogus");
    expect(res.body.error.details.unknown_fields).toEqual(["agent_id", "bogus"]);
    expect(res.body.error.details.allowed_fields).toContain("run_id");
    expectError(await requestExport({ export_fields: [], include_all_workspaces: true }), 400);
    expectError(await requestExport({ export_fields: "run_id", include_all_workspaces: true }), 400);
    expectError(
      await requestExport({ export_fields: ["run_id", "run_id"], include_all_workspaces: true }),
      400,
    );
  });

  it("scoping rule: non-credit_logs exports need workspace_ids, include_*_workspaces or entity_ids", async () => {
    await start();
    const res = await requestExport({ export_fields: ["run_id"] });
    expectError(res, 400);
    for (const field of [
      "workspace_ids",
      "include_all_workspaces",
      "include_personal_workspaces",
      "entity_ids",
    ]) {
      expect(res.body.error.message).toContain(field);
    }
    expectError(
      await requestExport({ export_fields: ["run_id"], workspace_ids: [], include_all_workspaces: false }),
      400,
    );
    expect((await requestExport({ export_fields: ["run_id"], entity_ids: ["wb_lead0001"] })).status).toBe(
      200,
    );
    expect(
      (await requestExport({ export_fields: ["run_id"], include_personal_workspaces: true })).status,
    ).toBe(200);
    // credit_logs are organization-wide: no scope needed, scope fields ignored (even unknown workspaces).
    expect((await requestExport({ data_type: "credit_logs", export_fields: ["log_id"] })).status).toBe(200);
    const ignored = await requestExport({
      data_type: "credit_logs",
      export_fields: ["log_id"],
      workspace_ids: ["team_nope"],
    });
    expect(ignored.status).toBe(200);
  });

  it('export_level "workspace" needs exactly one workspace id', async () => {
    await start();
    const body = { export_fields: ["run_id"], export_level: "workspace" };
    expectError(await requestExport({ ...body, include_all_workspaces: true }), 400);
    expectError(await requestExport({ ...body, workspace_ids: [WS.research, WS.sales] }), 400);
    expect((await requestExport({ ...body, workspace_ids: [WS.sales] })).status).toBe(200);
  });

  it("404 for an unknown workspace or one of another organization", async () => {
    await start();
    expectError(
      await requestExport({ export_fields: ["run_id"], workspace_ids: ["team_nope"] }),
      404,
      "workspace_not_found",
    );
    expectError(
      await requestExport({
        export_fields: ["run_id"],
        workspace_ids: [WS.research, SEED_ORG.otherWorkspaceId],
      }),
      404,
    );
  });

  it("403 for a non-admin member and for a user_id that is not the key's", async () => {
    await start();
    const body = { export_fields: ["run_id"], include_all_workspaces: true };
    expectError(await requestExport(body, "charles"), 403, "not_org_admin");
    expectError(await requestExport({ ...body, user_id: SEED_ORG.nonAdmin.userId }), 403, "api_key_mismatch");
    expect((emulator.inspect().exports as ExportsSnapshot).total).toBe(0);
  });

  it("403 tier_required_enterprise with the legacy flat body on the pro plan (both routes)", async () => {
    await start({ plan: "pro" });
    const flat = {
      error: "tier_required_enterprise",
      minimum_tier: "enterprise",
      denied_keys: ["data_export"],
    };
    const created = await requestExport({ export_fields: ["run_id"], include_all_workspaces: true });
    expect(created.status).toBe(403);
    expect(created.body).toEqual(flat);
    const polled = await status("dexp_anything");
    expect(polled.status).toBe(403);
    expect(polled.body).toEqual(flat);
  });
});

describe("export state machine on the virtual clock", () => {
  it("REQUESTED → IN_PROGRESS at half of durations.export (20 s) → COMPLETED with finished_ts", async () => {
    await start();
    const id = (await requestExport({ export_fields: ["run_id"], include_all_workspaces: true })).body
      .data_export_id;
    const at = async (ms: number) => {
      await clock.advance(ms);
      const res = await status(id);
      expect(res.status, res.text).toBe(200);
      expectShape(res.body, EXPORT_STATUS, "status");
      return res.body;
    };
    const requested = await at(0);
    expect(requested).toEqual({ data_export_id: id, state: "REQUESTED", created_ts: "2026-06-01T12:00:00Z" });
    expect(requested).not.toHaveProperty("finished_ts");
    expect((await at(9_999)).state).toBe("REQUESTED");
    const progress = await at(1);
    expect(progress.state).toBe("IN_PROGRESS");
    expect(progress).not.toHaveProperty("finished_ts");
    expect((await at(9_999)).state).toBe("IN_PROGRESS");
    const done = await at(1);
    expectShape(done, { finished_ts: "date-time" }, "status");
    expect(done).toMatchObject({ state: "COMPLETED", finished_ts: "2026-06-01T12:00:20Z" });
    expect((emulator.inspect().exports as ExportsSnapshot).byState).toEqual({ COMPLETED: 1 });
  });

  it("follows durations.export", async () => {
    await start({ durations: { export: 4_000 } });
    const id = (await requestExport({ export_fields: ["run_id"], include_all_workspaces: true })).body
      .data_export_id;
    await clock.advance(2_000);
    expect((await status(id)).body.state).toBe("IN_PROGRESS");
    await clock.advance(2_000);
    expect((await status(id)).body).toMatchObject({
      state: "COMPLETED",
      finished_ts: "2026-06-01T12:00:04Z",
    });
  });

  it(`FAILED when entity_ids holds ${EXPORT_FAIL_ENTITY_ID}; a FAILED export cannot be downloaded`, async () => {
    await start();
    const id = (
      await requestExport({ export_fields: ["run_id"], entity_ids: ["wb_lead0001", EXPORT_FAIL_ENTITY_ID] })
    ).body.data_export_id;
    await clock.advance(10_000);
    expect((await status(id)).body.state).toBe("IN_PROGRESS");
    await clock.advance(10_000);
    const failed = await status(id);
    expectShape(failed.body, { ...EXPORT_STATUS, finished_ts: "date-time" }, "status");
    expect(failed.body.state).toBe("FAILED");
    expectError(await status(id, { download: "true" }), 400, "export_not_ready");
  });

  it("seedData.exports.fail makes every export fail (credit_logs included)", async () => {
    await start({ seedData: { exports: { fail: true } } });
    const id = (await requestExport({ data_type: "credit_logs", export_fields: ["log_id"] })).body
      .data_export_id;
    await clock.advance(20_000);
    expect((await status(id)).body.state).toBe("FAILED");
  });
});

describe("GET /export_status (get_single_gumloop_data_export_by_id)", () => {
  it("400 without data_export_id; 400 for a bad download flag; 404 for an unknown export", async () => {
    await start();
    expectError(await status(undefined), 400, "invalid_request");
    const id = (await requestExport({ export_fields: ["run_id"], include_all_workspaces: true })).body
      .data_export_id;
    expectError(await status(id, { download: "maybe" }), 400);
    expectError(await status("dexp_unknown0000000"), 404, "data_export_not_found");
  });

  it("400 export_not_ready when download=true before COMPLETED (JSON status still works)", async () => {
    await start();
    const id = (await requestExport({ export_fields: ["run_id"], include_all_workspaces: true })).body
      .data_export_id;
    const early = await status(id, { download: "true" });
    expectError(early, 400, "export_not_ready");
    expect(early.body.error.details.state).toBe("REQUESTED");
    await clock.advance(10_000);
    expectError(await status(id, { download: "true" }), 400, "export_not_ready");
    expect((await status(id, { download: "false" })).body.state).toBe("IN_PROGRESS");
  });

  it("403 for someone else's export and for a mismatched user_id", async () => {
    await start();
    // The other user is an admin of their own organization, so they may export it.
    const theirs = await requestExport(
      { export_fields: ["agent_id"], data_type: "agents", include_all_workspaces: true },
      "other",
    );
    expect(theirs.status, theirs.text).toBe(200);
    expectError(await status(theirs.body.data_export_id), 403);
    expect((await status(theirs.body.data_export_id, {}, "other")).status).toBe(200);
    const mine = (await requestExport({ export_fields: ["run_id"], include_all_workspaces: true })).body
      .data_export_id;
    const mismatched = await call(emulator, "GET", "/export_status", {
      query: { user_id: emulator.otherUser.userId, data_export_id: mine },
    });
    expectError(mismatched, 403, "api_key_mismatch");
  });
});

describe("CSV download", () => {
  it("text/csv with a .csv filename; header = export_fields in order; quoting survives a real parser", async () => {
    await start();
    const fields = ["workbook_name", "pipeline", "credit_cost", "run_id", "user_email", "workspace_name"];
    const { header, rows, res } = await workflows({ export_fields: fields });
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(res.headers.get("content-disposition")).toMatch(
      /^attachment; filename="gumloop-workflows-export-dexp_\w+\.csv"$/,
    );
    expect(header).toEqual(fields);
    expect(rows.every((row) => row.length === fields.length)).toBe(true);
    const fixed = rows.filter((row) => FIXED_NAMES.has(row[0]!));
    expect(fixed).toHaveLength(16);
    expect(new Set(fixed.map((row) => row[0]))).toEqual(FIXED_NAMES);
    // The raw body really is quoted (so a naive split on commas would break).
    expect(res.text).toContain('"Lead enrichment, weekly"');
    expect(res.text).toContain('"Summarise ""urgent"" tickets"');
    const pipeline = JSON.parse(rows.find((row) => row[0] === "Lead enrichment, weekly")![1]!);
    expect(pipeline.nodes[1].prompt).toBe('Find the "decision maker", then summarise');
    expect(rows.every((row) => Number.isFinite(Number(row[2])))).toBe(true);
    expect(rows.filter((row) => row[0] === "Personal digest").every((row) => row[5] === "Personal")).toBe(
      true,
    );
    // The flows area's runs of the organization are exported too; the other organization's are not.
    const runIds = rows.map((row) => row[3]);
    expect(runIds).toEqual(expect.arrayContaining([SEED_RUNS.team, SEED_RUNS.summarize[0]]));
    expect(runIds).not.toContain(SEED_RUNS.otherUsers);
    const teamRun = rows.find((row) => row[3] === SEED_RUNS.team)!;
    expect(JSON.parse(teamRun[1]!)).toMatchObject({
      saved_item_id: expect.any(String),
      name: expect.any(String),
    });
    expect((emulator.inspect().exports as ExportsSnapshot).list[0]!.rows).toBe(rows.length);
  });

  it("is deterministic: the same request gives the same CSV", async () => {
    await start();
    const a = await workflows();
    const b = await workflows();
    expect(b.rows).toEqual(a.rows);
  });

  it("scopes rows by workspace_ids, personal workspaces, entity_ids, export_level and dates", async () => {
    await start();
    const bySales = await workflows({ include_all_workspaces: undefined, workspace_ids: [WS.sales] });
    expect(bySales.rows.every((row) => row[2] === WS.sales)).toBe(true);
    expect(bySales.rows.filter((row) => row[0] === "wb_tickets02")).toHaveLength(4);
    const personal = await workflows({
      include_all_workspaces: undefined,
      include_personal_workspaces: true,
    });
    expect(personal.rows.every((row) => row[2] === "")).toBe(true);
    expect(personal.rows.filter((row) => row[0] === "wb_personal4")).toHaveLength(4);
    expect(personal.rows.map((row) => row[0])).toContain(SEED_WORKBOOKS.research);
    expect(personal.rows.map((row) => row[0])).not.toContain(SEED_WORKBOOKS.otherUser);
    const entity = await workflows({ include_all_workspaces: undefined, entity_ids: ["wb_lead0001"] });
    expect(entity.rows.map((row) => row[0])).toEqual(Array(4).fill("wb_lead0001"));
    const level = await workflows({
      include_all_workspaces: true,
      export_level: "workspace",
      workspace_ids: [WS.operations],
    });
    expect(level.rows.map((row) => row[0])).toEqual(Array(4).fill("wb_invoice03"));
    const firstWeek = await workflows({
      start_date: "2026-05-01T00:00:00Z",
      end_date: "2026-05-07T00:00:00Z",
    });
    expect(firstWeek.rows.filter((row) => FIXED_WORKBOOKS.includes(row[0]!))).toHaveLength(4);
    for (const row of firstWeek.rows) expect(row[3]! >= "2026-05-01" && row[3]! <= "2026-05-07").toBe(true);
    const june = await workflows({ start_date: "2026-06-01T00:00:00Z", end_date: "2026-06-30T00:00:00Z" });
    expect(june.rows).toEqual([]);
    expect(june.header).toEqual(["workbook_id", "workbook_name", "workspace_id", "pl_run_created_ts"]);
  });

  it("agents come from the store: the organization's agents, secrets stripped from agent_tools", async () => {
    await start();
    const { header, rows } = await exportCsv({
      data_type: "agents",
      export_fields: ["agent_id", "agent_name", "agent_tools", "creator_email", "workspace_name"],
      include_all_workspaces: true,
    });
    expect(header).toEqual(["agent_id", "agent_name", "agent_tools", "creator_email", "workspace_name"]);
    const ids = rows.map((row) => row[0]);
    expect(ids).toEqual(
      expect.arrayContaining([
        SEED_AGENTS.research,
        SEED_AGENTS.assistant,
        SEED_AGENTS.approval,
        SEED_AGENTS.sales,
      ]),
    );
    expect(ids).not.toContain(SEED_AGENTS.otherUsers);
    const approval = rows.find((row) => row[0] === SEED_AGENTS.approval)!;
    const tools = JSON.parse(approval[2]!);
    expect(tools[0]).toMatchObject({ type: "gumcp_server", server: "gmail" });
    expect(tools[0]).not.toHaveProperty("secret_id");
    expect(approval[3]).toBe(SEED_ORG.emails.admin);
    expect(rows.find((row) => row[0] === SEED_AGENTS.sales)![4]).toBe("Sales");
  });

  it("agent_interactions list the organization's sessions; entity_ids filters by agent", async () => {
    await start();
    const { rows } = await exportCsv({
      data_type: "agent_interactions",
      export_fields: ["interaction_id", "agent_id", "interaction_name", "message_count", "credit_cost"],
      entity_ids: [SEED_AGENTS.research],
    });
    expect(rows.map((row) => row[2])).toEqual([
      "Research: Quantum computing",
      "Research: Solar energy storage",
      "Research: Acme Corp",
    ]);
    expect(rows.every((row) => row[1] === SEED_AGENTS.research && row[3] === "2" && row[4] === "2.4")).toBe(
      true,
    );
  });

  it("credit_logs: organization-wide, category_filter narrows, roles are semicolon-separated", async () => {
    await start();
    const fields = ["user_email", "permission_group_id", "category", "name", "amount"];
    const all = await exportCsv({ data_type: "credit_logs", export_fields: fields });
    expect(all.rows).toHaveLength(24);
    const admin = all.rows.find((row) => row[0] === SEED_ORG.emails.admin)!;
    expect(admin[1]).toBe(SEED_ORG.roles.analysts);
    expect(all.rows.some((row) => row[3] === 'Agent run: "Deep Research Agent"')).toBe(true);
    const agentRuns = await exportCsv({
      data_type: "credit_logs",
      export_fields: fields,
      category_filter: "AGENT_RUN",
    });
    expect(agentRuns.rows.length).toBeGreaterThan(0);
    expect(agentRuns.rows.every((row) => row[2] === "AGENT_RUN")).toBe(true);
  });

  it("the export request is written to the audit log", async () => {
    await start();
    const id = (await requestExport({ export_fields: ["run_id"], include_all_workspaces: true })).body
      .data_export_id;
    const res = await call(emulator, "GET", "/get_audit_logs", {
      query: {
        organization_id: SEED_ORG.organizationId,
        user_id: emulator.userId,
        start_time: "2026-06-01T00:00:00Z",
        end_time: "2026-06-02T00:00:00Z",
        event_types: "data_export_requested",
      },
    });
    expect(res.body.total_count).toBe(1);
    expect(JSON.parse(res.body.audit_logs[0].details)).toEqual({
      data_export_id: id,
      data_type: "workflows",
    });
  });
});
