/**
 * Company Brain search (brain.yml) and agent evaluations (evaluations.yml): shapes from the OpenAPI files, plan and
 * credit refusals, filters, pagination and the config's partial update.
 */
import { describe, expect, it } from "vitest";
import { SEED_AGENTS, SEED_SESSIONS } from "../src/index.js";
import { call, expectError, expectShape, type Shape } from "./helpers.js";
import { clock, emulator, start } from "./fixture.js";

const RESULT: Shape = {
  document_id: "string|null",
  source: "string|null",
  title: "string|null",
  content: "string|null",
  url: "string|null",
  score: "number|null",
  updated_at: "date-time|null",
  owner_name: "string|null",
  owner_email: "string|null",
  parent_title: "string|null",
  metadata: "object",
};

const EVALUATION: Shape = {
  evaluation_id: "string",
  interaction_id: "string",
  agent_id: "string",
  created_ts: "date-time",
  status: ["completed", "failed"],
  grade: ["pass", "needs_review", "needs_attention"],
  call_successful: ["success", "failure", "unknown"],
  summary: "string|null",
  criteria_results: "array",
  data_results: "array",
  applied_tags: "array",
};

const CONFIG: Shape = {
  agent_id: "string",
  enabled: "boolean",
  is_active: "boolean",
  model_name: "string|null",
  frequency: "string|null",
  language: "string|null",
  include_auto_tags: "boolean",
  interaction_types: "array",
  criteria: "array",
  tags: "array",
  data_points: "array",
  sentiment: "object|null",
  updated_ts: "string|null",
};

const brain = (body: unknown, auth: "personal" | "other" = "personal") =>
  call(emulator, "POST", "/brain/search", { body, auth });

