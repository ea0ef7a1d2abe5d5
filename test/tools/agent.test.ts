/** A LangChain agent with a scripted model calling several plain tools end to end against the emulator. */
import { AIMessage, HumanMessage, ToolMessage } from "@langchain/core/messages";
import { fakeModel } from "@langchain/core/testing";
import { createAgent } from "langchain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GumloopClient } from "../../src/client/client.js";
import { SEED_AGENTS, SEED_SESSIONS, VirtualClock, type Emulator } from "gumloop-emulator";
import { startTestEmulator } from "../helpers/emulator.js";
import { GumloopToolManager } from "../../src/toolManager.js";

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startTestEmulator({ clock: new VirtualClock({ autoAdvance: true }) });
});
afterAll(() => emulator.close());

describe("createAgent with the plain tools", () => {
  it("finds an agent, starts a session, reads it and lists artifacts, with each result in the unified shape", async () => {
    const manager = new GumloopToolManager({ client: new GumloopClient(emulator.clientOptions()) });
    const sessionId = Object.values(SEED_SESSIONS)[0]!;
    const model = fakeModel()
      .respondWithTools([{ name: "list_all_gumloop_agents", args: { search: "assistant" }, id: "c1" }])
      .respondWithTools([
        {
          name: "create_a_gumloop_session",
          args: { agent_id: SEED_AGENTS.assistant, input: "hi" },
          id: "c2",
        },
      ])
      .respondWithTools([
        { name: "get_single_gumloop_session_by_id", args: { id: sessionId }, id: "c3" },
        {
          name: "list_all_gumloop_artifacts",
          args: { agent_id: SEED_AGENTS.research, page_size: 2 },
          id: "c4",
        },
      ])
      .respondWithTools([{ name: "list_all_gumloop_artifacts", args: { agent_id: "../etc" }, id: "c5" }])
      .respond(new AIMessage("Done."));
    const agent = createAgent({
      model,
      tools: manager.getTools({ tags: ["agents", "sessions", "artifacts"] }),
    });
    const out = await agent.invoke({ messages: [new HumanMessage("Look around")] });
    const results = out.messages.filter((message) => message instanceof ToolMessage) as ToolMessage[];
    expect(results.map((message) => message.status)).toEqual([
      "success",
      "success",
      "success",
      "success",
      "error",
    ]);
    const [found, created, session, artifacts, invalid] = results.map((message) => String(message.content));
    expect(JSON.parse(found!).result[0].name).toBe("General Assistant");
    expect(JSON.parse(created!).result.state).toMatch(/processing|queued/);
    expect(JSON.parse(session!).result.id).toBe(sessionId);
    const page = JSON.parse(artifacts!);
    expect(page.result).toHaveLength(2);
    expect(typeof page.next_cursor).toBe("string");
    // A bad id is refused with the field named, and never sent.
    expect(invalid).toMatch(/agent_id/);
    expect(emulator.requests.some((request) => request.path.includes(".."))).toBe(false);
    expect(model.callCount).toBe(5);
  });
});
