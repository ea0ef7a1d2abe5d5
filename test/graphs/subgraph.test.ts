import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SEED_AGENTS } from "../../src/emulator/index.js";
import { SessionGraphState, createSessionGraph } from "../../src/graphs/sessionGraph.js";
import { startHarness, type Harness } from "./harness.js";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

describe("the session graph inside a caller's StateGraph", () => {
  it("works as a node added directly, sharing the state keys", async () => {
    const session = createSessionGraph({ client: h.client, ...h.seams, downloadArtifacts: false });
    const Parent = Annotation.Root({
      ...SessionGraphState.spec,
      summary: Annotation<string>,
    });
    const parent = new StateGraph(Parent)
      .addNode("prepare", () => ({ agentId: SEED_AGENTS.research, input: "glaciers" }))
      .addNode("research", session)
      .addNode("summarise", (state) => ({ summary: `${state.status}: ${state.artifacts.length} files` }))
      .addEdge(START, "prepare")
      .addEdge("prepare", "research")
      .addEdge("research", "summarise")
      .addEdge("summarise", END)
      .compile();
    const out = await parent.invoke({});
    expect(out.summary).toBe("completed: 2 files");
  });

  it("works wrapped in a node that passes config and returns only its delta, next to a reducer key", async () => {
    const session = createSessionGraph({ client: h.client, ...h.seams, downloadArtifacts: false });
    const Parent = Annotation.Root({
      topics: Annotation<string[]>,
      // An appending reducer: the duplication trap if a subgraph shared it and were added directly.
      log: Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }),
      reports: Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }),
    });
    const parent = new StateGraph(Parent)
      .addNode("start", () => ({ log: ["start"] }))
      .addNode("research", async (state, config) => {
        const results = [];
        for (const topic of state.topics) {
          results.push(await session.invoke({ agentId: SEED_AGENTS.research, input: topic }, config));
        }
        return { log: ["research"], reports: results.map((result) => result.finalMessage ?? "") };
      })
      .addEdge(START, "start")
      .addEdge("start", "research")
      .addEdge("research", END)
      .compile();
    const out = await parent.invoke({ topics: ["volcanoes", "deserts"] });
    expect(out.log).toEqual(["start", "research"]);
    expect(out.reports).toHaveLength(2);
    expect(out.reports[0]).toContain("volcanoes");
    expect(out.reports[1]).toContain("deserts");
  });
});
