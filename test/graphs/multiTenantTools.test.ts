/**
 * Many end users through one set of plain tools: a tool manager built on a client pool runs every tool call with
 * the client of the end user of the run it is called in (credentials read off the run's `context` inside
 * `createAgent`, or `configurable` in a graph with the Gumloop tool node), and two users' concurrent calls never
 * cross credentials, errors or results.
 */
import { AIMessage, HumanMessage, ToolMessage, type BaseMessage } from "@langchain/core/messages";
import { fakeModel } from "@langchain/core/testing";
import { END, MessagesAnnotation, START, StateGraph } from "@langchain/langgraph";
import { createAgent } from "langchain";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SEED_AGENTS, SEED_FLOWS } from "gumloop-emulator";
import { GumloopClientPool, type GumloopCredentials } from "../../src/client/clientPool.js";
import { createGumloopToolNode, gumloopToolNodeRetryPolicy } from "../../src/langchain/toolNode.js";
import { GumloopToolManager } from "../../src/toolManager.js";
import { startHarness, type Harness } from "./harness.js";

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ plan: "enterprise" });
});
afterEach(() => h.close());

function users() {
  const base = { baseUrl: h.emulator.url, streamBaseUrl: h.emulator.clientOptions().streamBaseUrl };
  return {
    ada: { ...base, apiKey: h.emulator.apiKey, userId: h.emulator.userId },
    grace: { ...base, apiKey: h.emulator.otherUser.apiKey, userId: h.emulator.otherUser.userId },
  };
}

/** The app's resolver: the end user's credentials travel in the run's context (createAgent) or configurable. */
const pool = () =>
  new GumloopClientPool({
    resolve: (run) =>
      ((run.context as { gumloop?: GumloopCredentials } | undefined)?.gumloop ??
        run.configurable?.["gumloop"]) as GumloopCredentials | undefined,
    defaults: { sleep: h.clock.sleep, now: h.clock.now },
  });

const call = (name: string, args: Record<string, unknown>, id: string) => ({
  name,
  args,
  id,
  type: "tool_call" as const,
});

/** A model that lists the agents it can see, then starts a session on each of `agents` in one turn. */
function listThenStart(agents: readonly string[], who: string) {
  return fakeModel()
    .respond(new AIMessage({ content: "", tool_calls: [call("list_all_gumloop_agents", {}, `${who}-list`)] }))
    .respond(
      new AIMessage({
        content: "",
        tool_calls: agents.map((agentId, i) =>
          call(
            "create_a_gumloop_session",
            { agent_id: agentId, input: `${who}'s task` },
            `${who}-start-${i}`,
          ),
        ),
      }),
    )
    .respond(new AIMessage("done"));
}

const toolMessages = (messages: BaseMessage[]) =>
  messages.filter((message): message is ToolMessage => ToolMessage.isInstance(message));

