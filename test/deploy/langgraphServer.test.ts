/**
 * The three job graphs served by LangGraph Server: `langgraphjs dev` (the LangGraph CLI) started from
 * examples/deploy/langgraph.json, the graphs pointed at the emulator by the server's environment, and driven through
 * the LangGraph SDK client as an app would: a session run with progress on the custom stream, an approval interrupt
 * resumed with a `Command`, a flow run, and each run's end user's credentials in its own context.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { Client } from "@langchain/langgraph-sdk";
import { SEED_AGENTS, SEED_FLOWS, type Emulator } from "gumloop-emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { startTestEmulator } from "../helpers/emulator.js";
import { postgresUrl } from "../helpers/postgres.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CONFIG = "examples/deploy/langgraph.json";
const STATE_DIR = fileURLToPath(new URL("../../examples/deploy/.langgraph_api", import.meta.url));
const CLI = createRequire(import.meta.url).resolve("@langchain/langgraph-cli/dist/cli/cli.mjs");

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

let emulator: Emulator;
let server: ChildProcess;
let output = "";
let client: Client;

/** Polls the server until it answers, or fails with what it printed. */
async function waitUntilUp(url: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (server.exitCode !== null) throw new Error(`langgraphjs dev exited (${server.exitCode}):\n${output}`);
    const up = await fetch(`${url}/ok`).then(
      (response) => response.ok,
      () => false,
    );
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`langgraphjs dev did not answer within ${timeoutMs} ms:\n${output}`);
}

beforeAll(async () => {
  // Real time on both sides: jobs of a second or so, polled fast (a run option, below).
  emulator = await startTestEmulator({ durations: { session: 1_500, flow: 300 } });
  const port = await freePort();
  server = spawn(
    process.execPath,
    [
      CLI,
      "dev",
      "--config",
      CONFIG,
      "--port",
      String(port),
      "--host",
      "127.0.0.1",
      "--no-browser",
      "--no-reload",
    ],
    {
      cwd: ROOT,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        // The deployment's configuration: where Gumloop is. Credentials come with each run, never from here.
        GUMLOOP_BASE_URL: emulator.url,
        GUMLOOP_STREAM_BASE_URL: emulator.clientOptions().streamBaseUrl,
        GUMLOOP_API_KEY: "",
        GUMLOOP_USER_ID: "",
        // The workers' shared concurrency gate, in PostgreSQL (the test server of test/globalSetup.ts).
        GUMLOOP_GATE_DATABASE_URL: postgresUrl(),
        LANGGRAPH_CLI_NO_ANALYTICS: "1",
        LANGSMITH_TRACING: "false",
        LANGCHAIN_TRACING_V2: "false",
        BROWSER: "none",
      },
    },
  );
  server.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  server.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  await waitUntilUp(url, 110_000);
  client = new Client({ apiUrl: url });
}, 120_000);

