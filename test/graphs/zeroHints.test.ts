/**
 * No hint, however small, makes a hot loop. For every form a 429's hint can take (Retry-After: 0, RateLimit-Reset:
 * 0, an HTTP-date in the past, no header, a huge value) and every place that waits on one (each graph's start and
 * polls, the tool node), Gumloop refuses every request until the job's deadline: no 3 s window sees more than 5
 * requests of the refused route, and no graph waits past its deadline.
 */
import { AIMessage } from "@langchain/core/messages";
import { END, MessagesAnnotation, START, StateGraph } from "@langchain/langgraph";
import { afterEach, describe, expect, it } from "vitest";
import { SEED_AGENTS, SEED_FLOWS } from "gumloop-emulator";
import { createExportGraph } from "../../src/graphs/exportGraph.js";
import { createFlowRunGraph } from "../../src/graphs/flowRunGraph.js";
import { createSessionGraph } from "../../src/graphs/sessionGraph.js";
import { createGumloopToolNode, gumloopToolNodeRetryPolicy } from "../../src/langchain/toolNode.js";
import { GumloopToolManager } from "../../src/toolManager.js";
import { AGENTS_EXPORT, startHarness, type Harness } from "./harness.js";

const DEADLINE_MS = 120_000;
/** The stated bound: requests of one job to a refusing route in any 3 s window. */
const MAX_PER_WINDOW = 5;
const WINDOW_MS = 3_000;

const HINTS: Record<string, Record<string, string>> = {
  "Retry-After: 0": { "Retry-After": "0" },
  "RateLimit-Reset: 0": { "RateLimit-Limit": "10", "RateLimit-Remaining": "0", "RateLimit-Reset": "0" },
  "a past HTTP-date": { "Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT" },
  "no header": {},
  "a huge value": { "Retry-After": "999999999" },
};

let h: Harness;
afterEach(() => h?.close());

/** The most requests to `route` that fall in any window of `WINDOW_MS`. */
function busiestWindow(route: string): number {
  const times = h.emulator.requests
    .filter((request) => `${request.method} ${request.route}` === route)
    .map((request) => request.time)
    .sort((a, b) => a - b);
  let most = 0;
  for (let first = 0, last = 0; last < times.length; last++) {
    while (times[last]! - times[first]! >= WINDOW_MS) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

const common = () => ({ client: h.client, ...h.seams, deadlineMs: DEADLINE_MS });

/** Each place that waits on a refusal: the route refused, how to run one job against it, and any other fault. */
const TARGETS: Record<
  string,
  { route: string; run: () => Promise<{ status: string | null } | void>; setup?: () => void }
> = {
  "session start": {
    route: "POST /agents/{agent_id}/sessions",
    run: () => createSessionGraph(common()).invoke({ agentId: SEED_AGENTS.research, input: "hints" }),
  },
  "session polls": {
    route: "GET /sessions/{session_id}",
    run: () =>
      createSessionGraph({ ...common(), stream: false }).invoke({
        agentId: SEED_AGENTS.research,
        input: "hints",
      }),
  },
  // The session's stream drops after its first event: every resume (then every poll) is refused.
  "session stream resumes": {
    route: "GET /sessions/{session_id}",
    setup: () =>
      h.emulator.faults.add({
        route: "POST /agents/{agent_id}/sessions",
        kind: "drop",
        phase: "stream",
        afterEvents: 1,
        times: 1,
      }),
    run: () => createSessionGraph(common()).invoke({ agentId: SEED_AGENTS.research, input: "hints" }),
  },
  "flow-run start": {
    route: "POST /start_pipeline",
    run: () =>
      createFlowRunGraph(common()).invoke({
        savedItemId: SEED_FLOWS.summarize,
        inputs: { url: "https://example.com/hints" },
      }),
  },
  "flow-run polls": {
    route: "GET /get_pl_run",
    run: () =>
      createFlowRunGraph(common()).invoke({
        savedItemId: SEED_FLOWS.summarize,
        inputs: { url: "https://example.com/hints" },
      }),
  },
  "export start": {
    route: "POST /export_data",
    run: () => createExportGraph(common()).invoke({ request: AGENTS_EXPORT }),
  },
  "export polls": {
    route: "GET /export_status",
    run: () => createExportGraph(common()).invoke({ request: AGENTS_EXPORT }),
  },
  "tool node": {
    route: "GET /agents",
    run: async () => {
      const tools = new GumloopToolManager({ client: h.client }).getTools({
        names: ["list_all_gumloop_agents"],
      });
      const graph = new StateGraph(MessagesAnnotation)
        .addNode("tools", createGumloopToolNode(tools, { sleep: h.clock.sleep, random: h.seams.random }), {
          retryPolicy: gumloopToolNodeRetryPolicy(),
        })
        .addEdge(START, "tools")
        .addEdge("tools", END)
        .compile();
      const message = new AIMessage({
        content: "",
        tool_calls: [{ name: "list_all_gumloop_agents", args: {}, id: "c1", type: "tool_call" }],
      });
      // The node gives up after its policy's attempts with the last 429.
      await expect(graph.invoke({ messages: [message] })).rejects.toThrow(/429/);
    },
  },
};

describe.each(Object.entries(HINTS))("a 429 with %s", (_hint, headers) => {
  it.each(Object.keys(TARGETS))("paces the %s and keeps to the deadline", async (name) => {
    h = await startHarness({
      plan: "enterprise",
      durations: { research: 600_000, flow: 600_000, export: 600_000 },
    });
    const { route, run, setup } = TARGETS[name]!;
    h.emulator.faults.add({ route, kind: "status", status: 429, headers });
    setup?.();
    const startedAt = h.clock.now();
    const out = await run();
    if (out) {
      expect(out.status).toBe("timed_out");
      expect(h.clock.now() - startedAt).toBeLessThanOrEqual(DEADLINE_MS);
    }
    const refused = h.emulator.requests.filter((request) => request.status === 429).length;
    expect(refused).toBeGreaterThan(0);
    expect(busiestWindow(route)).toBeLessThanOrEqual(MAX_PER_WINDOW);
  });
});
