/**
 * The three Gumloop job graphs for LangGraph Server (`langgraph.json` beside this file): `gumloop_session`,
 * `gumloop_flow_run` and `gumloop_export`, for many end users at once.
 *
 * Nothing about a run lives in this module. Each run brings its end user's credentials in its context (or
 * configurable) and may tune its job with `options`; every graph node reads them off the run it belongs to, through
 * the client pool, which keeps one client per Gumloop account. What the module does hold is the deployment's own
 * configuration, from the server's environment: where Gumloop is (`GUMLOOP_BASE_URL`, `GUMLOOP_STREAM_BASE_URL`; a
 * run cannot point the server elsewhere), how many jobs an account may run at once (`GUMLOOP_AGENT_SLOTS`,
 * `GUMLOOP_FLOW_SLOTS`), and the PostgreSQL database the concurrency gate shares between the server's workers
 * (`GUMLOOP_GATE_DATABASE_URL`; without it the gate counts in each process's memory).
 *
 * The server keeps the checkpoints: approval interrupts, resumes and restarts need no checkpointer here.
 *
 * Run it: `npx @langchain/langgraph-cli dev --config examples/deploy/langgraph.json` (from the repository root).
 */
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { GumloopClientPool, type GumloopCredentials, type RunCredentialsSource } from "langchain-gumloop";
import {
  ConcurrencyGate,
  MemorySlotStore,
  PostgresSlotStore,
  createExportGraph,
  createFlowRunGraph,
  createSessionGraph,
  type JobGraphParams,
  type SlotStore,
} from "langchain-gumloop/graphs";
import { z } from "zod";

/** What a run of these graphs carries in its `context` (LangGraph's run context). */
export interface GumloopRunContext {
  /** The end user's Gumloop credentials (read per run; never stored in this module). */
  readonly gumloop?: Pick<GumloopCredentials, "apiKey" | "userId" | "teamId" | "accessToken">;
  /** Per-run job options; see {@link RunOptions}. */
  readonly options?: unknown;
}

/** The options a run may set, and nothing else (a typo is an error, not a silent default). */
const RunOptions = z
  .object({
    /** Give up waiting after this long (ms); the job then ends `timed_out`. */
    deadlineMs: z.number().int().positive().optional(),
    /** Cancel the session or kill the flow run at the deadline. */
    cancelOnTimeout: z.boolean().optional(),
    /** Poll schedule overrides (ms): initialMs, factor, capMs, ... */
    schedule: z.record(z.string(), z.number()).optional(),
    /** Sessions: follow the session over Gumloop's event stream (the default) or, with false, poll it. */
    stream: z.boolean().optional(),
    /** Download the session's artifacts into the state (off by default here: the state is checkpointed). */
    downloadArtifacts: z.boolean().optional(),
  })
  .strict();

const env = process.env;
const hosts = {
  ...(env["GUMLOOP_BASE_URL"] ? { baseUrl: env["GUMLOOP_BASE_URL"] } : {}),
  ...(env["GUMLOOP_STREAM_BASE_URL"] ? { streamBaseUrl: env["GUMLOOP_STREAM_BASE_URL"] } : {}),
};

/** The run's context: LangGraph's `config.context`, or `configurable` for clients that only send that. */
function contextOf(run: RunCredentialsSource): GumloopRunContext {
  const context = (run.context ?? {}) as GumloopRunContext;
  return context.gumloop || context.options ? context : ((run.configurable ?? {}) as GumloopRunContext);
}

/** The end user's credentials of a run, on this deployment's Gumloop hosts; only the credential fields are taken. */
function credentialsOf(run: RunCredentialsSource): GumloopCredentials | undefined {
  const given = contextOf(run).gumloop;
  if (!given) return undefined;
  const { apiKey, userId, teamId, accessToken } = given;
  return { apiKey, userId, teamId, accessToken, ...hosts };
}

const pool = new GumloopClientPool({ resolve: credentialsOf });

async function slotStore(): Promise<SlotStore> {
  const url = env["GUMLOOP_GATE_DATABASE_URL"];
  if (!url) return new MemorySlotStore();
  const { default: pg } = await import("pg");
  const store = new PostgresSlotStore({ pool: new pg.Pool({ connectionString: url }) });
  await store.setup();
  return store;
}

const store = await slotStore();
const slots = (name: string, fallback: number) => Number.parseInt(env[name] ?? "", 10) || fallback;
const gates = {
  agents: new ConcurrencyGate({ slots: slots("GUMLOOP_AGENT_SLOTS", 5), store, pool: "agents" }),
  flows: new ConcurrencyGate({ slots: slots("GUMLOOP_FLOW_SLOTS", 2), store, pool: "flows" }),
};

/** The second argument LangGraph Server passes a graph factory: the run's context when it builds one for a run. */
interface ServerRuntime {
  readonly executionRuntime?: { readonly context?: unknown } | null;
}

/** A run's job options, checked; the defaults when the server builds the graph for anything but a run. */
function runOptions(config: LangGraphRunnableConfig, runtime: ServerRuntime | undefined) {
  const context = runtime?.executionRuntime?.context ?? config.context;
  const { schedule, downloadArtifacts, stream, ...job } = RunOptions.parse(
    contextOf({ context, configurable: config.configurable }).options ?? {},
  );
  const params: Omit<JobGraphParams, "client"> = { ...job, ...(schedule ? { schedule } : {}) };
  return { params, downloadArtifacts: downloadArtifacts ?? false, stream: stream ?? true };
}

/** `gumloop_session`: input `{ agentId, input }`; pauses with an interrupt when the agent asks for approval. */
export const session = (config: LangGraphRunnableConfig, runtime?: ServerRuntime) => {
  const { params, downloadArtifacts, stream } = runOptions(config, runtime);
  return createSessionGraph({
    ...params,
    stream,
    client: pool,
    gate: gates.agents,
    downloadArtifacts,
    name: "gumloop_session",
  });
};

/** `gumloop_flow_run`: input `{ savedItemId, inputs }`. */
export const flowRun = (config: LangGraphRunnableConfig, runtime?: ServerRuntime) =>
  createFlowRunGraph({
    ...runOptions(config, runtime).params,
    client: pool,
    gate: gates.flows,
    name: "gumloop_flow_run",
  });

/** `gumloop_export`: input `{ request }` (the `create_a_gumloop_export_datum` tool's arguments). */
export const dataExport = (config: LangGraphRunnableConfig, runtime?: ServerRuntime) =>
  createExportGraph({ ...runOptions(config, runtime).params, client: pool, name: "gumloop_export" });
