/**
 * A team API key acts for its own team only. Naming a member with `user_id` (legacy routes) picks who acts; it
 * must not open that member's personal workspace, their other teams, or their org-admin rights.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { Emulator } from "../src/index.js";
import { SEED_FLOWS, SEED_RUNS } from "../src/areas/flows/seed.js";
import { SEED_SKILLS } from "../src/areas/skills/store.js";
import { SEED_ORG } from "../src/areas/organization/seed.js";
import { call, expectError, startTestEmulator } from "./helpers.js";

let emulator: Emulator;
afterEach(() => emulator?.close());

describe("team API key scope", () => {
  it("does not reach the named member's personal flows and runs", async () => {
    ({ emulator } = await startTestEmulator());
    const asMember = { user_id: emulator.userId };
    const list = await call(emulator, "GET", "/list_saved_items", { auth: "team", query: asMember });
    expect(list.status).toBe(200);
    const ids = (list.body.saved_items as { saved_item_id: string }[]).map((item) => item.saved_item_id);
    expect(ids).toEqual([SEED_FLOWS.teamDigest]);
    expectError(
      await call(emulator, "GET", "/get_inputs", {
        auth: "team",
        query: { ...asMember, saved_item_id: SEED_FLOWS.summarize },
      }),
      403,
      "api_key_mismatch",
    );
    // get_pl_run declares 400 and 404 only: a run the key may not read is not found.
    expectError(
      await call(emulator, "GET", "/get_pl_run", {
        auth: "team",
        query: { ...asMember, run_id: SEED_RUNS.summarize[0]! },
      }),
      404,
    );
    expectError(
      await call(emulator, "POST", "/start_pipeline", {
        auth: "team",
        body: { ...asMember, saved_item_id: SEED_FLOWS.summarize, url: "https://example.com/a" },
      }),
      403,
    );
    // Its own team's run is still fine.
    const team = await call(emulator, "GET", "/get_pl_run", {
      auth: "team",
      query: { ...asMember, run_id: SEED_RUNS.team },
    });
    expect(team.status).toBe(200);
  });

  it("is not an org admin: admin routes answer 403 even naming a member who is one", async () => {
    ({ emulator } = await startTestEmulator({ plan: "enterprise" }));
    const manage = await call(emulator, "POST", "/manage_workspace_users", {
      auth: "team",
      body: {
        organization_id: SEED_ORG.organizationId,
        user_id: emulator.userId,
        workspace_id: emulator.secondTeamId,
        action: "add",
        user_email: SEED_ORG.emails.alan,
        is_admin: true,
      },
    });
    expectError(manage, 403, "team_key_not_allowed");
    const exported = await call(emulator, "POST", "/export_data", {
      auth: "team",
      body: {
        user_id: emulator.userId,
        data_type: "agents",
        export_fields: ["agent_id"],
        start_date: "2020-01-01T00:00:00Z",
        end_date: "2027-01-01T00:00:00Z",
        include_all_workspaces: true,
      },
    });
    expectError(exported, 403, "team_key_not_allowed");
    const audit = await call(emulator, "GET", "/get_audit_logs", {
      auth: "team",
      query: {
        organization_id: SEED_ORG.organizationId,
        user_id: emulator.userId,
        start_time: "2020-01-01T00:00:00Z",
        end_time: "2027-01-01T00:00:00Z",
      },
    });
    expectError(audit, 403, "team_key_not_allowed");
    // The owner's personal key still may.
    const personal = await call(emulator, "GET", "/get_audit_logs", {
      query: {
        organization_id: SEED_ORG.organizationId,
        user_id: emulator.userId,
        start_time: "2020-01-01T00:00:00Z",
        end_time: "2027-01-01T00:00:00Z",
      },
    });
    expect(personal.status, personal.text).toBe(200);
  });

  it("cannot attach a skill of another team of its owner when creating an agent", async () => {
    ({ emulator } = await startTestEmulator());
    const create = (skill: string) =>
      call(emulator, "POST", "/agents", {
        auth: "team",
        body: { name: "tk", model_name: "gpt-4o", skill_ids: [skill] },
      });
    const res = await create(SEED_SKILLS.salesPlaybook);
    expectError(res, 400, "invalid_request");
    expect(res.body.error.details.skill_ids).toEqual([SEED_SKILLS.salesPlaybook]);
    expect((await create(SEED_SKILLS.leadEnrichment)).status).toBe(201);
  });
});
