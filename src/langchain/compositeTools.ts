/**
 * The three job graphs as single tools, so a model makes one call instead of polling through many turns:
 * `run_gumloop_agent_session`, `export_gumloop_data`, `run_gumloop_flow`. The graph waits (with backoff, 429
 * handling and a deadline); the model gets a compact summary; the full final state is the tool artifact.
 */
import { createHash, randomBytes } from "node:crypto";
import type { DynamicStructuredTool } from "@langchain/core/tools";
import { toModelJson } from "./content.js";
import { GumloopStructuredTool } from "./gumloopTool.js";
import type { RunnableConfig } from "@langchain/core/runnables";
import { z } from "zod";
import { GumloopError } from "../client/errors.js";
import { id, jsonObject, text, modelSchema } from "../tools/fields.js";
import { toolInput, variantOf } from "./strictSchema.js";
import { GRAPH_CONFIG } from "../graphs/common.js";
import { ENDPOINTS } from "../tools/index.js";
import { createExportGraph, type CreateExportGraphParams } from "../graphs/exportGraph.js";
import { createFlowRunGraph, type CreateFlowRunGraphParams } from "../graphs/flowRunGraph.js";
import { createSessionGraph, type CreateSessionGraphParams } from "../graphs/sessionGraph.js";

/** What every composite tool takes beside its graph's options. */
export interface CompositeToolOptions {
  /** Cap on the text the tool returns to the model; the full final state is the artifact. @default 16000 */
  readonly maxContentChars?: number;
  /**
   * OpenAI strict-mode schema (every field required, optional ones nullable, objects closed), for
   * `bindTools(tools, { strict: true })`. @default false
   */
  readonly strict?: boolean;
  /**
   * Schemas for Gemini's function declarations, which refuse an object without properties: free-form objects
   * (metadata, flow inputs, MCP arguments) travel as JSON text. Ignored with `strict`. @default false
   */
  readonly gemini?: boolean;
}

/** The caller's thread, when the tool runs on one. */
function threadOf(config: RunnableConfig | undefined): string {
  const thread = config?.configurable?.["thread_id"];
  return typeof thread === "string" || typeof thread === "number" ? String(thread) : "";
}

/** The model's tool-call id, when the tool was called by a model. */
function callIdOf(config: RunnableConfig | undefined): string | undefined {
  return (config as { toolCall?: { id?: string } } | undefined)?.toolCall?.id || undefined;
}

const digest = (...parts: string[]) =>
  createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 24);

/**
 * The run config of the graph a tool call runs. Signal, callbacks and the caller's stream writer carry over (so
 * progress events reach the caller); the recursion limit is the graph's own. Run by itself (not inside a graph)
 * with its own checkpointer, the graph gets a thread of its own per tool call, derived from the caller's thread
 * and the call id: a repeated call (an agent step run again) resumes its own job, and no two calls share one.
 * Without a call id (a plain invoke) every call is a new job on a fresh thread. Inside a graph, the graph's
 * checkpointer keeps the tool's job under the calling step.
 */
export function jobRunConfig(
  config: RunnableConfig | undefined,
  tool: string,
  checkpointer: unknown,
): RunnableConfig {
  const base: RunnableConfig = { ...config, recursionLimit: GRAPH_CONFIG.recursionLimit };
  const insideGraph = Boolean(config?.configurable?.["__pregel_checkpointer"]);
  if (insideGraph || !checkpointer || typeof checkpointer !== "object") return base;
  const callId = callIdOf(config);
  const { checkpoint_ns: _ns, checkpoint_id: _id, ...configurable } = config?.configurable ?? {};
  const thread = callId ? digest(tool, threadOf(config), callId) : randomBytes(12).toString("hex");
  return { ...base, configurable: { ...configurable, thread_id: `${tool}_${thread}` } };
}

/**
 * A session id derived from the caller's thread and the model's tool-call id: if the agent's tool step runs again
 * (a retried node, an agent resumed from a checkpoint), it asks for the same session, meets 409 and adopts it
 * (the graph checks that it is this job's) instead of starting a second run. Without a tool-call id (a plain
 * invoke) the graph picks a fresh id.
 */
function sessionIdFor(
  config: RunnableConfig | undefined,
  agentId: string,
  message: string,
): string | undefined {
  const callId = callIdOf(config);
  if (!callId) return undefined;
  return `lc_${digest(threadOf(config), callId, agentId, message)}`;
}

/**
 * `run_gumloop_agent_session`: start an agent session, wait for it, fetch its artifacts. A session that pauses for
 * approval ends the call with status `approval_required` and its `pending_approvals`, unless `onApproval` is
 * `"interrupt"`.
 */
