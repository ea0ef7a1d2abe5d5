/**
 * One MCP call of a job tool. Without a task, the call waits for the job and forwards its progress (when the
 * client sent a progress token). With a task, it answers at once with the task and the job's result becomes the
 * task's. How the request ends decides the job's fate:
 *
 * - the client cancels the request (`notifications/cancelled`) or the task (`tasks/cancel`): the job is cancelled
 *   on Gumloop;
 * - the client gave up waiting (its cancel says it timed out) or the connection closed: the job goes on to its end
 *   or its deadline, and the same call sent again finds it. A stdio server cancels its jobs when its client goes
 *   away, since no deadline fires in a process that has exited.
 */
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import type {
  CallToolRequest,
  CallToolResult,
  ServerNotification,
  ServerRequest,
} from "@modelcontextprotocol/sdk/types.js";
import type { CreateTaskResult } from "@modelcontextprotocol/sdk/experimental/tasks/types.js";
import type { GumloopMcpJobs, Job, JobToolName } from "./jobs.js";

/** How long a task is kept at least, ms (the job may run this long, and its result must outlive it). */
const MIN_TASK_TTL_MS = 3_600_000;

/** What one job call needs. */
export interface JobCall {
  readonly jobs: GumloopMcpJobs;
  readonly server: Server;
  readonly serverId: string;
  readonly name: JobToolName;
  readonly args: Readonly<Record<string, unknown>>;
  readonly request: CallToolRequest;
  readonly extra: RequestHandlerExtra<ServerRequest, ServerNotification>;
  readonly redact: (text: string) => string;
}

/** Sends the job's progress as MCP progress notifications, if the client asked for them. Returns the unsubscribe. */
function forwardProgress(job: Job, call: JobCall, adopted: boolean): () => void {
  const token = call.request.params._meta?.progressToken;
  if (token === undefined) return () => {};
  let last = -1;
  const send = (progress: number, message: string) => {
    // MCP requires progress to increase; a late subscriber starts from the job's current count.
    if (progress <= last) return;
    last = progress;
    call.extra
      .sendNotification({
        method: "notifications/progress",
        params: { progressToken: token, progress, message },
      })
      .catch(() => {});
  };
  send(
    job.updates,
    adopted ? `Waiting for the job already running for this call (${job.tool}).` : `Started ${job.tool}.`,
  );
  return job.subscribe(({ progress, message }) => send(progress, message));
}

/**
 * Why a request's signal fired: `"cancel"` for a client's explicit cancellation, `"detach"` for a client that
 * timed out or a closed connection. The SDK aborts with the client's reason (a string) on `notifications/cancelled`
 * and with no reason when the transport closes; a cancel without a reason is told from a close by whether the
 * transport is still there a moment later.
 */
async function whyAborted(signal: AbortSignal, server: Server): Promise<"cancel" | "detach"> {
  const reason: unknown = signal.reason;
  if (typeof reason === "string") return /timed? ?out|-32001/i.test(reason) ? "detach" : "cancel";
  await new Promise((resolve) => setImmediate(resolve));
  return server.transport ? "cancel" : "detach";
}

/** Runs (or finds) the job for one call of a job tool. */
export async function runJob(call: JobCall): Promise<CallToolResult | CreateTaskResult> {
  const { jobs, extra, request } = call;
  const { request_key: requestKey, ...args } = call.args as Record<string, unknown>;
  if (requestKey !== undefined && (typeof requestKey !== "string" || requestKey.length > 200)) {
    return {
      isError: true,
      content: [
        {
          type: "text",
          text: `Invalid input for ${call.name}: request_key must be a string of at most 200 characters.`,
        },
      ],
    };
  }
  const started = jobs.start(call.serverId, call.name, args, requestKey as string | undefined);
  if ("invalid" in started) return started.invalid;
  const { job, adopted } = started;
  const stopProgress = forwardProgress(job, call, adopted);

  if (request.params.task && extra.taskStore) {
    const task = await extra.taskStore.createTask({
      ttl: Math.max(request.params.task.ttl ?? 0, MIN_TASK_TTL_MS),
      pollInterval: jobs.pollIntervalMs(job),
    });
    jobs.tasks.follow(task.taskId, job, extra.sessionId);
    void job.result.finally(stopProgress);
    return { task };
  }

  const onAbort = () => {
    stopProgress();
    void whyAborted(extra.signal, call.server).then((why) => {
      if (why === "cancel") void jobs.cancel(job);
    });
  };
  if (extra.signal.aborted) onAbort();
  else extra.signal.addEventListener("abort", onAbort, { once: true });
  try {
    return await job.result;
  } finally {
    stopProgress();
    extra.signal.removeEventListener("abort", onAbort);
  }
}
