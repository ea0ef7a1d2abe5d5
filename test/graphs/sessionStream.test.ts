/**
 * The session graph's streaming fast path against the emulator (real HTTP, virtual clock): a session seen to its
 * end over one stream, a drop resumed from the cursor, fallback to polling, cancellation, the approval pause and
 * text deltas as progress events. The SIGKILL case is in the crash matrix (crashMatrix.ts, "mid-stream").
 */
import { Command, MemorySaver } from "@langchain/langgraph";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SEED_AGENTS, type FaultSpec } from "gumloop-emulator";
import type { GumloopClient } from "../../src/client/client.js";
import { ENDPOINTS } from "../../src/tools/index.js";
import { isGumloopProgressEvent, type GumloopProgressEvent } from "../../src/graphs/polling.js";
import {
  approvalRequestOf,
  createSessionGraph,
  type SessionGraphStateType,
} from "../../src/graphs/sessionGraph.js";
import { startHarness, type Harness } from "./harness.js";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

type Graph = ReturnType<typeof createSessionGraph>;

/** Runs the graph, keeping its progress events and final state. */
async function run(
  graph: Graph,
  input: Record<string, unknown> | Command | null,
  config: Record<string, unknown> = {},
): Promise<{ out: SessionGraphStateType; events: GumloopProgressEvent[] }> {
  const events: GumloopProgressEvent[] = [];
  let out: SessionGraphStateType | undefined;
  const stream = await graph.stream(input as never, { ...config, streamMode: ["custom", "values"] });
  for await (const [mode, chunk] of stream as AsyncIterable<[string, unknown]>) {
    if (mode === "custom" && isGumloopProgressEvent(chunk)) events.push(chunk);
    else if (mode === "values") out = chunk as SessionGraphStateType;
  }
  return { out: out!, events };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Stream requests are logged when the server sees them close: waits until `count` are logged, up to 5 s of real
 * time (a loaded machine may take many event-loop turns to deliver a socket's close).
 */
async function logged(filter: (request: Harness["emulator"]["requests"][number]) => boolean, count: number) {
  const until = performance.now() + 5_000;
  while (h.emulator.requests.filter(filter).length < count && performance.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return h.emulator.requests.filter(filter);
}

const streamCreates = (request: Harness["emulator"]["requests"][number]) =>
  request.host === "stream" && request.method === "POST" && request.route === "/agents/{agent_id}/sessions";
const streamResumes = (request: Harness["emulator"]["requests"][number]) =>
  request.host === "stream" && request.method === "GET" && request.route === "/sessions/{session_id}";
const sessionReads = (request: Harness["emulator"]["requests"][number]) =>
  request.host === "api" && request.method === "GET" && request.route === "/sessions/{session_id}";
const restCreates = (request: Harness["emulator"]["requests"][number]) =>
  request.host === "api" && request.method === "POST" && request.route === "/agents/{agent_id}/sessions";

const deltas = (events: readonly GumloopProgressEvent[]) =>
  events.filter((event) => event.delta !== undefined).map((event) => event.delta!);

/** The log position a stream cursor of the emulator names (base64 JSON `{ session_id, seq }`). */
const seqOf = (cursor: string) =>
  (JSON.parse(Buffer.from(cursor, "base64").toString("utf8")) as { seq: number }).seq;

/** A fault on the streaming create (the stream host's `POST /agents/{agent_id}/sessions`). */
const onStreamCreate = (fault: Omit<FaultSpec, "route" | "host">) =>
  h.emulator.faults.add({ route: "POST /agents/{agent_id}/sessions", host: "stream", ...fault });

function sessionOnEmulator(id: string) {
  const snapshot = h.emulator.inspect() as unknown as { sessions: { list: { id: string; state: string }[] } };
  return snapshot.sessions.list.find((session) => session.id === id);
}

describe("a streamed session", () => {
  it("is seen to its end over one stream, then read once: one stream, one read, the end seen as it happens", async () => {
    const graph = createSessionGraph({ client: h.client, ...h.seams, download: h.downloads });
    const startedAt = h.clock.now();
    const { out, events } = await run(graph, { agentId: SEED_AGENTS.research, input: "tidal energy" });
    expect(out.status).toBe("completed");
    expect(out.finalMessage).toContain("tidal energy");
    expect(out.artifacts.map((artifact) => artifact.filename).sort()).toEqual([
      "tidal-energy-report.md",
      "tidal-energy-sources.csv",
    ]);
    expect(out.streamMode).toBe("open");
    expect(out.polls).toBe(1);
    expect(await logged(streamCreates, 1)).toHaveLength(1);
    expect(h.emulator.requests.filter(streamResumes)).toHaveLength(0);
    expect(h.emulator.requests.filter(restCreates)).toHaveLength(0);
    const reads = h.emulator.requests.filter(sessionReads);
    expect(reads).toHaveLength(1);
    // The research run lasts 8 s of the emulator's clock: the read comes the moment it ends, not a poll later.
    expect(reads[0]!.time - startedAt).toBe(8_000);
    // The cursor of the run's last event (the final finish) is saved with the state.
    expect(seqOf(out.streamCursor!)).toBeGreaterThan(8);
    expect(events.at(-1)).toMatchObject({ state: "completed", polls: 1, id: out.sessionId });
  });

  it("sends the agent's text to the custom stream as progress events, piece by piece, as it is written", async () => {
    const graph = createSessionGraph({ client: h.client, ...h.seams, downloadArtifacts: false });
    const { out, events } = await run(graph, { agentId: SEED_AGENTS.research, input: "wave power" });
    const texts = events.filter((event) => event.delta !== undefined);
    expect(texts.length).toBeGreaterThan(3);
    expect(deltas(events).join("")).toBe(out.finalMessage);
    for (const event of texts) {
      expect(event).toMatchObject({
        kind: "gumloop_progress",
        job: "session",
        id: out.sessionId,
        state: "processing",
        polls: 0,
        textId: expect.any(String),
      });
    }
    // Spread over the run (8 s), in order, each before the run ended.
    const times = texts.map((event) => event.elapsedMs);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times[0]).toBeLessThan(2_000);
    expect(times.at(-1)).toBeLessThan(8_000);
    // The same family as the poll events: state events around the text, then the read's.
    expect(events[0]).toMatchObject({ kind: "gumloop_progress", state: "starting", polls: 0 });
    expect(events.at(-1)).toMatchObject({ state: "completed", polls: 1 });
  });

  it("resumes a stream dropped mid-run from its last cursor: no event lost or repeated", async () => {
    onStreamCreate({ kind: "drop", phase: "stream", afterEvents: 4, times: 1 });
    const graph = createSessionGraph({ client: h.client, ...h.seams, downloadArtifacts: false });
    const { out, events } = await run(graph, { agentId: SEED_AGENTS.research, input: "geothermal" });
    expect(out.status).toBe("completed");
    // Every piece exactly once, in order: the text spelt by the deltas is the agent's reply.
    expect(deltas(events).join("")).toBe(out.finalMessage);
    const pieces = deltas(events);
    expect(new Set(pieces.map((piece, index) => `${index}:${piece}`)).size).toBe(pieces.length);
    // One resume, after the 4th event (log position 3), then the read.
    const resumes = await logged(streamResumes, 1);
    expect(resumes).toHaveLength(1);
    expect(resumes[0]!.query["stream"]).toBe("true");
    expect(seqOf(resumes[0]!.query["last_cursor"] as string)).toBe(3);
    expect(h.emulator.requests.filter(sessionReads)).toHaveLength(1);
    expect(h.emulator.requests.filter(restCreates)).toHaveLength(0);
    expect(out.polls).toBe(1);
  });

  it("resumes from the saved cursor in a new graph (a new process): the same session, never a second", async () => {
    const checkpointer = new MemorySaver();
    const config = { configurable: { thread_id: "resume-1" } };
    const params = {
      client: h.client,
      ...h.seams,
      downloadArtifacts: false,
      checkpointer,
      streamWindowMs: 0,
    };
    const first = createSessionGraph(params);
    const controller = new AbortController();
    // Stops the first graph once a few of its steps (one per event) have been saved.
    let saved = 0;
    const stopped = run(
      first,
      { agentId: SEED_AGENTS.research, input: "ocean heat" },
      {
        ...config,
        signal: controller.signal,
        streamMode: ["custom", "values"],
      },
    ).catch((error: unknown) => error);
    for (let i = 0; i < 5_000 && saved < 5; i++) {
      saved = ((await first.getState(config)).values as SessionGraphStateType).streamCursor
        ? saved + 1
        : saved;
      await turn();
    }
    controller.abort(new Error("process gone"));
    expect(await stopped).toBeInstanceOf(Error);
    const checkpoint = (await first.getState(config)).values as SessionGraphStateType;
    expect(checkpoint.status).toBe("running");
    expect(checkpoint.streamCursor).not.toBeNull();

    const second = createSessionGraph(params);
    const { out, events } = await run(second, null, config);
    expect(out.status).toBe("completed");
    expect(out.sessionId).toBe(checkpoint.sessionId);
    const resumes = await logged(streamResumes, 1);
    expect(resumes).toHaveLength(1);
    expect(resumes[0]!.query["last_cursor"]).toBe(checkpoint.streamCursor);
    // What the new graph saw starts right after the saved cursor and ends the text.
    expect(out.finalMessage!.endsWith(deltas(events).join(""))).toBe(true);
    expect(await logged(streamCreates, 1)).toHaveLength(1);
    expect(h.emulator.requests.filter(restCreates)).toHaveLength(0);
  });
});

describe("when no stream can be had", () => {
  it("falls back to the REST create and polls when the streaming host refuses, and asks that client no more", async () => {
    onStreamCreate({ kind: "status", status: 404 });
    const graph = createSessionGraph({ client: h.client, ...h.seams, downloadArtifacts: false });
    const first = await graph.invoke({ agentId: SEED_AGENTS.research, input: "solar" });
    expect(first.status).toBe("completed");
    expect(first.streamMode).toBe("off");
    expect(first.polls).toBeGreaterThan(1);
    expect(h.emulator.requests.filter(streamCreates)).toHaveLength(1);
    expect(h.emulator.requests.filter(restCreates).map((request) => request.status)).toEqual([202]);
    // The refusal is remembered: the next job goes straight to the REST host.
    const second = await graph.invoke({ agentId: SEED_AGENTS.research, input: "wind" });
    expect(second.status).toBe("completed");
    expect(h.emulator.requests.filter(streamCreates)).toHaveLength(1);
    expect(h.emulator.requests.filter(restCreates)).toHaveLength(2);
  });

  it("polls the session a proxy answered without a stream (SSE stripped), without creating it again", async () => {
    // The create is carried out, then its answer comes back 200 JSON instead of a stream.
    onStreamCreate({ kind: "status", status: 200, body: { buffered: true }, phase: "after", times: 1 });
    const graph = createSessionGraph({ client: h.client, ...h.seams, downloadArtifacts: false });
    const out = await graph.invoke({ agentId: SEED_AGENTS.research, input: "hydro" });
    expect(out.status).toBe("completed");
    expect(out.streamMode).toBe("off");
    expect(out.created).toBe(true);
    expect(sessionOnEmulator(out.sessionId!)?.state).toBe("completed");
    expect(h.emulator.requests.filter(restCreates)).toHaveLength(0);
    expect(h.emulator.requests.filter(sessionReads).length).toBeGreaterThan(1);
  });

  it("polls when a dropped stream's cursor is refused on resume (expired)", async () => {
    onStreamCreate({ kind: "drop", phase: "stream", afterEvents: 3, times: 1 });
    h.emulator.faults.add({
      route: "GET /sessions/{session_id}",
      host: "stream",
      kind: "status",
      status: 400,
      body: {
        error: {
          code: "invalid_cursor",
          message: "last_cursor is invalid or expired",
          type: "invalid_request_error",
          param: "last_cursor",
          details: {},
        },
      },
    });
    const graph = createSessionGraph({ client: h.client, ...h.seams, downloadArtifacts: false });
    const out = await graph.invoke({ agentId: SEED_AGENTS.research, input: "biomass" });
    expect(out.status).toBe("completed");
    expect(out.streamMode).toBe("off");
    expect(h.emulator.requests.filter(streamResumes).map((request) => request.status)).toEqual([400]);
    expect(h.emulator.requests.filter(sessionReads).length).toBeGreaterThan(1);
    expect(await logged(streamCreates, 1)).toHaveLength(1);
  });

  it("polls from the start with stream: false", async () => {
    const graph = createSessionGraph({
      client: h.client,
      ...h.seams,
      downloadArtifacts: false,
      stream: false,
    });
    const out = await graph.invoke({ agentId: SEED_AGENTS.research, input: "tides" });
    expect(out.status).toBe("completed");
    expect(out.streamMode).toBe("off");
    expect(h.emulator.requests.filter((request) => request.host === "stream")).toHaveLength(0);
  });
});

describe("cancellation on the streaming path", () => {
  /** Cancels the session on Gumloop once the graph has seen its text begin. */
  async function cancelWhenWriting(client: GumloopClient, events: GumloopProgressEvent[]) {
    while (!events.some((event) => event.delta !== undefined)) await turn();
    await client.call(ENDPOINTS.delete_a_gumloop_session_by_id, { session_id: events[0]!.id });
  }

  it("sees a session cancelled on Gumloop the moment its stream ends: cancelled, one read", async () => {
    const graph = createSessionGraph({ client: h.client, ...h.seams, downloadArtifacts: false });
    const events: GumloopProgressEvent[] = [];
    const stream = await graph.stream(
      { agentId: SEED_AGENTS.research, input: "cancel me" },
      { streamMode: ["custom", "values"] },
    );
    const collected = (async () => {
      let out: SessionGraphStateType | undefined;
      for await (const [mode, chunk] of stream as AsyncIterable<[string, unknown]>) {
        if (mode === "custom" && isGumloopProgressEvent(chunk)) events.push(chunk);
        else if (mode === "values") out = chunk as SessionGraphStateType;
      }
      return out!;
    })();
    await cancelWhenWriting(h.client, events);
    const out = await collected;
    expect(out.status).toBe("cancelled");
    expect(out.error).toMatch(/was cancelled on Gumloop/);
    expect(out.polls).toBe(1);
    expect(sessionOnEmulator(out.sessionId!)?.state).toBe("failed");
    expect(h.emulator.requests.filter(sessionReads)).toHaveLength(1);
  });

  it("at the deadline with cancelOnTimeout: closes the stream, cancels the session, ends timed_out", async () => {
    const graph = createSessionGraph({
      client: h.client,
      ...h.seams,
      downloadArtifacts: false,
      deadlineMs: 4_000,
      cancelOnTimeout: true,
    });
    const startedAt = h.clock.now();
    const out = await graph.invoke({ agentId: SEED_AGENTS.research, input: "too slow" });
    expect(out.status).toBe("timed_out");
    expect(out.cancelRequested).toBe(true);
    expect(h.clock.now() - startedAt).toBeLessThanOrEqual(4_000);
    expect(sessionOnEmulator(out.sessionId!)?.state).toBe("failed");
    expect(h.emulator.requests.filter(sessionReads)).toHaveLength(0);
    const cancels = h.emulator.requests.filter(
      (request) => request.route === "/sessions/{session_id}/cancel",
    );
    expect(cancels).toHaveLength(1);
    // The stream was closed by the graph, not left open.
    expect((await logged(streamCreates, 1))[0]!.status).toBe(200);
  });

  it("stops reading at once when the caller aborts, and leaves no stream open", async () => {
    const graph = createSessionGraph({ client: h.client, ...h.seams, downloadArtifacts: false });
    const controller = new AbortController();
    const events: GumloopProgressEvent[] = [];
    const running = graph.invoke({ agentId: SEED_AGENTS.research, input: "abort me" }, {
      signal: controller.signal,
      writer: (chunk: unknown) => {
        if (isGumloopProgressEvent(chunk)) events.push(chunk);
      },
    } as never);
    while (!events.some((event) => event.delta !== undefined)) await turn();
    controller.abort(new Error("user cancelled"));
    await expect(running).rejects.toThrow(/user cancelled|abort/i);
    // The stream's connection was closed (the emulator logs a request when it closes).
    expect(await logged(streamCreates, 1)).toHaveLength(1);
    expect(h.emulator.requests.filter(sessionReads)).toHaveLength(0);
  });
});

describe("approval pause on the streaming path", () => {
  it("interrupts when the stream pauses, and after the decision follows the resumed run from its cursor", async () => {
    const graph = createSessionGraph({ client: h.client, ...h.seams, checkpointer: new MemorySaver() });
    const config = { configurable: { thread_id: "approval-stream" } };
    const first = await run(graph, { agentId: SEED_AGENTS.approval, input: "send the report" }, config);
    const state = await graph.getState(config);
    const request = approvalRequestOf({ __interrupt__: state.tasks.flatMap((task) => task.interrupts) });
    expect(request?.pendingApprovals.length).toBe(1);
    expect((state.values as SessionGraphStateType).status).toBe("approval_required");
    expect(deltas(first.events).join("")).toContain("need your approval");

    const second = await run(graph, new Command({ resume: "accept" }), config);
    expect(second.out.status).toBe("completed");
    expect(second.out.finalMessage).toMatch(/approved and has been carried out/);
    // The resumed run's text came over the stream, picked up after the approvals answer's cursor.
    expect(deltas(second.events).join("")).toBe(second.out.finalMessage);
    const resumes = await logged(streamResumes, 1);
    expect(resumes).toHaveLength(1);
    expect(resumes[0]!.query["last_cursor"]).toEqual(expect.any(String));
    expect(h.emulator.requests.filter(sessionReads)).toHaveLength(2);
    expect(h.emulator.requests.filter((request) => request.path.endsWith("/approvals"))).toHaveLength(1);
  });

  it('with onApproval "return": ends approval_required with the pending approvals, after one read', async () => {
    const graph = createSessionGraph({ client: h.client, ...h.seams, onApproval: "return" });
    const out = await graph.invoke({ agentId: SEED_AGENTS.approval, input: "send it" });
    expect(out.status).toBe("approval_required");
    expect(out.session?.pending_approvals?.length).toBe(1);
    expect(h.emulator.requests.filter(sessionReads)).toHaveLength(1);
  });
});
