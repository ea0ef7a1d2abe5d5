/**
 * The research agent's graph: a model bound to a few discovery tools plus the composite
 * `run_gumloop_agent_session` tool, and a Gumloop tool node that hands 429s to the graph's retry policy.
 *
 * The model node reports what it waits for and turns a provider failure into a {@link ModelProviderError}
 * naming the provider, so a refused key is not mistaken for a Gumloop problem, and is not retried for a minute.
 */
import { SystemMessage } from "@langchain/core/messages";
import { END, MessagesAnnotation, START, StateGraph } from "@langchain/langgraph";
import { toolsCondition } from "@langchain/langgraph/prebuilt";
import { GumloopToolManager, type GumloopClient, type Sleep } from "langchain-gumloop";
import {
  createGumloopToolNode,
  createRunAgentSessionTool,
  gumloopToolNodeRetryPolicy,
} from "langchain-gumloop/graphs";
import { ModelProviderError } from "./failures.js";
import type { ModelBackend } from "./backends.js";
import type { Waits } from "./waits.js";

/** The tools the model may call, by name; only the last one runs anything. */
export const DISCOVERY_TOOLS = [
  "list_all_gumloop_agents",
  "get_single_gumloop_agent_by_id",
  "get_single_gumloop_session_by_id",
  "list_all_gumloop_artifacts",
] as const;

export interface AgentGraphParams {
  readonly client: GumloopClient;
  readonly model: ModelBackend;
  readonly waits: Waits;
  /** The agent to look for, by name or id. */
  readonly agent: string;
  /** How long the session may run; the run's own --timeout stops everything anyway. */
  readonly deadlineMs: number;
  /** The sleep between polls (one that tells the terminal when the next check is due). */
  readonly sleep: Sleep;
}

export function createResearchAgentGraph(params: AgentGraphParams) {
  const { client, model, waits } = params;
  const manager = new GumloopToolManager({ client });
  const tools = [
    ...manager.getTools({ names: [...DISCOVERY_TOOLS] }),
    createRunAgentSessionTool({
      client,
      deadlineMs: params.deadlineMs,
      sleep: params.sleep,
      // Interactive use: a gentler backoff than the default ×2 notices a short run sooner.
      schedule: { factor: 1.5 },
      // This terminal shows the poll schedule ("poll 3 · next check in 4 s"): it polls, rather than following the
      // session's event stream (the library's default, which examples/stream-session.ts shows).
      stream: false,
    }),
  ];
  const bound = model.model.bindTools!(tools);
  const system = new SystemMessage(
    `You research topics with Gumloop. Find the Gumloop agent matching "${params.agent}" (list_all_gumloop_agents with search, ` +
      "or get_single_gumloop_agent_by_id for an id), run it once on the topic with run_gumloop_agent_session, then " +
      "summarise its final message in a few lines and name the files it produced. Do not poll: the run tool waits.",
  );
  return new StateGraph(MessagesAnnotation)
    .addNode("agent", async (state, config) => {
      const done = waits.begin("model", `the model (${model.label}) to answer`);
      try {
        return { messages: [await bound.invoke([system, ...state.messages], config)] };
      } catch (error) {
        if (config.signal?.aborted) throw error;
        throw new ModelProviderError(model.provider, model.baseUrl, error);
      } finally {
        done();
      }
    })
    .addNode("tools", createGumloopToolNode(tools), { retryPolicy: gumloopToolNodeRetryPolicy() })
    .addEdge(START, "agent")
    .addConditionalEdges("agent", toolsCondition, ["tools", END])
    .addEdge("tools", "agent")
    .compile();
}
