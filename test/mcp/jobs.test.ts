/**
 * Long jobs over MCP (Streamable HTTP, the SDK's client): progress notifications, a 429 storm, client cancellation,
 * a dropped connection followed by a re-sent call, and MCP tasks.
 */
import { CallToolResultSchema, type Progress } from "@modelcontextprotocol/sdk/types.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { answered, SEED_AGENTS, startMcpHarness, type McpHarness } from "./emulator.js";
import { startHttpMcp, type HttpMcp } from "./connect.js";

let h: McpHarness;
let mcp: HttpMcp;
let token: string;

async function setup(durations: Record<string, number> = {}) {
  h = await startMcpHarness({ durations, plan: "enterprise" });
  mcp = await startHttpMcp({ client: h.client, jobOptions: h.jobOptions });
  token = mcp.store.create({ name: "jobs", filter: { tags: ["sessions", "agents"] } }).token;
}
beforeEach(() => setup());
afterEach(async () => {
  await mcp.close();
  await h.close();
});

const text = (result: Record<string, unknown>) => (result["content"] as { text: string }[])[0]!.text;
const research = (input: string, extra: Record<string, unknown> = {}) => ({
  name: "run_gumloop_agent_session",
  arguments: { agent_id: SEED_AGENTS.research, input, ...extra },
});
const sessionCreates = () => answered(h.emulator, "POST /agents/{agent_id}/sessions");
const cancels = () => answered(h.emulator, "POST /sessions/{session_id}/cancel");

describe("job tools over MCP", () => {
  it("report progress notifications and return the report", async () => {
    const client = await mcp.connect(token);
    const progress: Progress[] = [];
    const result = await client.callTool(research("tidal energy"), CallToolResultSchema, {
      onprogress: (step) => progress.push(step),
    });
    const content = JSON.parse(text(result));
    expect(content.status).toBe("completed");
    expect(content.final_message).toContain("tidal energy");
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress.map((step) => step.progress)).toEqual(
      [...progress.map((step) => step.progress)].sort((a, b) => a - b),
    );
    expect(progress.at(-1)!.message).toMatch(/completed/);
    const report = (result.content as { type: string; resource?: { uri: string; text?: string } }[]).find(
      (block) => block.resource?.uri.endsWith("report.md"),
    );
    expect(report?.resource?.text).toContain("# Research report: tidal energy");
  });

  it("survive a 429 storm: every job completes, none is started twice", async () => {
    for (const route of [
      "POST /agents/{agent_id}/sessions",
      "GET /sessions/{session_id}",
      "GET /agents/{agent_id}/artifacts",
    ])
      h.emulator.faults.add({
        route,
        kind: "status",
        status: 429,
        headers: { "Retry-After": "2" },
        probability: 0.5,
      });
    const client = await mcp.connect(token);
    const topics = ["kelp", "hydrogen", "perovskites", "fusion", "geothermal"];
    const results = await Promise.all(topics.map((topic) => client.callTool(research(topic))));
    const statuses = results.map((result) => JSON.parse(text(result)).status);
    expect(statuses).toEqual(topics.map(() => "completed"));
    expect(h.emulator.requests.filter((request) => request.status === 429).length).toBeGreaterThan(5);
    expect(sessionCreates()).toHaveLength(topics.length);
  });

  it("cancel the Gumloop session when the client cancels the call", async () => {
    await mcp.close();
    await h.close();
    await setup({ research: 600_000 });
    const client = await mcp.connect(token);
    const controller = new AbortController();
    const call = client.callTool(research("slow topic"), CallToolResultSchema, {
      signal: controller.signal,
      onprogress: (step) => {
        if (step.progress >= 1) controller.abort("user pressed stop");
      },
    });
    await expect(call).rejects.toThrow();
    await expect.poll(() => cancels().length, { timeout: 5_000 }).toBe(1);
    const sessionId = sessionCreates()[0]!.body as { session_id: string };
    expect(cancels()[0]!.path).toContain(sessionId.session_id);
  });

  it("keep a job running when the connection drops, and a re-sent call adopts it", async () => {
    await mcp.close();
    await h.close();
    await setup({ research: 120_000 });
    const first = await mcp.connect(token);
    let started!: () => void;
    const progressed = new Promise<void>((resolve) => (started = resolve));
    void first
      .callTool(research("long job"), CallToolResultSchema, { onprogress: () => started() })
      .catch(() => {});
    await progressed;
    await first.close();
    const second = await mcp.connect(token);
    const result = JSON.parse(text(await second.callTool(research("long job"))));
    expect(result.status).toBe("completed");
    expect(sessionCreates()).toHaveLength(1);
    expect(cancels()).toHaveLength(0);
    // A new request_key runs the same call again, as a new job.
    const again = JSON.parse(text(await second.callTool(research("long job", { request_key: "2" }))));
    expect(again.session_id).not.toBe(result.session_id);
    expect(sessionCreates()).toHaveLength(2);
  });

  it("keep a job running when the client's request times out, and the re-sent call adopts it", async () => {
    // The first status read takes a real second: longer than the client waits.
    h.emulator.faults.add({
      route: "GET /sessions/{session_id}",
      kind: "latency",
      latencyMs: 1_000,
      times: 1,
    });
    const client = await mcp.connect(token);
    await expect(
      client.callTool(research("impatient client"), CallToolResultSchema, { timeout: 300 }),
    ).rejects.toThrow(/timed out/i);
    const result = JSON.parse(text(await client.callTool(research("impatient client"))));
    expect(result.status).toBe("completed");
    expect(sessionCreates()).toHaveLength(1);
    expect(cancels()).toHaveLength(0);
  });

  it("run as MCP tasks: created at once, polled, result delivered; tasks/cancel cancels the session", async () => {
    const client = await mcp.connect(token);
    const kinds: string[] = [];
    let final: Record<string, unknown> | undefined;
    for await (const message of client.experimental.tasks.callToolStream(
      research("task topic"),
      CallToolResultSchema,
      {
        task: { ttl: 60_000 },
      },
    )) {
      kinds.push(message.type);
      if (message.type === "result") final = message.result as Record<string, unknown>;
    }
    expect(kinds[0]).toBe("taskCreated");
    expect(kinds.at(-1)).toBe("result");
    expect(JSON.parse(text(final!)).status).toBe("completed");

    await mcp.close();
    await h.close();
    await setup({ research: 600_000 });
    const before = h.emulator.inspect().sessions.total;
    const other = await mcp.connect(token);
    const stream = other.experimental.tasks.callToolStream(research("task to cancel"), CallToolResultSchema, {
      task: { ttl: 60_000 },
    });
    // Time stands still from here: the session is cancelled while it runs (a streamed create is logged only when
    // its stream closes, so the session is looked for on the emulator itself).
    h.clock.setAutoAdvance(false);
    const created = await stream.next();
    const taskId = (created.value as { task: { taskId: string } }).task.taskId;
    await expect.poll(() => h.emulator.inspect().sessions.total, { timeout: 5_000 }).toBeGreaterThan(before);
    await other.experimental.tasks.cancelTask(taskId);
    await expect.poll(() => cancels().length, { timeout: 5_000 }).toBe(1);
    expect((await other.experimental.tasks.getTask(taskId)).status).toBe("cancelled");
  });
});
