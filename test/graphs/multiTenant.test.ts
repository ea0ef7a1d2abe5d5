/**
 * Many end users in one process: a graph built on a client pool runs each job with its own user's credentials,
 * read off the run's config, and two users' concurrent runs never cross credentials, errors or results.
 */
import { MemorySaver } from "@langchain/langgraph";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GumloopClientPool, type GumloopCredentials } from "../../src/client/clientPool.js";
import { GumloopError, PermissionDeniedError } from "../../src/client/errors.js";
import { SEED_AGENTS } from "gumloop-emulator";
import { ConcurrencyGate } from "../../src/graphs/gate/index.js";
import { createSessionGraph } from "../../src/graphs/sessionGraph.js";
import { startHarness, type Harness } from "./harness.js";

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ plan: "enterprise" });
});
afterEach(() => h.close());

/** Each run names its user's credentials in `configurable.gumloop`, as an app would from its session. */
const pool = () =>
  new GumloopClientPool({
    resolve: (run) => run.configurable?.["gumloop"] as GumloopCredentials | undefined,
    defaults: { sleep: h.clock.sleep, now: h.clock.now },
  });

function users() {
  const base = { baseUrl: h.emulator.url, streamBaseUrl: h.emulator.clientOptions().streamBaseUrl };
  return {
    ada: { ...base, apiKey: h.emulator.apiKey, userId: h.emulator.userId },
    grace: { ...base, apiKey: h.emulator.otherUser.apiKey, userId: h.emulator.otherUser.userId },
  };
}

const runAs = (credentials: GumloopCredentials, thread: string) => ({
  configurable: { thread_id: thread, gumloop: credentials },
});

describe("a session graph on a client pool", () => {
  it("runs two users' jobs at once, each with its own credentials, errors and results", async () => {
    const clients = pool();
    const graph = createSessionGraph({ client: clients, ...h.seams, downloadArtifacts: false });
    const { ada, grace } = users();
    const [adaRun, graceRun, graceOnAdasAgent] = await Promise.allSettled([
      graph.invoke({ agentId: SEED_AGENTS.research, input: "ada's topic" }, runAs(ada, "ada-1")),
      graph.invoke({ agentId: SEED_AGENTS.otherUsers, input: "grace's topic" }, runAs(grace, "grace-1")),
      graph.invoke({ agentId: SEED_AGENTS.research, input: "not hers" }, runAs(grace, "grace-2")),
    ]);
    expect(adaRun.status).toBe("fulfilled");
    expect(graceRun.status).toBe("fulfilled");
    const adas = (adaRun as PromiseFulfilledResult<Awaited<ReturnType<typeof graph.invoke>>>).value;
    const graces = (graceRun as PromiseFulfilledResult<Awaited<ReturnType<typeof graph.invoke>>>).value;
    expect(adas.session?.["creator"]).toMatchObject({ id: ada.userId });
    expect(graces.session?.["creator"]).toMatchObject({ id: grace.userId });
    expect(adas.finalMessage).toContain("ada's topic");
    expect(graces.finalMessage).not.toContain("ada");
    // Grace's credentials reach Ada's agent as Grace: refused, and the refusal names neither key nor Ada's id.
    expect(graceOnAdasAgent.status).toBe("rejected");
    const refusal = (graceOnAdasAgent as PromiseRejectedResult).reason as Error;
    expect(refusal).toBeInstanceOf(PermissionDeniedError);
    for (const secret of [ada.apiKey, grace.apiKey, ada.userId, grace.userId])
      expect(refusal.message).not.toContain(secret);
    // One client per account, reused.
    expect(clients.size).toBe(2);
  });

  it("refuses a run without credentials, and a thread resumed under another user's", async () => {
    const graph = createSessionGraph({
      client: pool(),
      ...h.seams,
      checkpointer: new MemorySaver(),
      downloadArtifacts: false,
    });
    const { ada, grace } = users();
    h.emulator.clearRequests();
    await expect(
      graph.invoke({ agentId: SEED_AGENTS.research, input: "x" }, { configurable: { thread_id: "nobody" } }),
    ).rejects.toThrow(/carries no Gumloop credentials/);
    expect(h.emulator.requests).toHaveLength(0);

    const first = await graph.invoke({ agentId: SEED_AGENTS.research, input: "mine" }, runAs(ada, "shared"));
    expect(first.status).toBe("completed");
    const before = h.emulator.requests.length;
    await expect(
      graph.invoke({ agentId: SEED_AGENTS.research, input: "mine" }, runAs(grace, "shared")),
    ).rejects.toThrow(GumloopError);
    await expect(
      graph.invoke({ agentId: SEED_AGENTS.research, input: "mine" }, runAs(grace, "shared")),
    ).rejects.toThrow(/belongs to another Gumloop account/);
    expect(h.emulator.requests.length).toBe(before);
  });

  it("keeps each account's slots apart in one shared gate", async () => {
    const gate = new ConcurrencyGate(1);
    const graph = createSessionGraph({ client: pool(), ...h.seams, gate, downloadArtifacts: false });
    const { ada, grace } = users();
    // One slot per account: Ada's two jobs queue behind each other, Grace's runs beside them.
    const runs = await Promise.all([
      graph.invoke({ agentId: SEED_AGENTS.research, input: "a1" }, runAs(ada, "a1")),
      graph.invoke({ agentId: SEED_AGENTS.research, input: "a2" }, runAs(ada, "a2")),
      graph.invoke({ agentId: SEED_AGENTS.otherUsers, input: "g1" }, runAs(grace, "g1")),
    ]);
    expect(runs.map((run) => run.status)).toEqual(["completed", "completed", "completed"]);
    const creates = h.emulator.requests
      .filter((request) => request.method === "POST" && request.route === "/agents/{agent_id}/sessions")
      .map((request) => (request.body as { input: string }).input);
    // Grace's job did not wait for Ada's second: it was created before it.
    expect(creates.indexOf("g1")).toBeLessThan(creates.indexOf("a2"));
  });
});
