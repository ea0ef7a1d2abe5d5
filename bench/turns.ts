/**
 * Model turns for "run the research agent, wait for it, fetch its report": the composite tool against the plain
 * tools, with a scripted model that behaves as a model would (it polls once per turn; a turn takes 2 s). The job
 * runs 60 s on a virtual clock.
 */
import type { StructuredToolInterface } from "@langchain/core/tools";
import { createAgent } from "langchain";
import { GumloopClient } from "../src/client/client.js";
import { startEmulator, VirtualClock } from "gumloop-emulator";
import { createRunAgentSessionTool } from "../src/langchain/compositeTools.js";
import { GumloopToolManager } from "../src/toolManager.js";
import { ScriptedModel, type Policy } from "./scriptedModel.js";
import type { BenchRow } from "./table.js";

type Json = Record<string, any>;
const last = (results: Map<string, unknown[]>, name: string) => results.get(name)?.at(-1) as Json | undefined;

export const plainPolicy: Policy = (results) => {
  const agents = last(results, "list_all_gumloop_agents");
  if (!agents) return [{ name: "list_all_gumloop_agents", args: { search: "research" } }];
  const agentId = agents.result[0].id;
  const created = last(results, "create_a_gumloop_session");
  if (!created)
    return [{ name: "create_a_gumloop_session", args: { agent_id: agentId, input: "tidal energy" } }];
  const sessionId = created.result.id;
  const polled = last(results, "get_single_gumloop_session_by_id");
  const state = polled?.result.state ?? created.result.state;
  if (state !== "completed" && state !== "failed")
    return [{ name: "get_single_gumloop_session_by_id", args: { id: sessionId } }];
  const listed = last(results, "list_all_gumloop_artifacts");
  if (!listed)
    return [{ name: "list_all_gumloop_artifacts", args: { agent_id: agentId, session_id: sessionId } }];
  if (!results.get("get_single_gumloop_artifact_by_id")) {
    // A capable model asks for every download URL in one turn.
    return listed.result.map((artifact: Json) => ({
      name: "get_single_gumloop_artifact_by_id",
      args: { id: artifact.id },
    }));
  }
  return null;
};

export const compositePolicy: Policy = (results) => {
  const agents = last(results, "list_all_gumloop_agents");
  if (!agents) return [{ name: "list_all_gumloop_agents", args: { search: "research" } }];
  if (!results.get("run_gumloop_agent_session")) {
    return [
      {
        name: "run_gumloop_agent_session",
        args: { agent_id: agents.result[0].id, input: "tidal energy" },
      },
    ];
  }
  return null;
};

/** One agent run of the research task with a scripted model: its model calls, virtual seconds and requests. */
export async function researchRun(
  policy: Policy,
  tools: StructuredToolInterface[],
  clock: { now(): number; sleep(ms: number): Promise<void> },
  emulator: { readonly requests: readonly unknown[] },
): Promise<{ calls: number; seconds: number; requests: number }> {
  const model = new ScriptedModel(policy, (ms) => clock.sleep(ms));
  const startedAt = clock.now();
  await createAgent({ model, tools }).invoke(
    { messages: [{ role: "user", content: "Research tidal energy" }] },
    { recursionLimit: 500 },
  );
  return {
    calls: model.calls,
    seconds: (clock.now() - startedAt) / 1_000,
    requests: emulator.requests.length,
  };
}

async function run(
  mode: "plain" | "composite",
): Promise<{ calls: number; seconds: number; requests: number }> {
  const clock = new VirtualClock({ autoAdvance: true });
  const emulator = await startEmulator({ port: 0, clock, durations: { research: 60_000 } });
  try {
    const client = new GumloopClient(emulator.clientOptions());
    const manager = new GumloopToolManager({ client });
    const tools: StructuredToolInterface[] =
      mode === "plain"
        ? manager.getTools({ tags: ["agents", "sessions", "artifacts"] })
        : [
            ...manager.getTools({ names: ["list_all_gumloop_agents"] }),
            createRunAgentSessionTool({ client }),
          ];
    return await researchRun(mode === "plain" ? plainPolicy : compositePolicy, tools, clock, emulator);
  } finally {
    await emulator.close();
  }
}

export async function modelTurns(): Promise<BenchRow[]> {
  const plain = await run("plain");
  const composite = await run("composite");
  const ratio = composite.calls / plain.calls;
  return [
    {
      name: "model turns: research run of 60 s (composite tool vs plain tools)",
      value: `${composite.calls} vs ${plain.calls} model calls; ${composite.requests} vs ${plain.requests} Gumloop requests; done after ${composite.seconds.toFixed(0)} s vs ${plain.seconds.toFixed(0)} s`,
      ratio,
      goal: "≤ 0.25x",
      pass: ratio <= 0.25,
    },
  ];
}
