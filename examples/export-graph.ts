/**
 * An enterprise data export with the prebuilt export graph: start it, follow it, get its rows.
 *
 * In this example, we:
 * 1. Start the Gumloop emulator on the enterprise plan (exports are an enterprise admin feature), on a virtual
 *    clock, so an export that takes 20 seconds on the emulator's clock finishes in milliseconds of real time.
 * 2. Build the export graph with createExportGraph: plan_export → start_export → poll_export ⟲ → download_export.
 * 3. Stream it with stream mode "custom" to print a progress line per poll, and "values" for the final state.
 * 4. Print the export's columns, its row count and the first rows, parsed from the CSV.
 *
 * Run: npx tsx --conditions=gumloop-source examples/export-graph.ts
 */
import { GumloopClient } from "langchain-gumloop";
import {
  createExportGraph,
  type ExportGraphStateType,
  type ExportRequest,
  type GumloopProgressEvent,
} from "langchain-gumloop/graphs";
import { SEED_ORG, VirtualClock, startEmulator } from "gumloop-emulator";

// 1. A virtual clock with autoAdvance jumps ahead whenever everyone is waiting on it. The client and the graph
//    sleep on the same clock; against real Gumloop, leave out `clock`, `sleep` and `now` and wait in real time.
const clock = new VirtualClock({ autoAdvance: true });
const emulator = await startEmulator({ port: 0, plan: "enterprise", clock });
const client = new GumloopClient(emulator.clientOptions());

// 2. The graph validates the request (columns for the data type, a scope) before it sends anything.
const graph = createExportGraph({ client, deadlineMs: 10 * 60_000 });
const request: ExportRequest = {
  data_type: "agent_interactions",
  export_fields: ["interaction_created_ts", "agent_name", "interaction_type", "credit_cost"],
  start_date: "2026-01-01T00:00:00Z",
  end_date: "2026-06-01T00:00:00Z",
  workspace_ids: [SEED_ORG.workspaces.research],
};
console.log(`Exporting ${request.data_type} of workspace ${SEED_ORG.workspaces.research}...`);

// 3. "custom" carries the graph's progress events; "values" carries the state after each step (we keep the last).
let result: ExportGraphStateType | undefined;
for await (const [mode, chunk] of await graph.stream({ request }, { streamMode: ["custom", "values"] })) {
  if (mode === "custom") {
    // LangGraph types custom chunks as `any`; the package's graphs emit GumloopProgressEvent objects.
    const event = chunk as GumloopProgressEvent;
    console.log(
      `[progress] export ${event.id}: ${event.state} (poll ${event.polls}, ${(event.elapsedMs / 1000).toFixed(1)} s)`,
    );
  } else {
    result = chunk;
  }
}

// 4. `rows` is the CSV parsed into objects keyed by column; `csv` is the file as downloaded.
if (result?.status !== "completed") {
  console.error(`The export ended as ${result?.status}: ${result?.error ?? "no details"}`);
  await emulator.close();
  process.exit(1);
}
console.log(`Export ${result.exportId}: ${result.status} after ${result.polls} polls.`);
console.log(`Columns: ${Object.keys(result.rows[0] ?? {}).join(", ")}`);
console.log(`Rows: ${result.rows.length}`);
console.table(result.rows.slice(0, 3));

await emulator.close();