afterAll(async () => {
  if (server?.pid && server.exitCode === null) {
    // The CLI and the server process it spawned share the process group started here.
    const exited = new Promise((resolve) => server.once("exit", resolve));
    process.kill(-server.pid, "SIGTERM");
    const killed = setTimeout(() => server.exitCode === null && process.kill(-server.pid!, "SIGKILL"), 5_000);
    await exited;
    clearTimeout(killed);
    // The CLI can exit before the server it spawned has written its state out: wait for the whole group to go.
    await groupGone(server.pid, 10_000);
  }
  await emulator?.close();
  // Retries too: a writer outside the group (none known) must not fail the suite in its cleanup.
  rmSync(STATE_DIR, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
}, 30_000);

/** Waits until no process of the group `pgid` is left; after `timeoutMs`, kills what is. */
async function groupGone(pgid: number, timeoutMs: number): Promise<void> {
  const alive = () => {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const until = Date.now() + timeoutMs;
  while (alive() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 100));
  if (alive()) process.kill(-pgid, "SIGKILL");
}

const ada = () => ({ apiKey: emulator.apiKey, userId: emulator.userId });
const grace = () => ({ apiKey: emulator.otherUser.apiKey, userId: emulator.otherUser.userId });
/** A run's context: its end user's credentials, and a fast poll schedule for a job of a second or so. */
const contextFor = (gumloop: { apiKey: string; userId: string }) => ({
  gumloop,
  options: { schedule: { initialMs: 100, capMs: 200 } },
});

interface Chunk {
  readonly event: string;
  readonly data: any;
}

async function streamRun(thread: string, graph: string, payload: Record<string, unknown>): Promise<Chunk[]> {
  const chunks: Chunk[] = [];
  for await (const chunk of client.runs.stream(thread, graph, {
    streamMode: ["custom", "values"],
    ...payload,
  }))
    chunks.push(chunk as Chunk);
  return chunks;
}

const lastValues = (chunks: Chunk[]) => chunks.filter((chunk) => chunk.event === "values").at(-1)?.data;

describe("the job graphs on LangGraph Server (langgraphjs dev)", () => {
  it("serves the three graphs from langgraph.json, with the concurrency gate in PostgreSQL", async () => {
    const assistants = await client.assistants.search({ limit: 10 });
    expect(assistants.map((assistant) => assistant.graph_id).sort()).toEqual([
      "gumloop_export",
      "gumloop_flow_run",
      "gumloop_session",
    ]);
    const database = new pg.Client({ connectionString: postgresUrl() });
    await database.connect();
    try {
      const { rows } = await database.query("SELECT to_regclass('gumloop_slots') IS NOT NULL AS created");
      expect(rows[0]).toEqual({ created: true });
    } finally {
      await database.end();
    }
  });

  it("runs a session with its user's credentials and streams progress on the custom stream", async () => {
    const thread = await client.threads.create();
    const chunks = await streamRun(thread.thread_id, "gumloop_session", {
      input: { agentId: SEED_AGENTS.assistant, input: "a haiku about the tide" },
      context: contextFor(ada()),
    });
    const progress = chunks.filter((chunk) => chunk.event === "custom").map((chunk) => chunk.data);
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress[0]).toMatchObject({ kind: "gumloop_progress", job: "session" });
    expect(progress.at(-1)).toMatchObject({ state: "completed" });
    // Followed over the event stream (the default): the agent's words reach the custom stream as they are written.
    const text = progress.map((event) => (typeof event.delta === "string" ? event.delta : "")).join("");
    expect(text).toContain("a haiku about the tide");
    const final = lastValues(chunks);
    expect(final.status).toBe("completed");
    expect(final.finalMessage).toContain("a haiku about the tide");
    expect(final.session.creator).toMatchObject({ id: emulator.userId });
    expect(JSON.stringify(chunks)).not.toContain(emulator.apiKey);
  });

  it("polls with the run's own schedule when the run asks for no stream", async () => {
    const thread = await client.threads.create();
    const context = contextFor(ada());
    const chunks = await streamRun(thread.thread_id, "gumloop_session", {
      input: { agentId: SEED_AGENTS.assistant, input: "a limerick about the moon" },
      context: { ...context, options: { ...context.options, stream: false } },
    });
    const final = lastValues(chunks);
    expect(final.status).toBe("completed");
    // The run's own poll schedule (100 ms, then every 200 ms) was used: the default one (1 s, then 2 s) reads a
    // 1.5 s session twice.
    expect(final.polls).toBeGreaterThanOrEqual(4);
  });

  it("pauses for approval with an interrupt, and resumes with a Command", async () => {
    const thread = await client.threads.create();
    const context = contextFor(grace());
    const first = await streamRun(thread.thread_id, "gumloop_session", {
      input: { agentId: SEED_AGENTS.otherUsers, input: "not an approval agent" },
      context,
    });
    expect(lastValues(first).status).toBe("completed");
    expect(lastValues(first).session.creator).toMatchObject({ id: emulator.otherUser.userId });

    const approvalThread = await client.threads.create();
    const paused = await streamRun(approvalThread.thread_id, "gumloop_session", {
      input: { agentId: SEED_AGENTS.approval, input: "send the launch email" },
      context: contextFor(ada()),
    });
    // The stream ends on the interrupt; the thread waits at resolve_approvals with the session paused.
    const interrupt = lastValues(paused).__interrupt__[0].value as { kind: string; sessionId: string };
    const state = await client.threads.getState<{ status: string; sessionId: string }>(
      approvalThread.thread_id,
    );
    expect(state.next).toEqual(["resolve_approvals"]);
    expect(state.values.status).toBe("approval_required");
    expect(interrupt).toMatchObject({ kind: "gumloop_approval", sessionId: state.values.sessionId });
    expect(state.tasks[0]!.interrupts[0]!.value).toEqual(interrupt);

    const resumed = await streamRun(approvalThread.thread_id, "gumloop_session", {
      command: { resume: "accept" },
      context: contextFor(ada()),
    });
    expect(lastValues(resumed).status).toBe("completed");
    const approvals = emulator.requests.filter((request) => request.path.endsWith("/approvals"));
    expect(approvals).toHaveLength(1);
    expect(JSON.stringify(approvals[0]!.body)).toContain('"action":"accept"');
  });

  it("runs a flow; refuses a run without credentials, or with a misspelt option (nothing sent)", async () => {
    const flowThread = await client.threads.create();
    const flow = await streamRun(flowThread.thread_id, "gumloop_flow_run", {
      input: { savedItemId: SEED_FLOWS.summarize, inputs: { url: "https://example.com/tides" } },
      context: contextFor(ada()),
    });
    expect(lastValues(flow).status).toBe("completed");

    const before = emulator.requests.length;
    const anonymous = await client.threads.create();
    const refused = await streamRun(anonymous.thread_id, "gumloop_session", {
      input: { agentId: SEED_AGENTS.assistant, input: "hello" },
    });
    const error = refused.find((chunk) => chunk.event === "error");
    expect(JSON.stringify(error?.data)).toMatch(/carries no Gumloop credentials/);
    // A misspelt option is refused too, rather than silently left at its default.
    const typo = await streamRun((await client.threads.create()).thread_id, "gumloop_session", {
      input: { agentId: SEED_AGENTS.assistant, input: "hello" },
      context: { gumloop: ada(), options: { deadlinMs: 5_000 } },
    });
    expect(JSON.stringify(typo.find((chunk) => chunk.event === "error")?.data)).toMatch(/deadlinMs/);
    expect(emulator.requests.length).toBe(before);
  });
});
