import { describe, expect, it } from "vitest";
import { EXPORT_FAIL_ENTITY_ID, type ExportsSnapshot } from "../src/areas/exports/routes.js";
import { SEED_ORG } from "../src/areas/organization/seed.js";
import { call, expectError, expectShape } from "./helpers.js";
import {
  clock,
  emulator,
  start,
  EXPORT_CREATED,
  EXPORT_STATUS,
  WS,
  requestExport,
  status,
} from "./exportsFixture.js";

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

  it(`FAILED when entity_ids holds ${EXPORT_FAIL_ENTITY_ID}; download=true on it answers the JSON status`, async () => {
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
    const download = await status(id, { download: "true" });
    expect(download.status).toBe(200);
    expect(download.body.state).toBe("FAILED");
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

  it("download=true before COMPLETED answers the JSON status, as Gumloop documents the CSV only on COMPLETED", async () => {
    await start();
    const id = (await requestExport({ export_fields: ["run_id"], include_all_workspaces: true })).body
      .data_export_id;
    const early = await status(id, { download: "true" });
    expect(early.status).toBe(200);
    expectShape(early.body, EXPORT_STATUS, "status");
    expect(early.body.state).toBe("REQUESTED");
    await clock.advance(10_000);
    expect((await status(id, { download: "true" })).body.state).toBe("IN_PROGRESS");
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
