/** Emulator exports: downloading the finished CSV. */
import { describe, expect, it } from "vitest";
import { SEED_AGENTS, SEED_RUNS, SEED_WORKBOOKS } from "../src/index.js";
import { type ExportsSnapshot } from "../src/areas/exports/routes.js";
import { SEED_ORG } from "../src/areas/organization/seed.js";
import { call } from "./helpers.js";
import {
  emulator,
  start,
  WS,
  requestExport,
  exportCsv,
  workflows,
  FIXED_WORKBOOKS,
  FIXED_NAMES,
} from "./exportsFixture.js";

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
