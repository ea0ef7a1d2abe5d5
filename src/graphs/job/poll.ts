/**
 * The poll step: reads the job's status on the schedule until it ends, pauses, reaches its deadline, or fills its
 * step window (each window is one checkpoint, so a resumed graph repeats at most one window of waiting). A 429 on
 * a read is waited out by the backoff rule, never past the deadline. At the deadline the job is cancelled when
 * the graph was asked to (`cancelOnTimeout`) and the spec has a cancel call.
 */
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { attemptOf, emitProgress } from "../common.js";
import { holdingSlot } from "../gate/index.js";
import { pollDelayMs } from "../polling.js";
import { pollRead } from "../retry.js";
import { jobIdOf, nodeWaits, readPolicy, type Bound, type JobRuntime } from "./runtime.js";
import { statusOf } from "./spec.js";
import type { JobState, JobStatus } from "./state.js";

/**
 * Whether a job in `status` keeps its gate slot when the poll step ends: while running, and (when the graph says
 * so) while paused for an approval that the graph itself will resolve.
 */
export type HoldsSlot = (status: JobStatus, config: LangGraphRunnableConfig) => boolean;

export function pollNode<S extends JobState>(
  runtime: JobRuntime<S>,
  holdsSlot: HoldsSlot = (status) => status === "running",
) {
  const { spec, now, sleep, random, schedule } = runtime;
  const policy = readPolicy(runtime);

  const pollUntilDone = async (
    state: S,
    config: LangGraphRunnableConfig,
    { client, gate }: Bound,
  ): Promise<Partial<JobState>> => {
    const id = jobIdOf(runtime, state)!;
    let current: string | null = state.state;
    let queuePosition = state.queuePosition;
    let polls = state.polls;
    let cancelRequested = state.cancelRequested;
    let update: Partial<S> = {};
    const windowStart = now();
    const snapshot = (status?: JobStatus): Partial<JobState> => ({
      ...update,
      state: current,
      queuePosition,
      polls,
      cancelRequested,
      ...(status ? { status } : {}),
    });
    const timeOut = async () => {
      if (runtime.cancelOnTimeout && spec.cancel && !cancelRequested) {
        await client.call(spec.cancel.definition, spec.cancel.body(id), { signal: config.signal });
        cancelRequested = true;
      }
      await gate?.release(state.slotKey!);
      return {
        ...snapshot("timed_out"),
        error:
          `The deadline passed while the ${spec.noun.toLowerCase()} ${id} was still ${current ?? "starting"}` +
          (cancelRequested ? "; it was asked to stop." : "; it may still be running on Gumloop."),
      };
    };

    for (;;) {
      const status = statusOf(spec.states, current, cancelRequested);
      // A job that comes back paused after an approval is read at least once before pausing again.
      if (status !== "running" && !(status === "approval_required" && polls === state.polls)) break;
      const remaining = state.deadlineAt! - now();
      if (remaining <= 0) return timeOut();
      if (polls > state.polls && now() - windowStart >= runtime.stepWindowMs) return snapshot("running");
      // The last poll lands just before the deadline rather than after it.
      const contended = (gate?.waiting ?? 0) > 0;
      await sleep(
        Math.min(pollDelayMs(schedule, polls + 1, queuePosition, random, contended), remaining),
        config.signal,
      );
      const read = await pollRead(
        () => client.call(spec.read.definition, spec.read.body(id, state), { signal: config.signal }),
        nodeWaits(runtime, config, state),
      );
      if (read === null) return timeOut();
      const view = spec.read.view(read.data, state);
      current = view.state;
      queuePosition = view.queuePosition;
      update = { ...update, ...view.update };
      polls += 1;
      emitProgress(config, {
        job: spec.kind,
        id,
        state: current,
        polls,
        queuePosition,
        elapsedMs: now() - state.startedAt!,
      });
    }
    const status = statusOf(spec.states, current, cancelRequested);
    if (!holdsSlot(status, config)) await gate?.release(state.slotKey!);
    return {
      ...snapshot(status),
      error: status === "failed" ? `${spec.noun} ${id} failed (Gumloop state ${current}).` : null,
    };
  };

  // The job holds a slot while this step runs; a checkpoint resumed in a new process claims it here.
  return async (state: S, config: LangGraphRunnableConfig) => {
    const bound = await runtime.bind(config, state);
    return holdingSlot(bound.gate, state.slotKey!, { policy, attempt: attemptOf(config) }, () =>
      pollUntilDone(state, config, bound),
    );
  };
}
