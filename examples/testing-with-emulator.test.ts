/**
 * Testing your own Gumloop agent offline: the emulator plays Gumloop, a scripted model plays the LLM, and a
 * virtual clock makes minutes-long Gumloop jobs finish in milliseconds. No network, no keys, deterministic.
 *
 * In this example, we:
 * 1. Start the emulator before each test on a free port (port 0), on a VirtualClock with autoAdvance: the clock
 *    jumps to the next pending timer whenever everything is waiting on it.
 * 2. Point a GumloopClient at the emulator, sleeping and reading time on the same clock, so retries and polling
 *    waits cost no real time.
 * 3. Build a small agent from our tools (createAgent from `langchain`, with `fakeModel()` scripting the model's
 *    tool calls), run it, and assert on the tool results and on `emulator.requests`: what Gumloop was sent.
 * 4. Inject faults (`emulator.faults.add`): a one-off 503 the client retries through, and an outage that
 *    reaches the model as an error tool message.
 *
 * Run: npx vitest run examples/testing-with-emulator.test.ts
 */
import { AIMessage, HumanMessage, ToolMessage } from "@langchain/core/messages";
import { fakeModel } from "@langchain/core/testing";
import type { StructuredToolInterface } from "@langchain/core/tools";
import { createAgent } from "langchain";
import { GumloopClient, GumloopToolManager } from "langchain-gumloop";
import { createRunAgentSessionTool } from "langchain-gumloop/graphs";
import { SEED_AGENTS, VirtualClock, startEmulator, type Emulator } from "gumloop-emulator";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

let clock: VirtualClock;
let emulator: Emulator;
let client: GumloopClient;

// 1 and 2. A fresh emulator per test: its state (sessions, request log, faults) starts from the same seed.
beforeEach(async () => {
  clock = new VirtualClock({ autoAdvance: true });
  emulator = await startEmulator({ port: 0, clock });
  client = new GumloopClient(emulator.clientOptions());
});
afterEach(() => emulator.close());

/** The tool messages of an agent run, in order. */
const toolMessages = (messages: unknown[]) =>
  messages.filter((m) => ToolMessage.isInstance(m)) as ToolMessage[];

/** The requests the emulator answered for one route, e.g. ("GET", "/agents"). */
const requestsTo = (method: string, route: string) =>
  emulator.requests.filter((request) => request.method === method && request.route === route);

describe("a research agent built from Gumloop tools", () => {
  // 3. The agent under test: it finds a Gumloop agent, then runs it once with the composite tool, which waits for
  //    the session (polling on the virtual clock) and downloads its artifacts in the same tool call.
  function researchAgent(model: ReturnType<typeof fakeModel>) {
    const manager = new GumloopToolManager({ client });
    const tools: StructuredToolInterface[] = [
      ...manager.getTools({ names: ["list_all_gumloop_agents"] }),
      createRunAgentSessionTool({
        client,
      }),
    ];
    return createAgent({ model, tools });
  }

  it("finds the research agent, runs it once, and reports its files", async () => {
    // The model's side of the conversation, scripted: a real model would make these calls for this prompt.
    const model = fakeModel()
      .respondWithTools([{ name: "list_all_gumloop_agents", args: { search: "research" }, id: "c1" }])
      .respondWithTools([
        {
          name: "run_gumloop_agent_session",
          args: { agent_id: SEED_AGENTS.research, input: "kelp farming" },
          id: "c2",
        },
      ])
      .respond(new AIMessage("The report on kelp farming is ready."));
    const startedAt = clock.now();

    const out = await researchAgent(model).invoke({ messages: [new HumanMessage("Research kelp farming")] });

    // Tool results, as the model saw them (JSON text) and in full (the artifact).
    const [list, run] = toolMessages(out.messages);
    expect(list!.status).toBe("success");
    expect(JSON.parse(String(list!.content)).result[0].name).toBe("Deep Research Agent");
    const result = JSON.parse(String(run!.content));
    expect(result.status).toBe("completed");
    expect(result.final_message).toContain("kelp farming");
    expect(result.artifacts.map((artifact: { filename: string }) => artifact.filename).sort()).toEqual([
      "kelp-farming-report.md",
      "kelp-farming-sources.csv",
    ]);
    expect(run!.artifact.artifacts[0].bytes).toBeInstanceOf(Uint8Array);
    expect(out.messages.at(-1)!.content).toBe("The report on kelp farming is ready.");

    // What Gumloop was sent: one search, exactly one session for the right agent, and polls in between.
    expect(requestsTo("GET", "/agents")[0]!.query).toMatchObject({ search: "research" });
    const created = requestsTo("POST", "/agents/{agent_id}/sessions");
    expect(created).toHaveLength(1);
    expect(created[0]!.path).toContain(SEED_AGENTS.research);
    expect(created[0]!.body).toMatchObject({ input: "kelp farming" });
    expect(requestsTo("GET", "/sessions/{session_id}").length).toBeGreaterThanOrEqual(2);
    // The research run takes 8 s on the emulator's clock; the test spent virtual time, not real time.
    expect(clock.now() - startedAt).toBeGreaterThanOrEqual(8_000);
  });

  // 4. Fault injection. A fault matches requests by method and route and replaces the answer; `times` limits it.
  it("rides through a one-off 503 from Gumloop: the client retries the read", async () => {
    emulator.faults.add({ route: "GET /agents", kind: "status", status: 503, times: 1 });
    const model = fakeModel()
      .respondWithTools([{ name: "list_all_gumloop_agents", args: { search: "research" }, id: "c1" }])
      .respond(new AIMessage("Found it."));

    const out = await researchAgent(model).invoke({
      messages: [new HumanMessage("Find the research agent")],
    });

    expect(toolMessages(out.messages)[0]!.status).toBe("success");
    expect(requestsTo("GET", "/agents").map((request) => request.status)).toEqual([503, 200]);
  });

  it("shows the model an error it can act on when Gumloop stays down", async () => {
    emulator.faults.add({ route: "GET /agents", kind: "status", status: 503 }); // no `times`: every request
    const model = fakeModel()
      .respondWithTools([{ name: "list_all_gumloop_agents", args: {}, id: "c1" }])
      .respond(new AIMessage("Gumloop is unavailable right now; please try again later."));

    const out = await researchAgent(model).invoke({ messages: [new HumanMessage("List my agents")] });

    const [list] = toolMessages(out.messages);
    expect(list!.status).toBe("error");
    expect(String(list!.content)).toMatch(/503 service_unavailable/);
    // The client gave up after its retries (2 by default), and the model got the next turn.
    expect(requestsTo("GET", "/agents")).toHaveLength(3);
    expect(model.callCount).toBe(2);
  });
});
