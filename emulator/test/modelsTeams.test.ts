/** Contract tests for the models (models.yml; tool 20) and teams (teams.yml; tool 37) areas, with plain fetch. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_AGENTS, type Emulator } from "../src/index.js";
import { MODEL_IDS } from "../src/areas/models/routes.js";
import { call, expectError, expectShape, startTestEmulator } from "./helpers.js";

let emulator: Emulator;

beforeAll(async () => {
  ({ emulator } = await startTestEmulator());
});
afterAll(() => emulator.close());

describe("GET /models (list_all_gumloop_models)", () => {
  it("returns model_groups: objects with groupLabel and options {value, label, status}", async () => {
    const res = await call(emulator, "GET", "/models");
    expect(res.status).toBe(200);
    expectShape(res.body, { model_groups: "array" });
    expect(res.body.model_groups.length).toBeGreaterThan(0);
    res.body.model_groups.forEach((group: { options: unknown[] }, i: number) => {
      expectShape(group, { groupLabel: "string", options: "array" }, `model_groups[${i}]`);
      group.options.forEach((option, j) =>
        expectShape(
          option,
          { value: "string", label: "string", status: "string" },
          `model_groups[${i}].options[${j}]`,
        ),
      );
    });
    const values = res.body.model_groups.flatMap((g: { options: { value: string }[] }) =>
      g.options.map((o) => o.value),
    );
    expect(values).toEqual([...MODEL_IDS]);
    expect(new Set(values).size).toBe(values.length);
    for (const id of ["anthropic/claude-sonnet-4", "claude-sonnet-4-5", "gpt-4o-mini"])
      expect(values).toContain(id);
  });

  it("includes the model of every seeded agent", async () => {
    const agent = await call(emulator, "GET", `/agents/${SEED_AGENTS.research}`);
    expect(MODEL_IDS).toContain(agent.body.agent.model_name);
  });

  it("accepts the caller's team_id, 403s another team's, 401s a missing or bad key", async () => {
    expect((await call(emulator, "GET", "/models", { query: { team_id: emulator.teamId } })).status).toBe(
      200,
    );
    expect((await call(emulator, "GET", "/models", { auth: "team" })).status).toBe(200);
    expect((await call(emulator, "GET", "/models", { auth: "oauth" })).status).toBe(200);
    expectError(
      await call(emulator, "GET", "/models", { query: { team_id: emulator.otherUser.teamId } }),
      403,
    );
    expectError(await call(emulator, "GET", "/models", { auth: "none" }), 401);
    expectError(
      await call(emulator, "GET", "/models", { auth: "none", headers: { authorization: "Bearer nope" } }),
      401,
    );
  });
});

describe("GET /teams (list_all_gumloop_teams)", () => {
  it("lists the caller's teams as {id, name}", async () => {
    const res = await call(emulator, "GET", "/teams");
    expect(res.status).toBe(200);
    expectShape(res.body, { teams: "array" });
    res.body.teams.forEach((team: unknown, i: number) =>
      expectShape(team, { id: "string", name: "string" }, `teams[${i}]`),
    );
    expect(res.body.teams).toEqual([
      { id: emulator.teamId, name: "Research" },
      { id: emulator.secondTeamId, name: "Sales" },
    ]);
    expect((await call(emulator, "GET", "/teams", { auth: "oauth" })).body).toEqual(res.body);
  });

  it("answers per caller: the other user sees only their team, a team key only its own team", async () => {
    expect((await call(emulator, "GET", "/teams", { auth: "other" })).body).toEqual({
      teams: [{ id: emulator.otherUser.teamId, name: "Compilers" }],
    });
    expect((await call(emulator, "GET", "/teams", { auth: "team" })).body).toEqual({
      teams: [{ id: emulator.teamId, name: "Research" }],
    });
  });

  it("401s without a key, with a bad key, and for a personal key without x-auth-key", async () => {
    expectError(await call(emulator, "GET", "/teams", { auth: "none" }), 401);
    expectError(
      await call(emulator, "GET", "/teams", { auth: "none", headers: { authorization: "Bearer nope" } }),
      401,
    );
    expectError(
      await call(emulator, "GET", "/teams", {
        auth: "none",
        headers: { authorization: `Bearer ${emulator.apiKey}` },
      }),
      401,
    );
  });
});
