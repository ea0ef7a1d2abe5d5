/**
 * Starts without an idempotency key (start_pipeline, export_data) that Gumloop answered with a 5xx after doing
 * the work: the flow run is found in the run history and adopted; the export (which cannot be listed) ends as
 * outcome_unknown. A resume from the checkpoint never starts a second job.
 */
import { MemorySaver } from "@langchain/langgraph";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InternalServerError } from "../../src/client/errors.js";
import { SEED_FLOWS } from "gumloop-emulator";
import { createExportGraph } from "../../src/graphs/exportGraph.js";
import { createFlowRunGraph } from "../../src/graphs/flowRunGraph.js";
import { AGENTS_EXPORT, startHarness, type Harness } from "./harness.js";

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ plan: "enterprise" });
});
afterEach(() => h.close());

const posts = (suffix: string) =>
  h.emulator.requests.filter((request) => request.method === "POST" && request.path.endsWith(suffix));
const snapshot = () =>
  h.emulator.inspect() as unknown as { flows: { runs: { total: number } }; exports: { total: number } };

describe("a start answered with 500, 502 or 504 after the job was created", () => {
  it.each([500, 502, 504])(
    "adopts the flow run from the run history and a resume starts no second run (%i)",
    async (status) => {
      h.emulator.faults.add({
        route: "POST /start_pipeline",
        kind: "status",
        status,
        phase: "after",
        times: 1,
      });
      const graph = createFlowRunGraph({ client: h.client, ...h.seams, checkpointer: new MemorySaver() });
      const config = { configurable: { thread_id: `flow-${status}` } };
      const runsBefore = snapshot().flows.runs.total;
      const out = await graph.invoke(
        { savedItemId: SEED_FLOWS.summarize, inputs: { url: "https://example.com/5xx" } },
        config,
      );
      expect(out.status).toBe("completed");
      expect(out.runId).toBeTruthy();
      const resumed = await graph.invoke(null, config);
      expect(resumed.status).toBe("completed");
      expect(posts("/start_pipeline")).toHaveLength(1);
      expect(snapshot().flows.runs.total - runsBefore).toBe(1);
    },
  );

  it("ends an export as outcome_unknown and a resume starts no second export (502)", async () => {
    h.emulator.faults.add({
      route: "POST /export_data",
      kind: "status",
      status: 502,
      phase: "after",
      times: 1,
    });
    const graph = createExportGraph({ client: h.client, ...h.seams, checkpointer: new MemorySaver() });
    const config = { configurable: { thread_id: "export-502" } };
    const out = await graph.invoke({ request: AGENTS_EXPORT }, config);
    expect(out.status).toBe("outcome_unknown");
    expect(out.error).toMatch(/502 .*Exports cannot be listed/);
    const resumed = await graph.invoke(null, config);
    expect(resumed.status).toBe("outcome_unknown");
    expect(posts("/export_data")).toHaveLength(1);
    expect(snapshot().exports.total).toBe(1);
  });

  it("still rethrows a 503 (not handled), and a resume then starts the run once", async () => {
    h.emulator.faults.add({ route: "POST /start_pipeline", kind: "status", status: 503, times: 1 });
    const graph = createFlowRunGraph({ client: h.client, ...h.seams, checkpointer: new MemorySaver() });
    const config = { configurable: { thread_id: "flow-503" } };
    const first = graph.invoke(
      { savedItemId: SEED_FLOWS.summarize, inputs: { url: "https://example.com/503" } },
      config,
    );
    await expect(first).rejects.toThrow(InternalServerError);
    const resumed = await graph.invoke(null, config);
    expect(resumed.status).toBe("completed");
    expect(posts("/start_pipeline").map((request) => request.status)).toEqual([503, 200]);
  });
});