export function createRunAgentSessionTool(
  params: CreateSessionGraphParams & CompositeToolOptions,
): DynamicStructuredTool {
  if (params.onApproval === "interrupt" && !params.checkpointer) {
    throw new GumloopError(
      'createRunAgentSessionTool: onApproval "interrupt" needs a checkpointer to keep the paused graph (a saver, ' +
        "or true to use the calling graph's). Give one, or leave onApproval out: the tool then reports " +
        "approval_required with the pending approvals.",
    );
  }
  const schema = toolInput(
    "run_gumloop_agent_session",
    modelSchema(
      z.object({
        agent_id: id("Agent id (find it with list_all_gumloop_agents)"),
        input: text("Message or task for the agent"),
        timeout_seconds: z
          .number()
          .int()
          .min(10)
          .max(3600)
          .optional()
          .describe("Give up after (default 600)"),
      }),
    ),
    variantOf(params),
  );
  return new GumloopStructuredTool({
    name: "run_gumloop_agent_session",
    description:
      "Run a Gumloop agent on a message and wait until it finishes (one call, no polling). Returns status, the agent's final message and its artifacts (files).",
    schema: schema.schema,
    responseFormat: "content_and_artifact",
    metadata: { composite: true, tags: ["sessions", "artifacts"] },
    func: async (raw: Record<string, unknown>, _run, config) => {
      const input = schema.read(raw) as { agent_id: string; input: string; timeout_seconds?: number };
      const graph = createSessionGraph({
        ...params,
        // A tool call ends with its result: a session waiting for approval is reported (status
        // approval_required, pending_approvals) for the model to act on, not turned into an interrupt, which
        // would need a checkpointer and fails without one.
        onApproval: params.onApproval ?? "return",
        ...(input.timeout_seconds ? { deadlineMs: input.timeout_seconds * 1_000 } : {}),
      });
      const state = await graph.invoke(
        {
          agentId: input.agent_id,
          input: input.input,
          sessionId: sessionIdFor(config, input.agent_id, input.input),
        },
        jobRunConfig(config, "run_gumloop_agent_session", params.checkpointer),
      );
      const content = {
        status: state.status,
        session_id: state.sessionId,
        final_message: state.finalMessage,
        artifacts: state.artifacts.map((artifact) => ({
          id: artifact.id,
          filename: artifact.filename,
          media_type: artifact.mediaType,
          size: artifact.size,
        })),
        polls: state.polls,
        ...(state.error ? { error: state.error } : {}),
        ...(state.status === "approval_required"
          ? { pending_approvals: state.session?.pending_approvals ?? [] }
          : {}),
      };
      return [toModelJson(content, params.maxContentChars), state];
    },
  });
}

/** `export_gumloop_data`: start a data export, wait for it, return the CSV parsed into rows. */
export function createExportDataTool(
  params: CreateExportGraphParams & CompositeToolOptions,
): DynamicStructuredTool {
  const schema = toolInput(
    "export_gumloop_data",
    modelSchema(ENDPOINTS.create_a_gumloop_export_datum.input),
    variantOf(params),
  );
  return new GumloopStructuredTool({
    name: "export_gumloop_data",
    description:
      "Export Gumloop data to CSV and wait for it (enterprise admin). Returns status, columns, row count and a few rows; all rows are in the artifact.",
    schema: schema.schema,
    responseFormat: "content_and_artifact",
    metadata: { composite: true, tags: ["exports", "admin"] },
    func: async (raw: Record<string, unknown>, _run, config) => {
      const request = schema.read(raw);
      const graph = createExportGraph(params);
      const state = await graph.invoke(
        { request: request as never },
        jobRunConfig(config, "export_gumloop_data", params.checkpointer),
      );
      const content = {
        status: state.status,
        export_id: state.exportId,
        state: state.state,
        columns: state.columns,
        row_count: state.rows.length,
        preview_rows: state.rows.slice(0, 5),
        ...(state.error ? { error: state.error } : {}),
      };
      return [toModelJson(content, params.maxContentChars), state];
    },
  });
}

/** `run_gumloop_flow`: start a flow run with named inputs, wait for it, return its outputs. */
export function createRunFlowTool(
  params: CreateFlowRunGraphParams & CompositeToolOptions,
): DynamicStructuredTool {
  const schema = toolInput(
    "run_gumloop_flow",
    modelSchema(
      z.object({
        saved_item_id: id("Flow id"),
        inputs: jsonObject("Input name -> text value").optional(),
      }),
    ),
    variantOf(params),
  );
  return new GumloopStructuredTool({
    name: "run_gumloop_flow",
    description:
      "Run a saved Gumloop flow and wait until it finishes. Inputs by name (see get_single_gumloop_automation_by_id). Returns status, outputs and the log's tail.",
    schema: schema.schema,
    responseFormat: "content_and_artifact",
    metadata: { composite: true, tags: ["flows"] },
    func: async (raw: Record<string, unknown>, _run, config) => {
      const input = schema.read(raw) as { saved_item_id: string; inputs?: Record<string, unknown> };
      const graph = createFlowRunGraph(params);
      const state = await graph.invoke(
        { savedItemId: input.saved_item_id, inputs: input.inputs ?? {} },
        jobRunConfig(config, "run_gumloop_flow", params.checkpointer),
      );
      const content = {
        status: state.status,
        run_id: state.runId,
        state: state.state,
        outputs: state.outputs,
        log_tail: state.log.slice(-20),
        ...(state.error ? { error: state.error } : {}),
      };
      return [toModelJson(content, params.maxContentChars), state];
    },
  });
}
