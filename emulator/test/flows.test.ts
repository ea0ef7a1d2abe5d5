/**
 * Contract tests of the flow catalogue routes (data-access.yml): saved flows, workbooks, inputs, run history,
 * reading runs, legacy auth. Plain fetch, a virtual clock, shapes checked against Gumloop's OpenAPI field types.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { Emulator, EmulatorOptions, VirtualClock } from "../src/index.js";
import { SEED_FLOWS, SEED_RUNS, SEED_WORKBOOKS } from "../src/areas/flows/seed.js";
import {
  HISTORY_ITEM,
  INPUT,
  RUN,
  SAVED_ITEM,
  WORKBOOK,
  legacyCall,
  type LegacyCallOptions,
} from "./flowHelpers.js";
import { call, expectError, expectShape, startTestEmulator } from "./helpers.js";

let emulator: Emulator;
let clock: VirtualClock;

async function start(options: EmulatorOptions = {}): Promise<void> {
  ({ emulator, clock } = await startTestEmulator(options));
}
afterEach(() => emulator?.close());

const legacy = (method: string, path: string, options: LegacyCallOptions = {}) =>
  legacyCall(emulator, method, path, options);
const startFlow = (body: Record<string, unknown>) => legacy("POST", "/start_pipeline", { body });
const getRun = (runId: string) => legacy("GET", "/get_pl_run", { query: { run_id: runId } });

describe("GET /list_saved_items (list_all_gumloop_flows)", () => {
  it("lists the user's personal flows, newest first, with the documented fields", async () => {
    await start();
    const res = await legacy("GET", "/list_saved_items");
    expect(res.status).toBe(200);
    expectShape(res.body, { saved_items: "array" });
    res.body.saved_items.forEach((item: unknown, i: number) =>
      expectShape(item, SAVED_ITEM, `saved_items[${i}]`),
    );
    expect(res.body.saved_items.map((i: { saved_item_id: string }) => i.saved_item_id)).toEqual([
      SEED_FLOWS.failing,
      SEED_FLOWS.report,
      SEED_FLOWS.summarize,
    ]);
    expect(res.body.saved_items[2]).toEqual({
      saved_item_id: SEED_FLOWS.summarize,
      name: "Summarize Article",
      description: expect.any(String),
      created_ts: "2026-04-10T09:00:00Z",
    });
  });

  it("project_id lists the team's flows (personal key or team key)", async () => {
    await start();
    const byProject = await legacy("GET", "/list_saved_items", { query: { project_id: emulator.teamId } });
    expect(byProject.body.saved_items.map((i: { name: string }) => i.name)).toEqual(["Team Digest"]);
    const teamKey = await call(emulator, "GET", "/list_saved_items", {
      auth: "team",
      query: { project_id: emulator.teamId },
    });
    expect(teamKey.status).toBe(200);
    expect(teamKey.body.saved_items).toHaveLength(1);
  });

  it("legacy auth: x-auth-key optional; 400 without user_id/project_id; 403 for another user; 401 without a key", async () => {
    await start();
    const withAuthKey = await call(emulator, "GET", "/list_saved_items", {
      query: { user_id: emulator.userId },
    });
    expect(withAuthKey.status).toBe(200);
    expectError(await legacy("GET", "/list_saved_items", { noUser: true }), 400);
    const mismatch = await legacy("GET", "/list_saved_items", {
      query: { user_id: emulator.otherUser.userId },
    });
    expectError(mismatch, 403, "api_key_mismatch");
    expect(mismatch.body.error.message).toBe("API key does not match");
    expectError(
      await legacy("GET", "/list_saved_items", { query: { project_id: emulator.otherUser.teamId } }),
      403,
    );
    expectError(
      await call(emulator, "GET", "/list_saved_items", { auth: "none", query: { user_id: "x" } }),
      401,
    );
    const theirs = await call(emulator, "GET", "/list_saved_items", {
      auth: "other",
      query: { user_id: emulator.otherUser.userId },
    });
    expect(theirs.body.saved_items.map((i: { saved_item_id: string }) => i.saved_item_id)).toEqual([
      SEED_FLOWS.otherUsers,
    ]);
  });
});

describe("GET /list_workbooks (list_all_gumloop_workbooks)", () => {
  it("lists workbooks with their saved_items (not saved_flows)", async () => {
    await start();
    const res = await legacy("GET", "/list_workbooks");
    expect(res.status).toBe(200);
    expectShape(res.body, { workbooks: "array" });
    for (const wb of res.body.workbooks) {
      expectShape(wb, WORKBOOK, "workbook");
      wb.saved_items.forEach((item: unknown) => expectShape(item, SAVED_ITEM, "saved_item"));
      expect(wb).not.toHaveProperty("saved_flows");
    }
    expect(res.body.workbooks.map((w: { workbook_id: string }) => w.workbook_id)).toEqual([
      SEED_WORKBOOKS.diagnostics,
      SEED_WORKBOOKS.research,
    ]);
    expect(res.body.workbooks[1].saved_items.map((i: { name: string }) => i.name)).toEqual([
      "Generate Report",
      "Summarize Article",
    ]);
    const team = await legacy("GET", "/list_workbooks", { query: { project_id: emulator.teamId } });
    expect(team.body.workbooks.map((w: { workbook_id: string }) => w.workbook_id)).toEqual([
      SEED_WORKBOOKS.team,
    ]);
    expectError(await legacy("GET", "/list_workbooks", { noUser: true }), 400);
    expectError(
      await legacy("GET", "/list_workbooks", { query: { user_id: emulator.otherUser.userId } }),
      403,
    );
  });
});

describe("GET /get_inputs (get_single_gumloop_automation_by_id)", () => {
  it("returns each Input node's name, data_type and description", async () => {
    await start();
    const res = await legacy("GET", "/get_inputs", { query: { saved_item_id: SEED_FLOWS.report } });
    expect(res.status).toBe(200);
    expectShape(res.body, { inputs: "array" });
    res.body.inputs.forEach((input: unknown, i: number) => expectShape(input, INPUT, `inputs[${i}]`));
    expect(res.body.inputs).toEqual([
      { data_type: "string", description: "Topic of the report", name: "topic" },
      { data_type: "file", description: expect.any(String), name: "source_file" },
    ]);
    const summarize = await legacy("GET", "/get_inputs", { query: { saved_item_id: SEED_FLOWS.summarize } });
    expect(summarize.body.inputs.map((i: { name: string }) => i.name)).toEqual(["url", "focus"]);
    expect(summarize.body.inputs[1].description).toBeNull();
  });

  it("400 without saved_item_id or user, 404 unknown flow, 403 another user's flow", async () => {
    await start();
    expectError(await legacy("GET", "/get_inputs"), 400);
    expectError(
      await legacy("GET", "/get_inputs", { noUser: true, query: { saved_item_id: SEED_FLOWS.report } }),
      400,
    );
    expectError(await legacy("GET", "/get_inputs", { query: { saved_item_id: "flow_nope" } }), 404);
    expectError(await legacy("GET", "/get_inputs", { query: { saved_item_id: SEED_FLOWS.otherUsers } }), 403);
  });
});

describe("GET /get_pl_run errors and seeded runs", () => {
  it("400 without run_id or user, 404 unknown run or another user's (get_pl_run declares no 403); seeded runs are finished", async () => {
    await start();
    expectError(await legacy("GET", "/get_pl_run"), 400);
    expectError(
      await legacy("GET", "/get_pl_run", { noUser: true, query: { run_id: SEED_RUNS.report } }),
      400,
    );
    expectError(await getRun("run_nope"), 404);
    expectError(await getRun(SEED_RUNS.otherUsers), 404, "api_key_mismatch");
    const report = await getRun(SEED_RUNS.report);
    expectShape(report.body, RUN);
    expect(report.body).toMatchObject({
      state: "DONE",
      created_ts: "2026-05-25T10:00:00Z",
      finished_ts: "2026-05-25T10:00:05Z",
      outputs: {
        report_file: "solar-energy-storage-report.md",
        data_file: "solar-energy-storage-data.csv",
        summary: expect.stringContaining("quarterly-notes.txt"),
      },
    });
    expect((await getRun(SEED_RUNS.failed)).body.state).toBe("FAILED");
    const killed = (await getRun(SEED_RUNS.killed)).body;
    expect(killed).toMatchObject({ state: "TERMINATED", outputs: {} });
    expect(killed.log.at(-1)).toMatch(/terminated/);
  });
});

describe("GET /get_plrun_saved_item_map (list_all_gumloop_automation_runs)", () => {
  it("maps a saved item to its 10 most recent runs, newest first", async () => {
    await start();
    const res = await legacy("GET", "/get_plrun_saved_item_map", {
      query: { saved_item_id: SEED_FLOWS.summarize },
    });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual([SEED_FLOWS.summarize]);
    const runs = res.body[SEED_FLOWS.summarize];
    runs.forEach((run: unknown, i: number) => expectShape(run, HISTORY_ITEM, `runs[${i}]`));
    expect(runs.map((r: { run_id: string }) => r.run_id)).toEqual(SEED_RUNS.summarize.slice(2).reverse());

    const fresh = (await startFlow({ saved_item_id: SEED_FLOWS.summarize, url: "https://example.com/new" }))
      .body.run_id;
    const after = (
      await legacy("GET", "/get_plrun_saved_item_map", { query: { saved_item_id: SEED_FLOWS.summarize } })
    ).body[SEED_FLOWS.summarize];
    expect(after).toHaveLength(10);
    // As on get_pl_run, finished_ts is left out (not null) until the run finishes.
    expect(after[0]).toEqual({ run_id: fresh, state: "RUNNING", created_ts: "2026-06-01T12:00:00Z" });
    expect(after.at(-1).run_id).toBe(SEED_RUNS.summarize[3]);
  });

  it("a workbook maps each of its saved items; errors: 400 neither id, 404 unknown workbook/item, 403 not yours", async () => {
    await start();
    const res = await legacy("GET", "/get_plrun_saved_item_map", {
      query: { workbook_id: SEED_WORKBOOKS.research },
    });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual([SEED_FLOWS.report, SEED_FLOWS.summarize].sort());
    expect(
      res.body[SEED_FLOWS.report].map((r: { run_id: string; state: string }) => [r.run_id, r.state]),
    ).toEqual([
      [SEED_RUNS.killed, "TERMINATED"],
      [SEED_RUNS.report, "DONE"],
    ]);
    expect(res.body[SEED_FLOWS.summarize]).toHaveLength(10);
    const history = (query: Record<string, string>) => legacy("GET", "/get_plrun_saved_item_map", { query });
    expectError(await history({}), 400);
    expectError(await history({ workbook_id: "wb_nope" }), 404, "workbook_not_found");
    expectError(await history({ saved_item_id: "flow_nope" }), 404);
    expectError(await history({ workbook_id: SEED_WORKBOOKS.otherUser }), 403);
    expectError(await history({ saved_item_id: SEED_FLOWS.otherUsers }), 403);
    expectError(
      await legacy("GET", "/get_plrun_saved_item_map", {
        noUser: true,
        query: { workbook_id: SEED_WORKBOOKS.research },
      }),
      400,
    );
  });
});

describe("seedData.workbooks / seedData.flows", () => {
  it("merges extra workbooks and flows; behaviour follows the name", async () => {
    await start({
      durations: { flow: 100 },
      seedData: {
        workbooks: [{ id: "wb_extra", name: "Extra", team_id: "team_4f8c92ab" }],
        flows: [
          { id: "flow_extra_echo", name: "Translate", workbook_id: "wb_extra", inputs: [{ name: "phrase" }] },
          { id: "flow_extra_report", name: "Weekly Report" },
        ],
      },
    });
    const team = await legacy("GET", "/list_workbooks", { query: { project_id: emulator.teamId } });
    expect(team.body.workbooks.map((w: { workbook_id: string }) => w.workbook_id)).toEqual([
      "wb_extra",
      SEED_WORKBOOKS.team,
    ]);
    const run = (await startFlow({ saved_item_id: "flow_extra_echo", phrase: "bonjour" })).body.run_id;
    const report = (await startFlow({ saved_item_id: "flow_extra_report", topic: "Wind" })).body.run_id;
    await clock.advance(100);
    expect((await getRun(run)).body.outputs).toEqual({
      phrase: "bonjour",
      result: "Translate processed phrase=bonjour",
    });
    expect((await getRun(report)).body.outputs.report_file).toBe("wind-report.md");
  });
});
