/**
 * Long Gumloop jobs behind MCP tool calls: the three composite tools (agent session, flow run, data export) run
 * here, detached from the request that started them, so that a job outlives a dropped connection and is found
 * again by a re-sent call instead of being started twice.
 *
 * Identity. The MCP request id is not stable (a client that re-sends a call after a timeout or a reconnect gives it
 * a new id), so a job is named by what the client does re-send: a hash of the server's id, the tool, the arguments
 * (canonical JSON) and an optional `request_key` argument. The same call while the job runs attaches to it; within
 * `retentionMs` after it ends, the same call gets its result. The hash is also the composite tool's call id, from
 * which the job core derives the Gumloop session id: a session started before a server restart is adopted on 409
 * (the job core's rule). To run the same request again on purpose, the caller passes a new `request_key`.
 *
 * Ending. A job ends by itself, at its deadline (then it is cancelled on Gumloop: `cancelOnTimeout`), or when a
 * client cancels it: the graph is aborted and the session cancelled or the flow run killed, with its id from the
 * progress events or, before the first one, from the graph's checkpoint (a flow start whose answer was cut off is
 * looked up in the run history first). Exports cannot be cancelled on Gumloop.
 */
import { createHash } from "node:crypto";
import type { RunnableConfig } from "@langchain/core/runnables";
import type { DynamicStructuredTool } from "@langchain/core/tools";
import type { ToolMessage } from "@langchain/core/messages";
import { MemorySaver } from "@langchain/langgraph";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { GumloopClient } from "../client/client.js";
import { GumloopValidationError, NotFoundError } from "../client/errors.js";
import type { GraphDownloadOptions, JobGraphParams } from "../graphs/common.js";
import {
  createExportDataTool,
  createRunAgentSessionTool,
  createRunFlowTool,
  jobRunConfig,
} from "../langchain/compositeTools.js";
import { createExportGraph } from "../graphs/exportGraph.js";
import { settleFromHistory } from "../graphs/flowRunHistory.js";
import { createFlowRunGraph } from "../graphs/flowRunGraph.js";
import { canonicalJson } from "../graphs/job/plan.js";
import {
  EXPORT_SCHEDULE,
  FLOW_SCHEDULE,
  SESSION_SCHEDULE,
  isGumloopProgressEvent,
  pollDelayMs,
  type GumloopProgressEvent,
  type PollSchedule,
} from "../graphs/polling.js";
import { createSessionGraph } from "../graphs/sessionGraph.js";
import { zodIssues } from "../tools/validation.js";
import { ENDPOINTS } from "../tools/index.js";
import { jobFiles } from "./jobFiles.js";
import { DEFAULT_MAX_RESOURCE_CHARS, errorResult, toolResult } from "./results.js";
import { JobTaskStore } from "./tasks.js";

/** The three job tools. */
export type JobToolName = "run_gumloop_agent_session" | "run_gumloop_flow" | "export_gumloop_data";

/** Job settings shared by the three graphs, plus how long a finished job is remembered. */
export interface GumloopMcpJobsOptions extends Omit<JobGraphParams, "client" | "checkpointer" | "name"> {
  /** How long a finished job's result answers a re-sent call, ms. @default 600000 */
  retentionMs?: number;
  /** Cap on the text of an embedded artifact or CSV. @default 32000 */
  maxResourceChars?: number;
  /** Download session artifacts (text ones are returned as embedded resources). @default true */
  downloadArtifacts?: boolean;
  /** Where signed URLs may point, byte cap, timeout. @default Gumloop's storage host over https */
  download?: GraphDownloadOptions;
}

/** One progress step of a job, as an MCP progress notification carries it. */
export interface JobProgress {
  readonly progress: number;
  readonly message: string;
}

interface Kind {
  readonly tool: DynamicStructuredTool;
  readonly schedule: PollSchedule;
  /** Reads the job's id from its checkpoint, for a cancel before the first progress event. */
  readonly idFromCheckpoint: (threadId: string) => Promise<string | null>;
  /** Cancels (or kills) the job on Gumloop; null when Gumloop offers no way (exports). */
  readonly stop: ((id: string) => Promise<unknown>) | null;
}

/** A job that runs or ran for one identity. */
export class Job {
  readonly key: string;
  readonly tool: JobToolName;
  /** Gumloop's id of the job, once a progress event named it. */
  jobId: string | null = null;
  polls = 0;
  /** Progress events seen (status reads, and a streamed session's steps and text): the MCP progress count. */
  updates = 0;
  done = false;
  cancelled = false;
  readonly controller = new AbortController();
  readonly #listeners = new Set<(progress: JobProgress) => void>();
  result!: Promise<CallToolResult>;

