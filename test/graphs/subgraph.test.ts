import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SEED_AGENTS, SEED_FLOWS } from "gumloop-emulator";
import { ExportGraphState, createExportGraph } from "../../src/graphs/exportGraph.js";
import { FlowRunGraphState, createFlowRunGraph } from "../../src/graphs/flowRunGraph.js";
import { SessionGraphState, createSessionGraph } from "../../src/graphs/sessionGraph.js";
import { AGENTS_EXPORT, startHarness, type Harness } from "./harness.js";

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

describe("the export and flow-run graphs inside a caller's StateGraph", () => {
  it("run as nodes of one parent: the export added directly, the flow run wrapped (their state keys overlap)", async () => {
    await h.close();
    h = await startHarness({ plan: "enterprise" });
    const exportGraph = createExportGraph({ client: h.client });
    const flowGraph = createFlowRunGraph({ client: h.client });
    const Parent = Annotation.Root({ ...ExportGraphState.spec, summary: Annotation<string> });
    const parent = new StateGraph(Parent)
      .addNode("export", exportGraph)
      .addNode("summarise", async (state, config) => {
        const run = await flowGraph.invoke(
          {
            savedItemId: SEED_FLOWS.summarize,
            inputs: { url: `https://example.com/${state.rows.length}-rows` },
          },
          config,
        );
        return { summary: String(run.outputs["summary"]) };
      })
      .addEdge(START, "export")
      .addEdge("export", "summarise")
      .addEdge("summarise", END)
      .compile();
    const out = await parent.invoke({
      request: AGENTS_EXPORT,
    });
    expect(out.rows.length).toBeGreaterThan(0);
    expect(out.summary).toContain(`https://example.com/${out.rows.length}-rows`);
  });

  it("runs the flow-run graph added directly to a parent that shares its state", async () => {
    const flowGraph = createFlowRunGraph({ client: h.client });
    const Parent = Annotation.Root({ ...FlowRunGraphState.spec, headline: Annotation<string> });
    const parent = new StateGraph(Parent)
      .addNode("run_flow", flowGraph)
      .addNode("write_headline", (state) => ({
        headline: `${state.status}: ${String(state.outputs["title"])}`,
      }))
      .addEdge(START, "run_flow")
      .addEdge("run_flow", "write_headline")
      .addEdge("write_headline", END)
      .compile();
    const out = await parent.invoke({
      savedItemId: SEED_FLOWS.summarize,
      inputs: { url: "https://example.com/tidal-power" },
    });
    expect(out.headline).toBe("completed: Tidal Power");
  });
});
