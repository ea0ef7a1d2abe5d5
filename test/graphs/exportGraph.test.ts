import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GumloopValidationError, PermissionDeniedError } from "../../src/client/errors.js";
import { EXPORT_FAIL_ENTITY_ID } from "gumloop-emulator";
import { createExportDataTool } from "../../src/langchain/compositeTools.js";
import { createExportGraph } from "../../src/graphs/exportGraph.js";
import type { GumloopProgressEvent } from "../../src/graphs/polling.js";
import { startHarness, type Harness } from "./harness.js";

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ plan: "enterprise", durations: { export: 30 * 60_000 } });
});
afterEach(() => h.close());

const request = {
  data_type: "workflows" as const,
  export_fields: ["workbook_id", "workbook_name", "run_id", "credit_cost"],
  start_date: "2026-01-01T00:00:00Z",
  end_date: "2026-12-31T00:00:00Z",
  include_all_workspaces: true,
};
const starts = () =>
  h.emulator.requests.filter((entry) => entry.method === "POST" && entry.path.endsWith("/export_data"));

describe("createExportGraph", () => {
  it("starts the export, polls a 30-minute job, downloads the CSV and parses it with a real CSV parser", async () => {
    const graph = createExportGraph({ client: h.client, ...h.seams });
    const events: GumloopProgressEvent[] = [];
    let out: Awaited<ReturnType<typeof graph.invoke>> | undefined;
    for await (const [mode, chunk] of await graph.stream({ request }, { streamMode: ["custom", "values"] })) {
      if (mode === "custom") events.push(chunk as GumloopProgressEvent);
      else out = chunk as typeof out;
    }
    expect(out!.status).toBe("completed");
    expect(out!.state).toBe("COMPLETED");
    expect(out!.exportId).toBeTruthy();
    expect(Object.keys(out!.rows[0]!)).toEqual(request.export_fields);
    // Values with commas and quotes survive the round trip.
    expect(
      out!.rows.some((row) => row["workbook_name"]!.includes(",") || row["workbook_name"]!.includes('"')),
    ).toBe(true);
    expect(out!.csv!.split("\n")[0]).toContain("workbook_id");
    // 5 s ×1.5 up to 60 s: about 40 polls for 30 minutes, far fewer than fixed polling.
    expect(out!.polls).toBeGreaterThan(25);
    expect(out!.polls).toBeLessThan(60);
    expect(events.at(-1)).toMatchObject({ job: "export", state: "COMPLETED" });
    expect(starts()).toHaveLength(1);
  });

  it("checks the scope rule before sending anything", async () => {
    const graph = createExportGraph({ client: h.client, ...h.seams });
    const error = await graph
      .invoke({ request: { ...request, include_all_workspaces: undefined } as never })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GumloopValidationError);
    expect((error as Error).message).toMatch(/workspace_ids: a non-credit_logs export needs a scope/);
    expect(h.emulator.requests).toHaveLength(0);
  });

  it("ends as failed when the export fails", async () => {
    const graph = createExportGraph({ client: h.client, ...h.seams });
    const out = await graph.invoke({
      request: {
        ...request,
        data_type: "agents",
        export_fields: ["agent_id"],
        include_all_workspaces: undefined,
        entity_ids: [EXPORT_FAIL_ENTITY_ID],
      },
    });
    expect(out.status).toBe("failed");
    expect(out.rows).toEqual([]);
  });

  it("ends as timed_out at the deadline", async () => {
    const graph = createExportGraph({ client: h.client, ...h.seams, deadlineMs: 5 * 60_000 });
    const out = await graph.invoke({ request });
    expect(out.status).toBe("timed_out");
  });

  it("reports a start whose answer was lost as outcome_unknown, without a second export", async () => {
    h.emulator.faults.add({ route: "POST /export_data", kind: "drop", phase: "after", times: 1 });
    const graph = createExportGraph({ client: h.client, ...h.seams });
    const out = await graph.invoke({ request });
    expect(out.status).toBe("outcome_unknown");
    expect(starts()).toHaveLength(1);
  });

  it("surfaces Gumloop's enterprise gate as a permission error", async () => {
    await h.close();
    h = await startHarness({ plan: "pro" });
    const graph = createExportGraph({ client: h.client, ...h.seams });
    const error = await graph.invoke({ request }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect((error as Error).message).toMatch(/tier_required_enterprise.*requires the enterprise plan/);
  });

  it("runs as one composite tool call with a preview for the model and all rows in the artifact", async () => {
    const tool = createExportDataTool({ client: h.client, ...h.seams });
    const message = await tool.invoke({
      id: "c1",
      name: "export_gumloop_data",
      type: "tool_call",
      args: request,
    });
    const content = JSON.parse(String(message.content));
    expect(content).toMatchObject({ status: "completed", columns: request.export_fields });
    expect(content.preview_rows.length).toBeLessThanOrEqual(5);
    expect(message.artifact.rows).toHaveLength(content.row_count);
  });
});