  constructor(key: string, tool: JobToolName) {
    this.key = key;
    this.tool = tool;
  }

  /** Follows the job's progress until `unsubscribe` is called; returns it. */
  subscribe(listener: (progress: JobProgress) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** @internal */
  report(event: GumloopProgressEvent): void {
    this.jobId = event.id;
    this.polls = event.polls;
    this.updates += 1;
    const queue = event.queuePosition ? `, queue position ${event.queuePosition}` : "";
    const message = `${event.job} ${event.id}: ${event.state}${queue} after ${Math.round(event.elapsedMs / 1_000)} s`;
    for (const listener of this.#listeners) listener({ progress: this.updates, message });
  }
}

const sha = (text: string) => createHash("sha256").update(text).digest("hex");

/**
 * The jobs of one MCP server (shared by all its client sessions, so that a call re-sent on a new connection finds
 * the job the old one started).
 */
export class GumloopMcpJobs {
  readonly client: GumloopClient;
  /** MCP tasks that follow these jobs (shared by every session of the server). */
  readonly tasks: JobTaskStore = new JobTaskStore(this);
  readonly #options: GumloopMcpJobsOptions;
  readonly #checkpointer = new MemorySaver();
  readonly #kinds: Record<JobToolName, Kind>;
  readonly #jobs = new Map<string, Job>();
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(client: GumloopClient, options: GumloopMcpJobsOptions = {}) {
    this.client = client;
    this.#options = options;
    const { retentionMs: _retention, maxResourceChars: _max, download, ...graphOptions } = options;
    // The deadline ends a job no client waits for any more: it is then cancelled on Gumloop, not left running.
    const params = { cancelOnTimeout: true, ...graphOptions, client, checkpointer: this.#checkpointer };
    const sessionParams = { ...params, ...(download ? { download } : {}) };
    const state = async (
      graph: { getState(config: RunnableConfig): Promise<{ values: unknown }> },
      thread: string,
    ) => (await graph.getState({ configurable: { thread_id: thread } })).values as Record<string, any>;
    const sessions = createSessionGraph(sessionParams);
    const flows = createFlowRunGraph(params);
    const exports = createExportGraph(params);
    this.#kinds = {
      run_gumloop_agent_session: {
        tool: createRunAgentSessionTool(sessionParams),
        schedule: { ...SESSION_SCHEDULE, ...options.schedule },
        // The session id is chosen (and checkpointed) before the create request, so it is known even then; a
        // streamed session is created (and followed) before it is ever read.
        idFromCheckpoint: async (thread) => {
          const values = await state(sessions, thread);
          const named = values["intent"] || values["created"];
          return values["session"]?.id ?? (named ? values["sessionId"] : null) ?? null;
        },
        stop: (id) => client.call(ENDPOINTS.delete_a_gumloop_session_by_id, { session_id: id }),
      },
      run_gumloop_flow: {
        tool: createRunFlowTool(params),
        schedule: { ...FLOW_SCHEDULE, ...options.schedule },
        idFromCheckpoint: async (thread) => {
          const values = await state(flows, thread);
          if (values["runId"]) return values["runId"];
          if (!values["intent"]) return null;
          // The start was sent and its answer cut off by the abort: the run history says whether it started.
          const settled = await settleFromHistory(values["savedItemId"], values["intent"].at, {
            client,
            signal: undefined,
            read: async (call) => call(),
          });
          return settled.kind === "adopted"
            ? ((settled.accepted.update.runId as string | null) ?? null)
            : null;
        },
        stop: (id) => client.call(ENDPOINTS.delete_a_gumloop_flow_run_by_id, { run_id: id }),
      },
      export_gumloop_data: {
        tool: createExportDataTool(params),
        schedule: { ...EXPORT_SCHEDULE, ...options.schedule },
        idFromCheckpoint: async (thread) => (await state(exports, thread))["exportId"] ?? null,
        stop: null,
      },
    };
  }

  /** The composite LangChain tool behind a job tool (its name, description and schema). */
  tool(name: JobToolName): DynamicStructuredTool {
    return this.#kinds[name].tool;
  }

  /** The identity of a call: server, tool, canonical arguments, request key. */
  static key(
    serverId: string,
    tool: string,
    args: Readonly<Record<string, unknown>>,
    requestKey = "",
  ): string {
    return sha(`${serverId}\u0000${tool}\u0000${canonicalJson(args)}\u0000${requestKey}`).slice(0, 40);
  }

  /** The job running or remembered under `key`, if any. */
  get(key: string): Job | undefined {
    return this.#jobs.get(key);
  }

  /** Jobs still running. */
  get running(): Job[] {
    return [...this.#jobs.values()].filter((job) => !job.done);
  }

  /** A suggested wait before the next status read of a job (the graph's own backoff), ms. */
  pollIntervalMs(job: Job): number {
    return pollDelayMs(this.#kinds[job.tool].schedule, job.polls + 1, null, () => 0.5);
  }

  /**
   * Starts the job for this call, or returns the one already running or remembered under the same identity
   * (`adopted: true`). Arguments are checked first: a call with invalid arguments starts nothing.
   */
  start(
    serverId: string,
    name: JobToolName,
    args: Readonly<Record<string, unknown>>,
    requestKey?: string,
  ): { job: Job; adopted: boolean } | { invalid: CallToolResult } {
    const kind = this.#kinds[name];
    const parsed = (
      kind.tool.schema as { safeParse(value: unknown): { success: boolean; error?: any } }
    ).safeParse(args);
    if (!parsed.success) {
      return {
        invalid: errorResult(
          name,
          new GumloopValidationError(name, zodIssues(parsed.error)),
          this.client.redact.bind(this.client),
        ),
      };
    }
    const key = GumloopMcpJobs.key(serverId, name, args, requestKey);
    const existing = this.#jobs.get(key);
    if (existing) return { job: existing, adopted: true };
    const job = new Job(key, name);
    this.#jobs.set(key, job);
    job.result = this.#run(job, kind, args).finally(() => {
      job.done = true;
      this.#forgetLater(job);
    });
    return { job, adopted: false };
  }

  /** Cancels a running job: aborts its graph and cancels it on Gumloop. Resolves with its final result. */
  cancel(job: Job, reason = "cancelled by the client"): Promise<CallToolResult> {
    if (!job.done && !job.cancelled) {
      job.cancelled = true;
      job.controller.abort(new Error(reason));
    }
    return job.result;
  }

  /** Cancels every running job (a stdio client went away: no deadline would fire in a process that exits). */
  async cancelAll(reason = "the MCP client disconnected"): Promise<void> {
    await Promise.all(this.running.map((job) => this.cancel(job, reason)));
  }

  /** Stops the timers that forget finished jobs (running jobs are left to their deadline). */
  close(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.tasks.cleanup();
  }

  async #run(job: Job, kind: Kind, args: Readonly<Record<string, unknown>>): Promise<CallToolResult> {
    const redact = this.client.redact.bind(this.client);
    const maxChars = this.#options.maxResourceChars ?? DEFAULT_MAX_RESOURCE_CHARS;
    try {
      const message = (await kind.tool.invoke(
        { type: "tool_call", id: job.key, name: job.tool, args: { ...args } },
        {
          signal: job.controller.signal,
          writer: (chunk: unknown) => {
            if (isGumloopProgressEvent(chunk)) job.report(chunk);
          },
        } as RunnableConfig,
      )) as ToolMessage;
      return toolResult(String(message.content), jobFiles(job.tool, message.artifact, maxChars));
    } catch (error) {
      if (!job.cancelled) return errorResult(job.tool, error, redact);
      return this.#stopped(job, kind);
    }
  }

  /** After an abort: cancel the job on Gumloop (when it got that far) and say what happened. */
  async #stopped(job: Job, kind: Kind): Promise<CallToolResult> {
    const thread = jobRunConfig({ toolCall: { id: job.key } } as RunnableConfig, job.tool, this.#checkpointer)
      .configurable!["thread_id"] as string;
    let id = job.jobId;
    let note: string;
    try {
      id ??= await kind.idFromCheckpoint(thread);
      if (!id) note = "It had not started on Gumloop.";
      else if (!kind.stop) note = `Export ${id} cannot be cancelled on Gumloop; it will finish there.`;
      else {
        await kind.stop(id).catch((error: unknown) => {
          // Never created (the abort beat the create request): nothing to cancel.
          if (!(error instanceof NotFoundError)) throw error;
        });
        note = `Gumloop job ${id} was asked to stop.`;
      }
    } catch (error) {
      note = `Stopping it on Gumloop failed: ${this.client.redact((error as Error).message)}`;
    }
    return toolResult(JSON.stringify({ status: "cancelled", id, note }));
  }

  #forgetLater(job: Job): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.#jobs.delete(job.key);
      const thread = jobRunConfig(
        { toolCall: { id: job.key } } as RunnableConfig,
        job.tool,
        this.#checkpointer,
      ).configurable!["thread_id"] as string;
      void this.#checkpointer.deleteThread(thread);
    }, this.#options.retentionMs ?? 600_000);
    timer.unref();
    this.#timers.add(timer);
  }
}
