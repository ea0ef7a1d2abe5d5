/**
 * Contract tests of flow runs (execution.yml, data-access.yml get_pl_run): both input styles of start_pipeline,
 * the run state machine on a virtual clock, kills, and concurrency per plan. Plain fetch only.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { Emulator, EmulatorOptions, VirtualClock } from "../src/index.js";
import { SEED_FLOWS, SEED_RUNS, SEED_WORKBOOKS } from "../src/areas/flows/seed.js";
import { KILLED, RUN, STARTED, legacyCall, type LegacyCallOptions } from "./flowHelpers.js";
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
const kill = (runId: string) => legacy("POST", "/kill_pipeline", { body: { run_id: runId } });
const stateOf = async (runId: string) => (await getRun(runId)).body.state as string;

describe("POST /start_pipeline + GET /get_pl_run: the run on the virtual clock", () => {
  const ARTICLE = "https://example.com/blog/quantum-error-correction";

  it("top-level inputs: RUNNING with a growing log, then DONE with outputs derived from the inputs", async () => {
    await start();
    const res = await startFlow({ saved_item_id: SEED_FLOWS.summarize, url: ARTICLE, focus: "hardware" });
    expect(res.status).toBe(200);
    expectShape(res.body, STARTED);
    const runId = res.body.run_id;
    expect(res.body).toMatchObject({
      saved_item_id: SEED_FLOWS.summarize,
      workbook_id: SEED_WORKBOOKS.research,
    });
    expect(res.body.url).toBe(`https://www.gumloop.com/pipeline?run_id=${runId}`);

    const running = await getRun(runId);
    expect(running.status).toBe(200);
    expectShape(running.body, RUN);
    // finished_ts is typed as a (non-nullable) string: left out until the run finishes.
    const unfinished = Object.keys(RUN).filter((key) => key !== "finished_ts");
    expect(Object.keys(running.body).sort()).toEqual(unfinished.sort());
    expect(running.body).toMatchObject({
      user_id: emulator.userId,
      state: "RUNNING",
      outputs: {},
      created_ts: "2026-06-01T12:00:00Z",
    });
    const firstLog = running.body.log.length;
    expect(firstLog).toBeGreaterThanOrEqual(1);
    await clock.advance(2_500);
    const midway = await getRun(runId);
    expect(midway.body.state).toBe("RUNNING");
    expect(midway.body.log.length).toBeGreaterThan(firstLog);
    await clock.advance(2_499);
    expect(await stateOf(runId)).toBe("RUNNING");
    await clock.advance(1);
    const done = await getRun(runId);
    expectShape(done.body, RUN);
    expect(done.body.state).toBe("DONE");
    expect(done.body.finished_ts).toBe("2026-06-01T12:00:05Z");
    expect(done.body.outputs.title).toBe("Quantum Error Correction");
    expect(done.body.outputs.summary).toContain(ARTICLE);
    expect(done.body.outputs.summary).toContain("focused on hardware");
    expect(done.body.log.length).toBeGreaterThan(midway.body.log.length);
    expect(done.body.log.at(-1)).toMatch(/completed/);
  });

  it("pipeline_inputs (older docs, legacy SDK) give the same outputs; unknown inputs are ignored with a log line", async () => {
    await start({ durations: { flow: 1_000 } });
    const res = await startFlow({
      saved_item_id: SEED_FLOWS.summarize,
      pipeline_inputs: [
        { input_name: "url", value: ARTICLE },
        { input_name: "unused", value: 3 },
      ],
    });
    expect(res.status).toBe(200);
    await clock.advance(1_000);
    const done = await getRun(res.body.run_id);
    expect(done.body.state).toBe("DONE");
    expect(done.body.outputs).toEqual({
      summary: expect.stringContaining(ARTICLE),
      title: "Quantum Error Correction",
    });
    expect(done.body.log.join("\n")).toContain("Ignored inputs that match no Input node: unused");
    const same = await startFlow({
      saved_item_id: SEED_FLOWS.summarize,
      url: ARTICLE,
      pipeline_inputs: [{ input_name: "url", value: ARTICLE }],
    });
    expect(same.status).toBe(200);
  });

  it("GET variant with query parameters, and the key as ?api_key= instead of Authorization", async () => {
    await start({ durations: { flow: 1_000 } });
    const viaGet = await legacy("GET", "/start_pipeline", {
      query: {
        saved_item_id: SEED_FLOWS.summarize,
        pipeline_inputs: JSON.stringify([{ input_name: "url", value: ARTICLE }]),
      },
    });
    expect(viaGet.status).toBe(200);
    expectShape(viaGet.body, STARTED);
    const viaQueryKey = await call(emulator, "POST", "/start_pipeline", {
      auth: "none",
      query: { api_key: emulator.apiKey, user_id: emulator.userId, saved_item_id: SEED_FLOWS.summarize },
      body: { url: "https://example.com/news/tidal-energy" },
    });
    expect(viaQueryKey.status).toBe(200);
    await clock.advance(1_000);
    expect((await getRun(viaGet.body.run_id)).body.outputs.title).toBe("Quantum Error Correction");
    expect((await getRun(viaQueryKey.body.run_id)).body.outputs.title).toBe("Tidal Energy");
    expectError(
      await call(emulator, "GET", "/start_pipeline", {
        auth: "none",
        query: { api_key: "wrong", user_id: emulator.userId, saved_item_id: SEED_FLOWS.summarize },
      }),
      401,
    );
  });

  it("400 on missing user_id / saved_item_id or conflicting inputs; 403 unknown flow (no 404 declared) or mismatch; 401 no key", async () => {
    await start();
    expectError(
      await legacy("POST", "/start_pipeline", {
        noUser: true,
        body: { saved_item_id: SEED_FLOWS.summarize },
      }),
      400,
    );
    expectError(
      await legacy("POST", "/start_pipeline", {
        noUser: true,
        body: { saved_item_id: SEED_FLOWS.summarize, project_id: emulator.teamId },
      }),
      400,
    );
    expectError(await startFlow({}), 400);
    expectError(await startFlow({ saved_item_id: SEED_FLOWS.summarize, pipeline_inputs: "nope" }), 400);
    expectError(
      await startFlow({ saved_item_id: SEED_FLOWS.summarize, pipeline_inputs: [{ value: "x" }] }),
      400,
    );
    expectError(
      await startFlow({
        saved_item_id: SEED_FLOWS.summarize,
        url: "https://a.example",
        pipeline_inputs: [{ input_name: "url", value: "https://b.example" }],
      }),
      400,
    );
    expectError(await startFlow({ saved_item_id: "flow_nope" }), 403, "saved_item_not_found");
    expectError(await startFlow({ saved_item_id: SEED_FLOWS.otherUsers, text: "x" }), 403);
    expectError(
      await startFlow({ saved_item_id: SEED_FLOWS.summarize, user_id: emulator.otherUser.userId }),
      403,
      "api_key_mismatch",
    );
    expectError(
      await call(emulator, "POST", "/start_pipeline", {
        auth: "none",
        body: { saved_item_id: "x", user_id: "y" },
      }),
      401,
    );
    expect(emulator.inspect().flows).toMatchObject({ runs: { total: 17 } });
  });

  it("the Always Fails flow ends FAILED with a log line saying why; a missing required input fails too", async () => {
    await start();
    const failing = (await startFlow({ saved_item_id: SEED_FLOWS.failing })).body.run_id;
    const noUrl = (await startFlow({ saved_item_id: SEED_FLOWS.summarize })).body.run_id;
    const badUrl = (await startFlow({ saved_item_id: SEED_FLOWS.summarize, url: "not a url" })).body.run_id;
    await clock.advance(5_000);
    const failed = await getRun(failing);
    expectShape(failed.body, RUN);
    expect(failed.body).toMatchObject({ state: "FAILED", outputs: {}, finished_ts: "2026-06-01T12:00:05Z" });
    expect(failed.body.log.join("\n")).toMatch(/Error in node "HTTP Request".*HTTP 500/);
    const missing = await getRun(noUrl);
    expect(missing.body.state).toBe("FAILED");
    expect(missing.body.log.join("\n")).toContain('required input "url" has no value');
    expect((await getRun(badUrl)).body.log.join("\n")).toContain('"not a url" is not a valid http(s) URL');
  });

  it("team flows run with project_id (and with a team key); runs of team flows are visible to the team", async () => {
    await start({ durations: { flow: 1_000 } });
    const res = await startFlow({
      saved_item_id: SEED_FLOWS.teamDigest,
      project_id: emulator.teamId,
      text: "Ship it",
    });
    expect(res.status).toBe(200);
    expect(res.body.workbook_id).toBe(SEED_WORKBOOKS.team);
    const byTeamKey = await call(emulator, "POST", "/start_pipeline", {
      auth: "team",
      body: { user_id: emulator.userId, saved_item_id: SEED_FLOWS.teamDigest, text: "Via team key" },
    });
    expect(byTeamKey.status).toBe(200);
    await clock.advance(1_000);
    const done = await legacy("GET", "/get_pl_run", {
      noUser: true,
      query: { run_id: res.body.run_id, project_id: emulator.teamId },
    });
    expect(done.body.outputs).toEqual({ text: "Ship it", result: "Team Digest processed text=Ship it" });
  });
});

describe("POST /kill_pipeline (delete_a_gumloop_flow_run_by_id)", () => {
  it("RUNNING → TERMINATING → TERMINATED shortly after; the run never completes", async () => {
    await start();
    const runId = (await startFlow({ saved_item_id: SEED_FLOWS.summarize, url: "https://example.com/a" }))
      .body.run_id;
    await clock.advance(2_000);
    const res = await kill(runId);
    expect(res.status).toBe(200);
    expectShape(res.body, KILLED);
    expect(res.body).toEqual({ success: true, run_id: runId });
    const terminating = await getRun(runId);
    expect(terminating.body).toMatchObject({ state: "TERMINATING", outputs: {} });
    expect(terminating.body).not.toHaveProperty("finished_ts");
    expect(terminating.body.log.at(-1)).toMatch(/Kill requested/);
    await clock.advance(999);
    expect(await stateOf(runId)).toBe("TERMINATING");
    await clock.advance(1);
    const terminated = await getRun(runId);
    expect(terminated.body).toMatchObject({
      state: "TERMINATED",
      finished_ts: "2026-06-01T12:00:03Z",
      outputs: {},
    });
    await clock.advance(10_000);
    expect(await stateOf(runId)).toBe("TERMINATED");
    expect((await getRun(runId)).body.log.join("\n")).not.toContain("completed successfully");
  });

  it("killing a finished run answers 200 and leaves it unchanged (inference)", async () => {
    await start();
    const before = (await getRun(SEED_RUNS.report)).body;
    const res = await kill(SEED_RUNS.report);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ success: true, run_id: SEED_RUNS.report });
    expect((await getRun(SEED_RUNS.report)).body).toEqual(before);
  });

  it("400 without run_id or user, 404 unknown run, 403 someone else's run", async () => {
    await start();
    expectError(await legacy("POST", "/kill_pipeline"), 400);
    expectError(
      await legacy("POST", "/kill_pipeline", { noUser: true, body: { run_id: SEED_RUNS.report } }),
      400,
    );
    expectError(await kill("run_nope"), 404);
    expectError(await kill(SEED_RUNS.otherUsers), 403, "permission_denied");
    expectError(
      await legacy("POST", "/kill_pipeline", {
        body: { run_id: SEED_RUNS.report, user_id: emulator.otherUser.userId },
      }),
      403,
      "api_key_mismatch",
    );
  });
});

describe("flow concurrency per plan", () => {
  it("free plan: the 3rd concurrent run is a 429 (status is inference); a slot frees when a run ends", async () => {
    await start({ plan: "free" });
    const body = { saved_item_id: SEED_FLOWS.summarize, url: "https://example.com/x" };
    expect((await startFlow(body)).status).toBe(200);
    expect((await startFlow(body)).status).toBe(200);
    const third = await startFlow(body);
    expectError(third, 429, "concurrency_limit_exceeded");
    expect(third.body.error.details).toMatchObject({ limit: 2, running: 2, plan: "free" });
    expect(emulator.inspect().flows).toMatchObject({ runs: { total: 19 } }); // 17 seeded + 2: the 429 stored none
    await clock.advance(5_000);
    expect((await startFlow(body)).status).toBe(200);
  });

  it("killing a run frees its slot at once; pro allows 5", async () => {
    await start({ plan: "free" });
    const body = { saved_item_id: SEED_FLOWS.failing };
    const first = (await startFlow(body)).body.run_id;
    await startFlow(body);
    expectError(await startFlow(body), 429);
    await kill(first);
    expect((await startFlow(body)).status).toBe(200);
    await emulator.close();

    await start({ plan: "pro" });
    for (let i = 0; i < 5; i++) expect((await startFlow(body)).status).toBe(200);
    expectError(await startFlow(body), 429);
  });

  it("enterprise: overflow is QUEUED (created_ts = start request) and runs when a slot frees", async () => {
    await start({ plan: "enterprise", slots: { flows: 1 }, durations: { flow: 1_000 } });
    const body = { saved_item_id: SEED_FLOWS.summarize, url: "https://example.com/queued-article" };
    const a = (await startFlow(body)).body.run_id;
    const b = await startFlow(body);
    expect(b.status).toBe(200);
    const queued = await getRun(b.body.run_id);
    expect(queued.body).toMatchObject({ state: "QUEUED", outputs: {} });
    expect(queued.body).not.toHaveProperty("finished_ts");
    expect(queued.body.log.join("\n")).toMatch(/Queued/);
    expect(emulator.inspect().concurrency.flows).toMatchObject({ limit: 1, running: 1, queued: 1 });
    await clock.advance(1_000);
    expect(await stateOf(a)).toBe("DONE");
    expect(await stateOf(b.body.run_id)).toBe("RUNNING");
    await clock.advance(1_000);
    const done = (await getRun(b.body.run_id)).body;
    expect(done).toMatchObject({
      state: "DONE",
      created_ts: "2026-06-01T12:00:00Z",
      finished_ts: "2026-06-01T12:00:02Z",
    });
  });

  it("enterprise: the 16th concurrent run queues; killing a queued run terminates it without running", async () => {
    await start({ plan: "enterprise" });
    const body = { saved_item_id: SEED_FLOWS.failing };
    for (let i = 0; i < 15; i++)
      expect((await getRun((await startFlow(body)).body.run_id)).body.state).toBe("RUNNING");
    const sixteenth = (await startFlow(body)).body.run_id;
    expect(await stateOf(sixteenth)).toBe("QUEUED");
    await kill(sixteenth);
    expect(await stateOf(sixteenth)).toBe("TERMINATING");
    await clock.advance(1_000);
    expect(await stateOf(sixteenth)).toBe("TERMINATED");
    expect(emulator.inspect().concurrency.flows).toMatchObject({ running: 15, queued: 0 });
  });
});
