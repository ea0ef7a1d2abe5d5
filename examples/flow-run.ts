/**
 * Running a saved Gumloop flow: with the prebuilt flow-run graph, and as a per-flow tool for a model.
 *
 * In this example, we:
 * 1. Start the Gumloop emulator in this process, with flow runs shortened to 0.8 seconds of real time.
 * 2. Run the seeded "Summarize Article" flow with createFlowRunGraph: it reads the flow's inputs, checks ours
 *    against them, starts the run, polls it until it ends, and returns its outputs and log.
 * 3. Build a tool for the same flow with `manager.getFlowTool(savedItemId)`: its schema is the flow's own inputs,
 *    so a model fills `url` and `focus` instead of assembling Gumloop's input list; we call it once.
 *
 * Run: npx tsx --conditions=gumloop-source examples/flow-run.ts
 */
import { toJsonSchema } from "@langchain/core/utils/json_schema";
import { GumloopClient, GumloopToolManager } from "langchain-gumloop";
import { createFlowRunGraph } from "langchain-gumloop/graphs";
import { SEED_FLOWS, startEmulator } from "gumloop-emulator";

// 1. Real time here, no virtual clock: the graph's first poll comes after 1 s, and the waits grow ×2 up to 15 s
//    for long runs. The emulator's flow runs take 5 s by default; 0.8 s makes the first poll find it done.
const emulator = await startEmulator({ port: 0, durations: { flow: 800 } });
const client = new GumloopClient(emulator.clientOptions());

// 2. Inputs are flow input name → string value. An unknown name fails here, before any run starts, with a
//    message that lists the flow's inputs.
const graph = createFlowRunGraph({ client, deadlineMs: 60_000 });
const run = await graph.invoke({
  savedItemId: SEED_FLOWS.summarize,
  inputs: { url: "https://example.com/tidal-power" },
});
console.log(
  `Flow inputs: ${run.inputSchema.map((input) => `${input.name} (${input.data_type})`).join(", ")}`,
);
console.log(`Run ${run.runId}: ${run.status} (${run.state}), polls: ${run.polls}`);
for (const [name, value] of Object.entries(run.outputs)) console.log(`  output ${name}: ${String(value)}`);
console.log(`  log: ${run.log.length} lines, last: ${run.log.at(-1) ?? "-"}`);

// 3. A tool per flow, for `model.bindTools([...])`. It starts a run and returns its run_id; to wait for the
//    result in the same tool call, use createRunFlowTool instead.
const manager = new GumloopToolManager({ client });
const flowTool = await manager.getFlowTool(SEED_FLOWS.summarize);
console.log(`\nTool ${flowTool.name}: ${flowTool.description}`);
console.log(`  schema: ${JSON.stringify(toJsonSchema(flowTool.schema))}`);
const started = await flowTool.invoke({
  id: "call_1",
  name: flowTool.name,
  type: "tool_call",
  args: { url: "https://example.com/kelp-farming", focus: "costs" },
});
console.log(`  result: ${String(started.content)}`);

await emulator.close();
