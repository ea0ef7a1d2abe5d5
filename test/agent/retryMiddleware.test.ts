/**
 * `gumloopToolRetryMiddleware` inside a real `createAgent` loop, with a scripted model, against the emulator with
 * faults: a 429 storm ends with every call done once (0 failed, 0 duplicates) after waits that honour the server;
 * a write that may have taken effect is never repeated and reaches the model as "check first"; reads that fail
 * transiently are retried; composite tools and other tools are not retried.
 */
import { AIMessage, HumanMessage, ToolMessage, type BaseMessage } from "@langchain/core/messages";
import { fakeModel } from "@langchain/core/testing";
import { tool } from "@langchain/core/tools";
import { createAgent } from "langchain";
import { z } from "zod";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SEED_AGENTS, SEED_FLOWS } from "gumloop-emulator";
import { gumloopToolRetryMiddleware } from "../../src/agent/index.js";
import { GumloopToolManager } from "../../src/toolManager.js";
import { startHarness, type Harness } from "../graphs/harness.js";

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ plan: "enterprise" });
});
afterEach(() => h.close());

const call = (name: string, args: Record<string, unknown>, id: string) => ({
  name,
  args,
  id,
  type: "tool_call" as const,
});

/** The middleware with its waits recorded (and taken on the emulator's virtual clock, not in real time). */
function recordedMiddleware(options: { maxAttempts?: number; maxWaitMs?: number } = {}) {
  const waits: number[] = [];
  const middleware = gumloopToolRetryMiddleware({
    ...options,
    random: () => 0,
    sleep: (ms, signal) => {
      waits.push(ms);
      return h.clock.sleep(ms, signal);
    },
  });
  return { middleware, waits };
}

const toolMessages = (messages: BaseMessage[]) =>
  messages.filter((message): message is ToolMessage => ToolMessage.isInstance(message));

const json = (message: ToolMessage) => JSON.parse(String(message.content)) as { result: Record<string, any> };

/** One agent turn that makes one Gumloop tool call, then answers: the call's ToolMessage and the waits taken. */
async function oneCall(
  name: Parameters<GumloopToolManager["getTool"]>[0],
  args: Record<string, unknown>,
  options: { maxAttempts?: number; maxWaitMs?: number } = {},
) {
  const tools = [new GumloopToolManager({ client: h.client }).getTool(name)];
  const model = fakeModel()
    .respond(new AIMessage({ content: "", tool_calls: [call(name, args, `call-${name}`)] }))
    .respond(new AIMessage("done"));
  const { middleware, waits } = recordedMiddleware(options);
  const out = await createAgent({ model, tools, middleware: [middleware] }).invoke({
    messages: [new HumanMessage("go")],
  });
  return { result: toolMessages(out.messages)[0]!, waits };
}

