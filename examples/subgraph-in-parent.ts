/**
 * The prebuilt session graph inside your own LangGraph StateGraph, in the two ways LangGraph composes graphs.
 *
 * In this example, we:
 * 1. Start the Gumloop emulator on a virtual clock, so the research agent's runs (8 seconds each on the
 *    emulator's clock) finish in milliseconds of real time.
 * 2. Add the session graph to a parent graph directly, as a node: the parent's state spreads
 *    `SessionGraphState.spec`, so parent and subgraph share those keys, and a later node reads the result.
 * 3. Wrap the session graph in a node of a parent with different keys (one of them an appending reducer): the
 *    node maps the parent's state to the subgraph's input, passes `config`, and returns only its delta.
 * 4. Stream the second parent: the session graph's progress events reach the parent's "custom" stream, through
 *    the `config` the wrapper passed on.
 *
 * Run: npx tsx --conditions=gumloop-source examples/subgraph-in-parent.ts
 */
import { Annotation, END, START, StateGraph, type LangGraphRunnableConfig } from "@langchain/langgraph";
import { GumloopClient } from "langchain-gumloop";
import { SessionGraphState, createSessionGraph, type GumloopProgressEvent } from "langchain-gumloop/graphs";
import { SEED_AGENTS, VirtualClock, startEmulator } from "gumloop-emulator";

// 1. The client and the graph sleep on the emulator's virtual clock; against real Gumloop, leave out the clock,
//    `sleep` and `now`.
const clock = new VirtualClock({ autoAdvance: true });
const emulator = await startEmulator({ port: 0, clock });
const client = new GumloopClient(emulator.clientOptions());
const session = createSessionGraph({ client, downloadArtifacts: false });

// 2. Directly as a node. The parent has every key of the session graph (all of them keep the last value written),
//    plus its own. The subgraph reads `agentId` and `input` from the parent's state and writes its results back.
const DirectState = Annotation.Root({
  ...SessionGraphState.spec,
  summary: Annotation<string>,
});
const direct = new StateGraph(DirectState)
  .addNode("prepare", () => ({ agentId: SEED_AGENTS.research, input: "glacier retreat" }))
  .addNode("research", session)
  .addNode("summarise", (state) => ({
    summary: `${state.status}: ${state.artifacts.map((artifact) => artifact.filename).join(", ")}`,
  }))
  .addEdge(START, "prepare")
  .addEdge("prepare", "research")
  .addEdge("research", "summarise")
  .addEdge("summarise", END)
  .compile();
const first = await direct.invoke({});
console.log(`Direct subgraph: session ${first.sessionId} → ${first.summary}`);

// 3. Wrapped in a node. Why not add it directly here too? A subgraph added as a node hands back its whole final
//    state, and the parent writes every key the two share through the parent's reducers. With a shared key that
//    appends (say a `log: string[]` with a concat reducer in both graphs), the subgraph returns the list it was
//    given plus its own entries, and the parent's reducer appends all of that to the list it already has: every
//    earlier entry twice. (Spreading SessionGraphState.spec in step 2 is safe: its keys keep the last value.)
//    The wrapper decides exactly what goes in (agentId, input) and what comes back: a delta of the parent's own
//    keys, which its reducers then apply once.
//    Passing `config` on makes the call a subgraph of this node: the caller's abort signal, callbacks and
//    tracing, stream writer (progress events) and checkpointer (so an approval interrupt pauses the parent) carry
//    through. On Node, LangGraph also finds the config through AsyncLocalStorage; passing it works everywhere.
const WrappedState = Annotation.Root({
  topics: Annotation<string[]>,
  log: Annotation<string[]>({ reducer: (left, right) => left.concat(right), default: () => [] }),
  reports: Annotation<Record<string, string>>({
    reducer: (left, right) => ({ ...left, ...right }),
    default: () => ({}),
  }),
});
const wrapped = new StateGraph(WrappedState)
  .addNode("plan", (state) => ({ log: [`planned ${state.topics.length} topics`] }))
  .addNode("research", async (state: typeof WrappedState.State, config: LangGraphRunnableConfig) => {
    const reports: Record<string, string> = {};
    for (const topic of state.topics) {
      const out = await session.invoke({ agentId: SEED_AGENTS.research, input: topic }, config);
      reports[topic] = out.finalMessage?.split("\n")[0] ?? `(${out.status})`;
    }
    return { reports, log: [`researched ${state.topics.length} topics`] }; // only the delta
  })
  .addEdge(START, "plan")
  .addEdge("plan", "research")
  .addEdge("research", END)
  .compile();

// 4. "custom" events from the session graph arrive through the parent's stream; "values" is the parent's state.
let second: typeof WrappedState.State | undefined;
const stream = await wrapped.stream(
  { topics: ["volcanoes", "deserts"] },
  { streamMode: ["custom", "values"] },
);
for await (const [mode, chunk] of stream) {
  if (mode === "custom") {
    const event = chunk as GumloopProgressEvent; // LangGraph types custom chunks as `any`
    console.log(`[progress] ${event.job} ${event.id}: ${event.state} (poll ${event.polls})`);
  } else {
    second = chunk;
  }
}
console.log(`Wrapped subgraph: log = ${JSON.stringify(second?.log)}`);
for (const [topic, report] of Object.entries(second?.reports ?? {})) console.log(`  ${topic}: ${report}`);

await emulator.close();