describe("plain tools on a client pool", () => {
  it("inside createAgent: two users' concurrent runs each use their own credentials, errors and results", async () => {
    const clients = pool();
    const tools = new GumloopToolManager({ client: clients }).getTools({
      names: ["list_all_gumloop_agents", "create_a_gumloop_session"],
    });
    const { ada, grace } = users();
    const agentFor = (model: ReturnType<typeof listThenStart>) => createAgent({ model, tools });
    // Grace also tries Ada's agent: refused as Grace, in Grace's run only.
    const [adaRun, graceRun] = await Promise.all([
      agentFor(listThenStart([SEED_AGENTS.research], "ada")).invoke(
        { messages: [new HumanMessage("start my research")] },
        { context: { gumloop: ada } },
      ),
      agentFor(listThenStart([SEED_AGENTS.otherUsers, SEED_AGENTS.research], "grace")).invoke(
        { messages: [new HumanMessage("start my compile")] },
        { context: { gumloop: grace } },
      ),
    ]);
    const [adaList, adaStart] = toolMessages(adaRun.messages);
    const [graceList, graceStart, graceOnAdas] = toolMessages(graceRun.messages);

    // Results: each list is its user's own agents.
    expect(adaList!.content).toContain(SEED_AGENTS.research);
    expect(adaList!.content).not.toContain(SEED_AGENTS.otherUsers);
    expect(graceList!.content).toContain(SEED_AGENTS.otherUsers);
    expect(graceList!.content).not.toContain(SEED_AGENTS.research);
    // Credentials: each session was created by its own user.
    const creator = (message: ToolMessage) =>
      (message.artifact as { data: { session: { creator?: { id: string } } } }).data.session.creator?.id;
    expect(adaStart!.status).toBe("success");
    expect(graceStart!.status).toBe("success");
    expect(creator(adaStart!)).toBe(ada.userId);
    expect(creator(graceStart!)).toBe(grace.userId);
    // Errors: only Grace's run sees the refusal of Ada's agent, and it names neither user's key or id.
    expect(graceOnAdas!.status).toBe("error");
    expect(graceOnAdas!.content).toMatch(/create_a_gumloop_session failed: 403/);
    expect(toolMessages(adaRun.messages).every((message) => message.status === "success")).toBe(true);
    const everything = JSON.stringify([adaRun.messages, graceRun.messages]);
    for (const secret of [ada.apiKey, grace.apiKey]) expect(everything).not.toContain(secret);
    expect(String(graceOnAdas!.content)).not.toContain(ada.userId);
    // One client per account, reused across both turns of each run.
    expect(clients.size).toBe(2);
  });

  it("in a graph with the tool node: credentials from configurable, a run without them refused unsent", async () => {
    const manager = new GumloopToolManager({ client: pool() });
    const graph = new StateGraph(MessagesAnnotation)
      .addNode("tools", createGumloopToolNode(manager.getTools({ names: ["list_all_gumloop_agents"] })), {
        retryPolicy: gumloopToolNodeRetryPolicy(),
      })
      .addEdge(START, "tools")
      .addEdge("tools", END)
      .compile();
    const { ada, grace } = users();
    const listing = (id: string) => ({
      messages: [new AIMessage({ content: "", tool_calls: [call("list_all_gumloop_agents", {}, id)] })],
    });
    const runs = await Promise.all(
      Array.from({ length: 6 }, (_, i) => {
        const user = i % 2 === 0 ? ada : grace;
        return graph.invoke(listing(`c${i}`), { configurable: { gumloop: user } });
      }),
    );
    runs.forEach((run, i) => {
      const content = String(run.messages.at(-1)!.content);
      const [own, other] =
        i % 2 === 0
          ? [SEED_AGENTS.research, SEED_AGENTS.otherUsers]
          : [SEED_AGENTS.otherUsers, SEED_AGENTS.research];
      expect(content).toContain(own);
      expect(content).not.toContain(other);
    });

    h.emulator.clearRequests();
    const anonymous = await graph.invoke(listing("nobody"));
    const refusal = anonymous.messages.at(-1) as ToolMessage;
    expect(refusal.status).toBe("error");
    expect(refusal.content).toMatch(/carries no Gumloop credentials/);
    expect(h.emulator.requests).toHaveLength(0);
  });

  it("builds a per-flow tool with its user's client; each call runs as the user of its own run", async () => {
    const manager = new GumloopToolManager({ client: pool() });
    const { ada, grace } = users();
    await expect(manager.getFlowTool(SEED_FLOWS.summarize)).rejects.toThrow(/carries no Gumloop credentials/);
    const flow = await manager.getFlowTool(SEED_FLOWS.summarize, { run: { context: { gumloop: ada } } });
    const start = (user: GumloopCredentials, id: string) =>
      flow.invoke(call(flow.name, { url: "https://example.com/a" }, id), {
        context: { gumloop: user },
      } as never);
    const [adas, graces] = await Promise.allSettled([start(ada, "ada-run"), start(grace, "grace-run")]);
    expect(adas.status).toBe("fulfilled");
    expect(String((adas as PromiseFulfilledResult<ToolMessage>).value.content)).toContain("run_id");
    // Grace cannot start Ada's flow: the call ran with Grace's credentials, and was refused as hers.
    expect(graces.status).toBe("rejected");
    const refusal = (graces as PromiseRejectedResult).reason as Error;
    expect(refusal.message).toMatch(/failed: 40[34]/);
    for (const secret of [ada.apiKey, grace.apiKey, ada.userId])
      expect(refusal.message).not.toContain(secret);
  });
});