describe("gumloopToolRetryMiddleware in createAgent", () => {
  it("rides out a 429 storm: 0 failed, 0 duplicates, every wait as long as the server asked", async () => {
    const tools = new GumloopToolManager({ client: h.client }).getTools({
      names: ["list_all_gumloop_agents", "create_a_gumloop_session", "get_single_gumloop_session_by_id"],
    });
    const inputs = Array.from({ length: 8 }, (_, i) => `task ${i}`);
    // Turn 1: eight sessions and two lists at once; turn 2: read back every session created; then done.
    const model = fakeModel()
      .respond(
        new AIMessage({
          content: "",
          tool_calls: [
            ...inputs.map((input, i) =>
              call("create_a_gumloop_session", { agent_id: SEED_AGENTS.assistant, input }, `start-${i}`),
            ),
            call("list_all_gumloop_agents", {}, "list-1"),
            call("list_all_gumloop_agents", { search: "research" }, "list-2"),
          ],
        }),
      )
      .respond((messages) => {
        const ids = toolMessages(messages)
          .filter((message) => message.name === "create_a_gumloop_session")
          .map((message) => json(message).result["id"] as string);
        return new AIMessage({
          content: "",
          tool_calls: ids.map((id, i) => call("get_single_gumloop_session_by_id", { id }, `read-${i}`)),
        });
      })
      .respond(new AIMessage("All eight sessions are running."));
    // The storm: most requests of every kind refused, with Retry-After: 2.
    h.emulator.faults.add({
      route: "*",
      kind: "status",
      status: 429,
      headers: { "Retry-After": "2" },
      probability: 0.6,
      times: 40,
    });
    const { middleware, waits } = recordedMiddleware();
    const agent = createAgent({ model, tools, middleware: [middleware] });

    const out = await agent.invoke({ messages: [new HumanMessage("start eight tasks")] });

    const results = toolMessages(out.messages);
    expect(results).toHaveLength(18);
    // 0 failed: the model never saw a 429.
    expect(results.filter((message) => message.status === "error").map((message) => message.content)).toEqual(
      [],
    );
    expect(out.messages.at(-1)!.content).toBe("All eight sessions are running.");
    // 0 duplicates: each task made one session, and each session was read back.
    const created = h.emulator.requests.filter(
      (request) => request.route === "/agents/{agent_id}/sessions" && request.status < 300,
    );
    expect(created.map((request) => (request.body as { input: string }).input).sort()).toEqual(inputs);
    // The storm happened, and each refusal was waited out once, as long as the server asked (2 s; the floor is 1 s).
    const refused = h.emulator.requests.filter((request) => request.status === 429);
    expect(refused.length).toBeGreaterThanOrEqual(10);
    expect(waits).toHaveLength(refused.length);
    expect(new Set(waits)).toEqual(new Set([2_000]));
  });

  it("never repeats a write that may have taken effect: the model is told to check first", async () => {
    // Gumloop starts the run, then the answer is a 502: the start may or may not have happened.
    h.emulator.faults.add({
      route: "POST /start_pipeline",
      kind: "status",
      status: 502,
      phase: "after",
      times: 1,
    });
    const { result, waits } = await oneCall("create_a_gumloop_flow_run", {
      saved_item_id: SEED_FLOWS.summarize,
    });
    expect(result.status).toBe("error");
    expect(result.content).toMatch(/may or may not have taken effect/);
    expect(result.content).toMatch(/list_all_gumloop_automation_runs/);
    expect(result.content).toMatch(/Do not repeat this call before checking\.$/);
    expect(h.emulator.requests.filter((request) => request.path.endsWith("/start_pipeline"))).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it("retries a read the client gave up on (dropped connections), by the backoff rule without a hint", async () => {
    // The client's own three attempts all lose their connection; the middleware's second call gets through.
    h.emulator.faults.add({ route: "GET /agents/{agent_id}", kind: "drop", times: 3 });
    const { result, waits } = await oneCall("get_single_gumloop_agent_by_id", {
      id: SEED_AGENTS.research,
    });
    expect(result.status).toBe("success");
    expect(result.content).toContain(SEED_AGENTS.research);
    // No hint: the rule's first wait, 1 s (random 0 takes the low end of its ±20 %, never under the floor).
    expect(waits).toEqual([1_000]);
  });

  it("gives up after maxAttempts, and does not retry early when the server asks for more than maxWaitMs", async () => {
    h.emulator.faults.add({
      route: "GET /agents",
      kind: "status",
      status: 429,
      headers: { "Retry-After": "1" },
    });
    const limited = await oneCall("list_all_gumloop_agents", {}, { maxAttempts: 3 });
    expect(limited.result.status).toBe("error");
    expect(limited.result.content).toMatch(
      /refused this call 3 times over 2 s \(rate limited\); nothing was done/,
    );
    expect(limited.waits).toEqual([1_000, 1_000]);

    h.emulator.faults.clear();
    h.emulator.faults.add({
      route: "GET /agents",
      kind: "status",
      status: 429,
      headers: { "Retry-After": "600" },
    });
    const patient = await oneCall("list_all_gumloop_agents", {}, { maxWaitMs: 60_000 });
    expect(patient.result.content).toMatch(/asked to wait 600 s before trying again/);
    expect(patient.waits).toEqual([]);
  });

  it("leaves other tools alone: their errors reach the model as createAgent words them", async () => {
    let calls = 0;
    const flaky = tool(
      async () => {
        calls += 1;
        throw new Error("backend down");
      },
      { name: "flaky", description: "fails", schema: z.object({}) },
    );
    const model = fakeModel()
      .respond(new AIMessage({ content: "", tool_calls: [call("flaky", {}, "f")] }))
      .respond(new AIMessage("ok"));
    const { middleware, waits } = recordedMiddleware();
    const out = await createAgent({ model, tools: [flaky], middleware: [middleware] }).invoke({
      messages: [],
    });
    expect(toolMessages(out.messages)[0]!.content).toBe("Error: backend down\n Please fix your mistakes.");
    expect(calls).toBe(1);
    expect(waits).toEqual([]);
  });
});
