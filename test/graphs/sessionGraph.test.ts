import { Command, MemorySaver } from "@langchain/langgraph";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConflictError, GumloopValidationError } from "../../src/client/errors.js";
import { SEED_AGENTS } from "gumloop-emulator";
import { ConcurrencyGate } from "../../src/graphs/gate/index.js";
import type { GumloopProgressEvent } from "../../src/graphs/polling.js";
import { createSessionGraph } from "../../src/graphs/sessionGraph.js";
import { startHarness, type Harness } from "./harness.js";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const sessionsOf = (agentId: string) =>
  (
    h.emulator.inspect() as unknown as {
      sessions: { list: { agentId: string; id: string; state: string }[] };
    }
  ).sessions.list.filter((session) => session.agentId === agentId);

describe("createSessionGraph", () => {
  it("runs the research agent to completion: final message, artifacts with bytes, polls", async () => {
    const before = sessionsOf(SEED_AGENTS.research).length;
    const graph = createSessionGraph({ client: h.client, ...h.seams, download: h.downloads, stream: false });
    const out = await graph.invoke({ agentId: SEED_AGENTS.research, input: "tidal energy" });
    expect(out.status).toBe("completed");
    expect(out.sessionId).toMatch(/^lc_[0-9a-f]{24}$/);
    expect(out.session?.state).toBe("completed");
    expect(out.finalMessage).toContain("tidal energy");
    expect(out.polls).toBeGreaterThanOrEqual(2);
    expect(out.polls).toBeLessThanOrEqual(6);
    const names = out.artifacts.map((artifact) => artifact.filename).sort();
    expect(names).toEqual(["tidal-energy-report.md", "tidal-energy-sources.csv"]);
    const report = out.artifacts.find((artifact) => artifact.filename?.endsWith(".md"))!;
    expect(report.mediaType).toBe("text/markdown");
    expect(new TextDecoder().decode(report.bytes)).toContain("tidal energy");
    expect(report.size).toBe(report.bytes!.length);
    expect(sessionsOf(SEED_AGENTS.research).length).toBe(before + 1);
  });

  it("reports a failing agent as failed, with its last message, and skips artifacts", async () => {
    const graph = createSessionGraph({ client: h.client, ...h.seams });
    const out = await graph.invoke({ agentId: SEED_AGENTS.flaky, input: "please work" });
    expect(out.status).toBe("failed");
    expect(out.artifacts).toEqual([]);
  });

  it("can skip downloads and keep only artifact metadata", async () => {
    const graph = createSessionGraph({ client: h.client, ...h.seams, downloadArtifacts: false });
    const out = await graph.invoke({ agentId: SEED_AGENTS.research, input: "coral reefs" });
    expect(out.artifacts).toHaveLength(2);
    expect(out.artifacts.every((artifact) => artifact.bytes === undefined && artifact.size! > 0)).toBe(true);
  });

  it("times out at the deadline and, when asked, cancels the session on Gumloop", async () => {
    const graph = createSessionGraph({
      client: h.client,
      ...h.seams,
      deadlineMs: 3_000,
      cancelOnTimeout: true,
    });
    const out = await graph.invoke({ agentId: SEED_AGENTS.research, input: "slow topic" });
    expect(out.status).toBe("timed_out");
    expect(out.cancelRequested).toBe(true);
    const session = sessionsOf(SEED_AGENTS.research).find((s) => s.id === out.sessionId)!;
    expect(session.state).toBe("failed");
  });

  it("adopts a session its own earlier attempt created (409 session_already_exists) instead of starting another", async () => {
    const sessionId = "lc_adopt_me_0001";
    const created = await fetch(`${h.emulator.url}/agents/${SEED_AGENTS.research}/sessions`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${h.emulator.apiKey}`,
        "x-auth-key": h.emulator.userId,
        "content-type": "application/json",
      },
      body: JSON.stringify({ input: "ocean currents", session_id: sessionId }),
    });
    expect(created.status).toBe(202);
    const count = sessionsOf(SEED_AGENTS.research).length;
    const graph = createSessionGraph({ client: h.client, ...h.seams, download: h.downloads });
    const out = await graph.invoke({ agentId: SEED_AGENTS.research, input: "ocean currents", sessionId });
    expect(out.status).toBe("completed");
    expect(out.sessionId).toBe(sessionId);
    expect(sessionsOf(SEED_AGENTS.research).length).toBe(count);
  });

  it("refuses to adopt a session id that belongs to another agent", async () => {
    const graph = createSessionGraph({ client: h.client, ...h.seams, newSessionId: () => "lc_shared_id_01" });
    await graph.invoke({ agentId: SEED_AGENTS.assistant, input: "hi" });
    const second = graph.invoke({ agentId: SEED_AGENTS.research, input: "x" });
    await expect(second).rejects.toThrow(ConflictError);
    await expect(second).rejects.toThrow(/lc_shared_id_01 already exists and was not created by this job/);
  });

  it("validates its input before anything is sent", async () => {
    h.emulator.clearRequests();
    const graph = createSessionGraph({ client: h.client, ...h.seams });
    await expect(graph.invoke({ agentId: "../teams", input: "x" })).rejects.toThrow(GumloopValidationError);
    await expect(graph.invoke({ agentId: SEED_AGENTS.research, input: "  " })).rejects.toThrow(
      /input: is required/,
    );
    expect(h.emulator.requests).toHaveLength(0);
  });

  it("streams a progress event per poll", async () => {
    const graph = createSessionGraph({
      client: h.client,
      ...h.seams,
      downloadArtifacts: false,
      stream: false,
    });
    const events: GumloopProgressEvent[] = [];
    for await (const chunk of await graph.stream(
      { agentId: SEED_AGENTS.research, input: "wind" },
      { streamMode: "custom" },
    )) {
      events.push(chunk as GumloopProgressEvent);
    }
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(events[0]).toMatchObject({ kind: "gumloop_progress", job: "session", polls: 1 });
    expect(events.at(-1)!.state).toBe("completed");
    expect(events.map((event) => event.polls)).toEqual(events.map((_, index) => index + 1));
    expect(events.at(-1)!.elapsedMs).toBeGreaterThan(events[0]!.elapsedMs);
  });

  it("polls far beyond LangGraph's default recursion limit of 25 steps", async () => {
    await h.close();
    h = await startHarness({ durations: { research: 30 * 60_000 } });
    const graph = createSessionGraph({
      client: h.client,
      ...h.seams,
      downloadArtifacts: false,
      deadlineMs: 40 * 60_000,
      stepWindowMs: 0,
      stream: false,
      schedule: { capMs: 10_000 },
    });
    const out = await graph.invoke({ agentId: SEED_AGENTS.research, input: "a 30-minute job" });
    expect(out.status).toBe("completed");
    expect(out.polls).toBeGreaterThan(150);
  });

  it("pauses for approval with interrupt() and resumes with Command({ resume })", async () => {
    const graph = createSessionGraph({ client: h.client, ...h.seams, checkpointer: new MemorySaver() });
    const config = { configurable: { thread_id: "approval-1" } };
    const first = await graph.invoke({ agentId: SEED_AGENTS.approval, input: "send the email" }, config);
    const interrupts = (
      first as unknown as { __interrupt__: { value: { kind: string; pendingApprovals: unknown[] } }[] }
    ).__interrupt__;
    expect(interrupts[0]!.value.kind).toBe("gumloop_approval");
    expect(interrupts[0]!.value.pendingApprovals.length).toBeGreaterThan(0);
    const out = await graph.invoke(new Command({ resume: "accept" }), config);
    expect(out.status).toBe("completed");
    const approvals = h.emulator.requests.filter((request) => request.path.endsWith("/approvals"));
    expect(approvals).toHaveLength(1);
    expect(JSON.stringify(approvals[0]!.body)).toContain('"action":"accept"');
  });

  it('ends on approval with onApproval "return": status approval_required, pending approvals, slot released', async () => {
    const gate = new ConcurrencyGate(1);
    const graph = createSessionGraph({ client: h.client, ...h.seams, gate, onApproval: "return" });
    const out = await graph.invoke({ agentId: SEED_AGENTS.approval, input: "send the email" });
    expect(out.status).toBe("approval_required");
    expect(out.session?.pending_approvals?.length).toBeGreaterThan(0);
    expect(gate.active).toBe(0);
    expect(h.emulator.requests.filter((request) => request.path.endsWith("/approvals"))).toHaveLength(0);
  });

  it("stops sleeps and requests at once when the signal aborts", async () => {
    const graph = createSessionGraph({ client: h.client, ...h.seams });
    const controller = new AbortController();
    h.clock.setAutoAdvance(false);
    const run = graph.invoke(
      { agentId: SEED_AGENTS.research, input: "abort me" },
      { signal: controller.signal },
    );
    while (h.clock.pendingSleepers === 0) await new Promise((resolve) => setImmediate(resolve));
    controller.abort(new Error("user cancelled"));
    await expect(run).rejects.toThrow(/user cancelled|abort/i);
  });

  it("keeps many sessions within a free plan's 5 slots with a shared gate: no 429s, no duplicates", async () => {
    await h.close();
    h = await startHarness({ plan: "free" });
    const gate = new ConcurrencyGate(5);
    const graph = createSessionGraph({ client: h.client, ...h.seams, gate, downloadArtifacts: false });
    const before = sessionsOf(SEED_AGENTS.research).length;
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        graph.invoke({ agentId: SEED_AGENTS.research, input: `topic ${i}` }),
      ),
    );
    expect(results.every((result) => result.status === "completed")).toBe(true);
    expect(h.emulator.requests.filter((request) => request.status === 429)).toHaveLength(0);
    expect(sessionsOf(SEED_AGENTS.research).length).toBe(before + 12);
    expect(gate.active).toBe(0);
  });
});