describe("POST /brain/search", () => {
  it("ranks documents and the caller's artifacts, best first, with citations", async () => {
    await start();
    const res = await brain({ query: "incident on-call alert" });
    expect(res.status).toBe(200);
    expectShape(res.body, { results: "array" });
    for (const [i, result] of res.body.results.entries()) expectShape(result, RESULT, `results[${i}]`);
    expect(res.body.results[0]).toMatchObject({ source: "confluence", title: "Incident response runbook" });
    const scores = res.body.results.map((r: { score: number }) => r.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(scores.every((s: number) => s > 0 && s <= 1)).toBe(true);

    const reports = await brain({ query: "quantum computing report", source_type: ["gumloop_artifacts"] });
    expect(reports.body.results.length).toBeGreaterThan(0);
    expect(reports.body.results[0]).toMatchObject({
      source: "gumloop_artifacts",
      parent_title: "Deep Research Agent",
    });
    // Another organization's user does not see this user's artifacts.
    expect((await brain({ query: "quantum computing report" }, "other")).body.results).toEqual([]);
    expect((await brain({ query: "policy", limit: 1 })).body.results).toHaveLength(1);
  });

  it("400 without a query, for a bad limit or source_type; 403 on Free; 402 once the credits are spent", async () => {
    await start({ seedData: { brain: { credits: 1 } } });
    expectError(await brain({}), 400);
    expectError(await brain({ query: "  " }), 400);
    expectError(await brain({ query: "x", limit: 51 }), 400);
    expectError(await brain({ query: "x", source_type: [] }), 400);
    expectError(await brain({ query: "x", source_type: ["dropbox"] }), 400);
    expect((await brain({ query: "roadmap" })).status).toBe(200);
    expectError(await brain({ query: "roadmap" }), 402, "credit_limit_exceeded");
    await start({ plan: "free" });
    expectError(await brain({ query: "roadmap" }), 403, "brain_not_available");
  });
});

describe("agent evaluations", () => {
  const base = `/agents/${SEED_AGENTS.research}`;

  it("lists the research agent's evaluations newest first, filters by grade, pages by cursor", async () => {
    await start();
    const res = await call(emulator, "GET", `${base}/evaluations`);
    expect(res.status).toBe(200);
    expectShape(res.body, { evaluations: "array", next_cursor: "string|null" });
    const all = res.body.evaluations;
    expect(all.map((e: { interaction_id: string }) => e.interaction_id)).toEqual([
      SEED_SESSIONS.acme,
      SEED_SESSIONS.solar,
      SEED_SESSIONS.quantum,
    ]);
    for (const [i, evaluation] of all.entries()) expectShape(evaluation, EVALUATION, `evaluations[${i}]`);
    expect(all[0].evaluation_id).toBe("eval_seedAcme003");
    expect(all[0].criteria_results.map((c: { name: string }) => c.name)).toEqual([
      "Cites sources",
      "Plain language",
    ]);

    const page = await call(emulator, "GET", `${base}/evaluations`, { query: { page_size: 2 } });
    expect(page.body.evaluations).toHaveLength(2);
    const rest = await call(emulator, "GET", `${base}/evaluations`, {
      query: { page_size: 2, cursor: page.body.next_cursor },
    });
    expect(rest.body.evaluations.map((e: { evaluation_id: string }) => e.evaluation_id)).toEqual([
      all[2].evaluation_id,
    ]);
    for (const grade of ["pass", "needs_review", "needs_attention"]) {
      const filtered = await call(emulator, "GET", `${base}/evaluations`, { query: { grade } });
      expect(filtered.body.evaluations.every((e: { grade: string }) => e.grade === grade)).toBe(true);
    }
    expectError(await call(emulator, "GET", `${base}/evaluations`, { query: { grade: "A" } }), 400);
    // No 404 is declared for the list: an unknown agent is "insufficient permissions on this agent".
    expectError(await call(emulator, "GET", "/agents/agtNope/evaluations"), 403);
  });

  it("retrieves one (404 when it is not this agent's), and counts grades and tags in a window", async () => {
    await start();
    const one = await call(emulator, "GET", `${base}/evaluations/eval_seedQuant01`);
    expect(one.status).toBe(200);
    expectShape(one.body.evaluation, EVALUATION, "evaluation");
    expectError(
      await call(emulator, "GET", `/agents/${SEED_AGENTS.assistant}/evaluations/eval_seedQuant01`),
      404,
    );
    expectError(await call(emulator, "GET", `${base}/evaluations/eval_nope`), 404);

    const metrics = await call(emulator, "GET", `${base}/evaluations/metrics`);
    expect(metrics.status).toBe(200);
    const { grades, tags } = metrics.body;
    expect(Object.keys(grades).sort()).toEqual(["needs_attention", "needs_review", "pass"]);
    expect(Object.values<number>(grades).reduce((a, b) => a + b, 0)).toBe(3);
    expect(Object.values<number>(tags).reduce((a, b) => a + b, 0)).toBe(3);
    const lastDay = await call(emulator, "GET", `${base}/evaluations/metrics`, { query: { days: 1 } });
    expect(Object.values<number>(lastDay.body.grades).reduce((a, b) => a + b, 0)).toBe(0);
  });

  it("evaluates new sessions once enabled, a minute after they start", async () => {
    await start();
    const agent = SEED_AGENTS.assistant;
    expect((await call(emulator, "GET", `/agents/${agent}/evaluations`)).body.evaluations).toEqual([]);
    const session = (await call(emulator, "POST", `/agents/${agent}/sessions`, { body: { input: "hello" } }))
      .body.session.id as string;
    await clock.advance(3_000);
    const patched = await call(emulator, "PATCH", `/agents/${agent}/evaluation-config`, {
      body: {
        enabled: true,
        tags: [{ name: "GREETING" }],
        data_points: [{ name: "Asked", data_type: "boolean" }],
      },
    });
    expect(patched.status).toBe(200);
    expect((await call(emulator, "GET", `/agents/${agent}/evaluations`)).body.evaluations).toEqual([]);
    await clock.advance(60_000);
    const [evaluation] = (await call(emulator, "GET", `/agents/${agent}/evaluations`)).body.evaluations;
    expect(evaluation).toMatchObject({
      interaction_id: session,
      applied_tags: ["GREETING"],
      data_results: [{ id: "dp_1", name: "Asked", data_type: "boolean", value: true }],
    });
  });

  it("reads and partially updates the config: lists replace, omitted fields stay, limits and Free refused", async () => {
    await start();
    const read = await call(emulator, "GET", `${base}/evaluation-config`);
    expect(read.status).toBe(200);
    expectShape(read.body.config, CONFIG, "config");
    expect(read.body.config).toMatchObject({
      agent_id: SEED_AGENTS.research,
      enabled: true,
      updated_ts: null,
    });

    const criteria = [
      { name: "Polite", prompt: "The agent is polite.", type: "voice_tone", priority: "needs_attention" },
    ];
    const updated = await call(emulator, "PATCH", `${base}/evaluation-config`, {
      body: { criteria, sentiment: { affects_grade: true } },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.config).toMatchObject({
      criteria: [{ id: "crit_1", ...criteria[0] }],
      tags: read.body.config.tags,
      sentiment: { enabled: true, affects_grade: true },
      updated_ts: "2026-06-01T12:00:00Z",
    });
    const tooMany = Array.from({ length: 31 }, (_, i) => ({ name: `c${i}`, prompt: "p" }));
    expectError(
      await call(emulator, "PATCH", `${base}/evaluation-config`, { body: { criteria: tooMany } }),
      400,
    );
    const badType = [{ name: "x", prompt: "p", type: "rude" }];
    expectError(
      await call(emulator, "PATCH", `${base}/evaluation-config`, { body: { criteria: badType } }),
      400,
    );
    expectError(
      await call(emulator, "PATCH", `${base}/evaluation-config`, { body: { enabled: "yes" } }),
      400,
    );
    await start({ plan: "free" });
    expectError(
      await call(emulator, "PATCH", `${base}/evaluation-config`, { body: { enabled: false } }),
      403,
    );
    expect((await call(emulator, "GET", `${base}/evaluation-config`)).status).toBe(200);
  });
});
