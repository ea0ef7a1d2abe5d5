/**
 * The short examples as a user runs them: each script in its own Node process, with tsx (`langchain-gumloop`
 * resolves through tsconfig `paths`, `gumloop-emulator` through the "gumloop-source" condition of its exports, both to
 * the sources), offline, with no Gumloop or OpenAI keys in the environment. Each must
 * exit 0 on its own (a leftover server or timer would keep it alive) and print its key lines.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, it } from "vitest";
import { TS_NODE_FLAGS } from "../helpers/tsNode.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs `examples/<name>` with a clean environment; kills it if it has not exited after `timeoutMs`. */
function runExample(name: string, timeoutMs = 45_000): Promise<Run> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith("GUMLOOP_") && !key.startsWith("OPENAI_")),
  );
  const started = performance.now();
  const child = spawn(process.execPath, [...TS_NODE_FLAGS, `examples/${name}`], {
    cwd: ROOT,
    env: { ...env, CI: "true", NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
    timeout: timeoutMs,
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) =>
      resolve({ code, signal, stdout, stderr, ms: Math.round(performance.now() - started) }),
    );
  });
}

/** What to show when a run did not exit 0: how it ended, and its stderr. */
const failure = (run: Run) =>
  `exit ${run.code}${run.signal ? ` (killed: ${run.signal})` : ""} after ${run.ms} ms\n${run.stderr}`;

// The scripts are independent processes, each with its own emulator on a free port: run them side by side. Each
// takes about a second alone; the generous timeout is for a loaded CI machine running the whole suite.
describe.concurrent("examples", { timeout: 60_000 }, () => {
  it("bind-tools.ts: binds the tools, runs the model's tool call, prints the answer", async ({ expect }) => {
    const run = await runExample("bind-tools.ts");
    expect(run.code, failure(run)).toBe(0);
    expect(run.stdout).toContain(
      "Tools: list_all_gumloop_agents, get_single_gumloop_agent_by_id, get_single_gumloop_session_by_id",
    );
    expect(run.stdout).toContain('→ list_all_gumloop_agents({"search":"research"})');
    expect(run.stdout).toMatch(/← \{"result":\[\{"id":"agtResearch0001","name":"Deep Research Agent"/);
    expect(run.stdout).toMatch(/Answer: .*Deep Research Agent/);
  });

  it("export-graph.ts: streams progress to COMPLETED and prints columns and rows", async ({ expect }) => {
    const run = await runExample("export-graph.ts");
    expect(run.code, failure(run)).toBe(0);
    expect(run.stdout).toMatch(/\[progress\] export dexp_\w+: REQUESTED \(poll 1, /);
    expect(run.stdout).toMatch(/\[progress\] export dexp_\w+: COMPLETED \(poll \d+, /);
    expect(run.stdout).toMatch(/Export dexp_\w+: completed after \d+ polls\./);
    expect(run.stdout).toContain(
      "Columns: interaction_created_ts, agent_name, interaction_type, credit_cost",
    );
    expect(Number(/Rows: (\d+)/.exec(run.stdout)?.[1])).toBeGreaterThan(0);
    expect(run.stdout).toContain("Deep Research Agent");
  });

  it("flow-run.ts: runs the flow to DONE with outputs, and builds and calls the flow's tool", async ({
    expect,
  }) => {
    const run = await runExample("flow-run.ts");
    expect(run.code, failure(run)).toBe(0);
    expect(run.stdout).toContain("Flow inputs: url (string), focus (string)");
    expect(run.stdout).toMatch(/Run run_\w+: completed \(DONE\), polls: \d+/);
    expect(run.stdout).toMatch(/output summary: .*https:\/\/example\.com\/tidal-power/);
    expect(run.stdout).toContain("Tool run_gumloop_flow_summarize_article: ");
    expect(run.stdout).toMatch(/schema: \{"type":"object","properties":\{"url":\{"type":"string"/);
    expect(run.stdout).toMatch(/result: \{"result":\{"run_id":"run_\w+","saved_item_id":"flow_summarise01"/);
  });

  it("subgraph-in-parent.ts: runs the session graph as a node and inside a wrapper node", async ({
    expect,
  }) => {
    const run = await runExample("subgraph-in-parent.ts");
    expect(run.code, failure(run)).toBe(0);
    expect(run.stdout).toMatch(
      /Direct subgraph: session lc_[0-9a-f]{24} → completed: .*glacier-retreat-report\.md/,
    );
    expect(run.stdout).toMatch(/\[progress\] session lc_[0-9a-f]{24}: completed \(poll \d+\)/);
    expect(run.stdout).toContain('Wrapped subgraph: log = ["planned 2 topics","researched 2 topics"]');
    expect(run.stdout).toContain("volcanoes: Here is my research report on volcanoes.");
    expect(run.stdout).toContain("deserts: Here is my research report on deserts.");
  });

  it("approval.ts: pauses on a gumloop_approval interrupt, resumes with accept, completes", async ({
    expect,
  }) => {
    const run = await runExample("approval.ts");
    expect(run.code, failure(run)).toBe(0);
    expect(run.stdout).toMatch(/Session lc_[0-9a-f]{24}: approval_required/);
    expect(run.stdout).toContain("Pending approvals (interrupt kind gumloop_approval):");
    expect(run.stdout).toMatch(/areq_\w+: Send email \(gmail_send_email\)/);
    expect(run.stdout).toMatch(/Resumed: session lc_[0-9a-f]{24} completed after \d+ polls/);
    expect(run.stdout).toContain("was approved");
  });
});
