/**
 * Human approval: a Gumloop agent asks before it acts, the graph pauses with `interrupt()`, and we resume it.
 *
 * In this example, we:
 * 1. Start the Gumloop emulator on a virtual clock (agent runs finish in milliseconds of real time).
 * 2. Build the session graph with a MemorySaver checkpointer: a paused graph is saved under its thread_id, so
 *    it can be resumed later (with a durable saver, even from another process).
 * 3. Run the seeded approval agent, which drafts an email and waits for approval before sending it. The graph
 *    stops with an `__interrupt__` of kind "gumloop_approval"; we print the pending approvals.
 * 4. Resume the same thread with `new Command({ resume: "accept" })` and print the final status and reply.
 *
 * Run: npx tsx --conditions=gumloop-source examples/approval.ts
 */
import { Command, INTERRUPT, MemorySaver, isInterrupted } from "@langchain/langgraph";
import { GumloopClient } from "langchain-gumloop";
import { createSessionGraph, type ApprovalRequest } from "langchain-gumloop/graphs";
import { SEED_AGENTS, VirtualClock, startEmulator } from "gumloop-emulator";

// 1. Against real Gumloop, leave out the clock, `sleep` and `now`.
const clock = new VirtualClock({ autoAdvance: true });
const emulator = await startEmulator({ port: 0, clock });
const client = new GumloopClient(emulator.clientOptions());

// 2. A checkpointer and a thread_id: interrupts need both.
const graph = createSessionGraph({
  client,
  checkpointer: new MemorySaver(),
});
const config = { configurable: { thread_id: "approval-demo-1" } };

// 3. The first invoke returns when the session pauses for approval, with the interrupt under `__interrupt__`
//    (LangGraph's INTERRUPT key). Its value is an ApprovalRequest: kind, sessionId and the pending approvals.
const paused = await graph.invoke({ agentId: SEED_AGENTS.approval, input: "Q3 launch update" }, config);
console.log(`Session ${paused.sessionId}: ${paused.status}`);
console.log(`Agent: ${paused.finalMessage}`);
const approval = isInterrupted<ApprovalRequest>(paused)
  ? paused[INTERRUPT].map((entry) => entry.value).find((value) => value?.kind === "gumloop_approval")
  : undefined;
if (!approval) {
  console.error(`Expected the session to wait for approval; it ended as ${paused.status}.`);
  await emulator.close();
  process.exit(1);
}
console.log(`Pending approvals (interrupt kind ${approval.kind}):`);
for (const pending of approval.pendingApprovals) {
  // Gumloop's fields, as sent: title, tool_name, display_fields, ...
  const fields = (pending["display_fields"] as [string, string][] | undefined) ?? [];
  console.log(
    `  ${pending.action_request_id}: ${String(pending["title"])} (${String(pending["tool_name"])})`,
  );
  for (const [label, value] of fields) console.log(`    ${label}: ${value}`);
}

// 4. Resume the same thread with a decision: "accept" or "reject" answers every pending ask; to answer them one
//    by one, resume with { approvals: [{ action_request_id, action, reason? }] }.
const done = await graph.invoke(new Command({ resume: "accept" }), config);
console.log(`Resumed: session ${done.sessionId} ${done.status} after ${done.polls} polls`);
console.log(`Agent: ${done.finalMessage}`);

await emulator.close();
