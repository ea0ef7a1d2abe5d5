/**
 * Model turns for "run the research agent, wait for it, fetch its report": the composite tool against the plain
 * tools, with a scripted model that behaves as a model would (it polls once per turn; a turn takes 2 s). The job
 * runs 60 s on a virtual clock.
 */
import { AIMessage, ToolMessage, type BaseMessage } from "@langchain/core/messages";
import { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { ChatResult } from "@langchain/core/outputs";
import type { StructuredToolInterface } from "@langchain/core/tools";
import { createAgent } from "langchain";
import { GumloopClient } from "../src/client/client.js";
import { startEmulator, VirtualClock } from "gumloop-emulator";
import { createRunAgentSessionTool } from "../src/graphs/compositeTools.js";
import { GumloopToolManager } from "../src/toolManager.js";
import type { BenchRow } from "./table.js";

const TURN_MS = 2_000;

type Call = { name: string; args: Record<string, unknown> };

/** Reads the conversation and returns the next tool calls, or null for the final answer. */
type Policy = (results: Map<string, unknown[]>) => Call[] | null;

function parsed(message: ToolMessage): unknown {
  try {
    return JSON.parse(String(message.content));
  } catch {
    return null;
  }
}

class ScriptedModel extends BaseChatModel {
  calls = 0;
  constructor(
    private readonly policy: Policy,
    private readonly sleep: (ms: number) => Promise<void>,
  ) {
    super({});
  }
  _llmType(): string {
    return "scripted";
  }
  override bindTools(): this {
    return this;
  }
  async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    this.calls += 1;
    await this.sleep(TURN_MS);
    const results = new Map<string, unknown[]>();
    for (const message of messages) {
      if (ToolMessage.isInstance(message))
        results.set(message.name!, [...(results.get(message.name!) ?? []), parsed(message)]);
    }
    const next = this.policy(results);
    const message = next
      ? new AIMessage({
          content: "",
          tool_calls: next.map((call, i) => ({
            ...call,
            id: `c${this.calls}_${i}`,
            type: "tool_call" as const,
          })),
        })
      : new AIMessage("Here is the report summary.");
    return { generations: [{ text: String(message.content), message }] };
  }
}

type Json = Record<string, any>;
const last = (results: Map<string, unknown[]>, name: string) => results.get(name)?.at(-1) as Json | undefined;

const plainPolicy: Policy = (results) => {
  const agents = last(results, "list_all_gumloop_agents");
  if (!agents) return [{ name: "list_all_gumloop_agents", args: { search: "research" } }];
  const agentId = agents.result.agents[0].id;
  const created = last(results, "create_a_gumloop_session");
  if (!created)
    return [{ name: "create_a_gumloop_session", args: { agent_id: agentId, input: "tidal energy" } }];
  const sessionId = created.result.session.id;
  const polled = last(results, "get_single_gumloop_session_by_id");
  const state = polled?.result.session.state ?? created.result.session.state;
  if (state !== "completed" && state !== "failed")
    return [{ name: "get_single_gumloop_session_by_id", args: { session_id: sessionId } }];
  const listed = last(results, "list_all_gumloop_artifacts");
  if (!listed)
    return [{ name: "list_all_gumloop_artifacts", args: { agent_id: agentId, session_id: sessionId } }];
  if (!results.get("get_single_gumloop_artifact_by_id")) {
    // A capable model asks for every download URL in one turn.
    return listed.result.artifacts.map((artifact: Json) => ({
      name: "get_single_gumloop_artifact_by_id",
      args: { artifact_id: artifact.id },
    }));
  }
  return null;
};

const compositePolicy: Policy = (results) => {
  const agents = last(results, "list_all_gumloop_agents");
  if (!agents) return [{ name: "list_all_gumloop_agents", args: { search: "research" } }];
  if (!results.get("run_gumloop_agent_session")) {
    return [
      {
        name: "run_gumloop_agent_session",
        args: { agent_id: agents.result.agents[0].id, input: "tidal energy" },
      },
    ];
  }
  return null;
};

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
    const model = new ScriptedModel(mode === "plain" ? plainPolicy : compositePolicy, clock.sleep);
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
