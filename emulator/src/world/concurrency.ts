/** Starting jobs under the plan's concurrency limits, answering overflow the way Gumloop does. */
import type { AreaEnv } from "../area.js";
import { ApiError } from "../server/errors.js";
import type { Job, JobSpec } from "./scheduler.js";

const WHAT: Record<JobSpec["pool"], string> = { agents: "agent interactions", flows: "flow runs" };

/**
 * Submits a job at the current clock time. When every slot is taken, Enterprise queues it (the job comes back
 * `queued`) and Free/Pro get a 429 `rate_limit_error` (Gumloop documents the 429 for agent interactions; for
 * flow runs the status is inference). With `concurrencyRetryAfter`, the 429 carries `Retry-After` = whole seconds
 * until the earliest running job ends.
 */
export function startJob(env: AreaEnv, spec: JobSpec): Job {
  const now = env.clock.now();
  const result = env.scheduler.submit(spec, now);
  if (result.ok) return result.job;
  const headers: Record<string, string> = {};
  if (env.options.concurrencyRetryAfter && result.earliestEndAt !== null) {
    headers["Retry-After"] = String(Math.max(1, Math.ceil((result.earliestEndAt - now) / 1000)));
  }
  throw new ApiError(
    429,
    // Inference: the slug is not documented; the status and message follow the docs' "concurrency limit".
    "concurrency_limit_exceeded",
    `Concurrency limit exceeded: ${result.running} of ${result.limit} concurrent ${WHAT[spec.pool]} are running on the ${env.options.plan} plan.`,
    { details: { limit: result.limit, running: result.running, plan: env.options.plan }, headers },
  );
}
