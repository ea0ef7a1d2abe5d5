/**
 * A Gumloop agent's words as they are written: the session graph follows the session over Gumloop's event stream
 * and hands each piece of the agent's text to LangGraph's "custom" stream.
 *
 * In this example, we:
 * 1. Start the Gumloop emulator on a virtual clock (its research agent writes for 8 seconds of the emulator's
 *    clock, in milliseconds of real time). Its streaming host stands in for ws.gumloop.com.
 * 2. Build the session graph with its defaults: it creates the session on the streaming host and reads the stream
 *    (`stream: false` would poll instead).
 * 3. Stream the graph with stream mode "custom": progress events with `delta` carry the text, written out as it
 *    comes; the others say where the session stands.
 * 4. Print what it cost: one stream, and one read of the session once the stream said it had ended.
 *
 * Run: npx tsx --conditions=gumloop-source examples/stream-session.ts
 */
import { GumloopClient } from "langchain-gumloop";
import {
  createSessionGraph,
  isGumloopProgressEvent,
  type SessionGraphStateType,
} from "langchain-gumloop/graphs";
import { SEED_AGENTS, VirtualClock, startEmulator } from "gumloop-emulator";

// 1. Against real Gumloop, leave out the clock: `new GumloopClient()` reads GUMLOOP_API_KEY and GUMLOOP_USER_ID and
//    streams from ws.gumloop.com.
const clock = new VirtualClock({ autoAdvance: true });
const emulator = await startEmulator({ port: 0, clock });
const client = new GumloopClient(emulator.clientOptions());

// 2. Streaming is the default; when no stream can be had (a proxy that strips it, say) the graph polls instead.
const graph = createSessionGraph({ client, downloadArtifacts: false });

// 3. "custom" carries the progress events, "values" the state after each step (we keep the last).
let result: SessionGraphStateType | undefined;
let writing = false;
const stream = await graph.stream(
  { agentId: SEED_AGENTS.research, input: "tidal energy" },
  { streamMode: ["custom", "values"] },
);
for await (const [mode, chunk] of stream as AsyncIterable<[string, unknown]>) {
  if (mode === "values") result = chunk as SessionGraphStateType;
  else if (isGumloopProgressEvent(chunk)) {
    if (chunk.delta !== undefined) {
      process.stdout.write(chunk.delta);
      writing = true;
      continue;
    }
    if (writing) process.stdout.write("\n");
    writing = false;
    console.log(`[progress] session ${chunk.id}: ${chunk.state} (${(chunk.elapsedMs / 1_000).toFixed(1)} s)`);
  }
}

// 4. The final state comes from one read of the session, made when its stream ended.
const reads = emulator.requests.filter(
  (request) => request.host === "api" && request.route === "/sessions/{session_id}",
);
console.log(
  `\nSession ${result!.sessionId}: ${result!.status}, followed over its stream (${result!.streamMode}).`,
);
console.log(`Requests for the session: one stream, ${reads.length} read.`);
await emulator.close();
