/**
 * Builds a job graph from a spec and the graph's own nodes:
 *
 *   plan → [prepare] → record_intent → start ⟲ record_intent (refused) → poll ⟲ → (paused | completed nodes)
 *
 * The core's nodes are the same for every job; a graph adds a `prepare` step (the flow's input check), where to go
 * when the job pauses (the session's approvals) or completes (artifacts, the export's CSV), and its own nodes with
 * their routes.
 */
import {
  END,
  START,
  StateGraph,
  type AnnotationRoot,
  type BaseCheckpointSaver,
  type CompiledStateGraph,
  type LangGraphRunnableConfig,
  type RetryPolicy,
  type StateDefinition,
  type StateType,
  type UpdateType,
} from "@langchain/langgraph";
import { GRAPH_CONFIG } from "../common.js";
import { planNode } from "./plan.js";
import { pollNode, type HoldsSlot } from "./poll.js";
import { jobIdOf, readPolicy, type JobRuntime } from "./runtime.js";
import { recordIntentNode, startNode } from "./start.js";
import { FINISHED_STATUSES, type JobState } from "./state.js";

type Node<S> = (state: S, config: LangGraphRunnableConfig) => unknown;

/** One of a graph's own nodes: its function, retry policy, and where it goes next. */
export interface OwnNode<S> {
  readonly run: Node<S>;
  readonly retryPolicy?: RetryPolicy;
  /** The next node (or END) after it runs. */
  readonly next: (state: S) => string;
  /** Every node `next` may return. */
  readonly targets: readonly string[];
}

/** What a graph adds to the core. */
export interface JobGraphShape<S> {
  /** Checks that must pass before anything is sent (e.g. a checkpointer for interrupts). */
  readonly preflight?: (config: LangGraphRunnableConfig) => void;
  /** A node between plan and the first intent (the flow's input check against its schema). */
  readonly prepare?: string;
  /** Where a paused job goes. @default END */
  readonly paused?: (state: S, config: LangGraphRunnableConfig) => string;
  /** Where a completed job goes. @default END */
  readonly completed?: (state: S, config: LangGraphRunnableConfig) => string;
  /** Whether a job keeps its gate slot when the poll step ends in a status. */
  readonly holdsSlot?: HoldsSlot;
  /** The graph's own nodes by name. */
  readonly nodes?: Readonly<Record<string, OwnNode<S>>>;
}

/** A compiled job graph: invoke with the graph's input keys, get its whole state back. */
export type JobGraph<SD extends StateDefinition> = CompiledStateGraph<
  StateType<SD>,
  UpdateType<SD>,
  string,
  SD,
  SD
>;

/** Compile options. */
export interface JobGraphCompile {
  readonly name: string;
  readonly checkpointer?: BaseCheckpointSaver | boolean | undefined;
}

export function buildJobGraph<SD extends StateDefinition, S extends JobState>(
  annotation: AnnotationRoot<SD>,
  runtime: JobRuntime<S>,
  shape: JobGraphShape<S>,
  compile: JobGraphCompile,
): JobGraph<SD> {
  const ownNodes = Object.entries(shape.nodes ?? {});
  const targets = [...new Set(ownNodes.map(([name]) => name).concat("poll", END))];

  /** After a poll step, or for a thread's existing job: wait on, pause, finish. */
  const afterPoll = (state: S, config: LangGraphRunnableConfig): string => {
    if (state.status === "running") return "poll";
    if (state.status === "approval_required") return shape.paused?.(state, config) ?? END;
    if (state.status === "completed") return shape.completed?.(state, config) ?? END;
    return END;
  };
  const afterPlan = (state: S, config: LangGraphRunnableConfig): string => {
    if (FINISHED_STATUSES.includes(state.status ?? "running")) return END;
    if (jobIdOf(runtime, state)) return afterPoll(state, config);
    if (state.intent) return "start";
    return shape.prepare ?? "record_intent";
  };
  const afterIntent = (state: S) => (state.status === "running" ? "start" : END);
  const afterStart = (state: S): string => {
    if (state.status !== "running") return END;
    return jobIdOf(runtime, state) ? "poll" : "record_intent";
  };

  // Node names are data here, so the builder is typed loosely; the graph's public type comes from its state.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let graph = new StateGraph(annotation) as unknown as StateGraph<any, any, any, string>;
  graph = graph
    .addNode("plan", planNode(runtime, shape.preflight))
    .addNode("record_intent", recordIntentNode(runtime))
    .addNode("start", startNode(runtime))
    .addNode("poll", pollNode(runtime, shape.holdsSlot), { retryPolicy: readPolicy(runtime) });
  for (const [name, node] of ownNodes) {
    graph = graph.addNode(name, node.run, node.retryPolicy ? { retryPolicy: node.retryPolicy } : {});
  }
  graph = graph
    .addEdge(START, "plan")
    .addConditionalEdges("plan", afterPlan, [
      ...targets,
      "start",
      "record_intent",
      ...(shape.prepare ? [shape.prepare] : []),
    ])
    .addConditionalEdges("record_intent", afterIntent, ["start", END])
    .addConditionalEdges("start", afterStart, ["poll", "record_intent", END])
    .addConditionalEdges("poll", afterPoll, targets);
  for (const [name, node] of ownNodes) graph = graph.addConditionalEdges(name, node.next, [...node.targets]);

  return graph
    .compile({ checkpointer: compile.checkpointer, name: compile.name })
    .withConfig(GRAPH_CONFIG) as unknown as JobGraph<SD>;
}
