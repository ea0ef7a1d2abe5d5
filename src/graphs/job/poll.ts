/**
 * The wait step (node "poll"): reads the job's status on the schedule until it ends, pauses, reaches its deadline,
 * or fills its step window (each window is one checkpoint, so a resumed graph repeats at most one window of
 * waiting). A 429 on a read is waited out by the backoff rule, never past the deadline. At the deadline the job is
 * cancelled when the graph was asked to (`cancelOnTimeout`) and the spec has a cancel call.
 *
 * A job with a follower (a session's event stream) is followed first while the follower is active: its window, its
 * deadline and its end come from the follower, and once it has seen the end the status is read once, at once. A
 * follower that gives up hands over to polling in the same step, so the job goes on.
 */
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { attemptOf, emitProgress } from "../common.js";
import { holdingSlot } from "../gate/index.js";
import { pollDelayMs, type GumloopProgressEvent } from "../polling.js";
import { pollRead, readPatiently } from "../retry.js";
import { jobIdOf, nodeWaits, readPolicy, type Bound, type JobRuntime } from "./runtime.js";
import { statusOf, type Followed } from "./spec.js";
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

    const progress = (extra?: Pick<GumloopProgressEvent, "delta" | "textId">) =>
      emitProgress(config, {
        job: spec.kind,
        id,
        state: current ?? "starting",
        polls,
        queuePosition,
        elapsedMs: now() - state.startedAt!,
        ...extra,
      });
    const readOnce = (data: unknown) => {
      const view = spec.read.view(data, state);
      current = view.state;
      queuePosition = view.queuePosition;
      update = { ...update, ...view.update };
      polls += 1;
      progress();
    };

    // Followed (streamed) first, while the follower is active; it ends the step, or hands over to polling.
    let readNow = false;
    let cancelledSeen = false;
    if (spec.follow?.active(state) && statusOf(spec.states, current, cancelRequested) === "running") {
      const followed: Followed<S> = await spec.follow.follow(state, {
        client,
        config,
        waits: nodeWaits(runtime, config, state),
        progress: (known, extra) => {
          current = known;
          progress(extra);
        },
      });
      current = followed.state;
      update = { ...update, ...followed.update };
      if (followed.kind === "window") return snapshot("running");
      if (followed.kind === "deadline") return timeOut();
      readNow = true;
      if (followed.kind === "ended") cancelledSeen = followed.cancelled;
      else if (followed.data !== undefined) {
        readOnce(followed.data);
        readNow = false;
      }
    }

    for (;;) {
      const status = statusOf(spec.states, current, cancelRequested);
      // A job that comes back paused after an approval is read at least once before pausing again.
      if (status !== "running" && !(status === "approval_required" && polls === state.polls)) break;
      const remaining = state.deadlineAt! - now();
      if (remaining <= 0) return timeOut();
      if (polls > state.polls && now() - windowStart >= runtime.stepWindowMs) return snapshot("running");
      const call = () =>
        client.call(spec.read.definition, spec.read.body(id, state), { signal: config.signal });
      let read;
      if (readNow) {
        // The read a follower asked for is retried in place: run again, the node would follow the job again.
        readNow = false;
        read = await readPatiently(call, nodeWaits(runtime, config, state));
      } else {
        // The last poll lands just before the deadline rather than after it.
        const contended = (gate?.waiting ?? 0) > 0;
        await sleep(
          Math.min(pollDelayMs(schedule, polls + 1, queuePosition, random, contended), remaining),
          config.signal,
        );
        read = await pollRead(call, nodeWaits(runtime, config, state));
      }
      if (read === null) return timeOut();
      readOnce(read.data);
    }
    let status = statusOf(spec.states, current, cancelRequested);
    // A follower saw the job cancelled (e.g. a session's stream ended with `abort`): its failed state says so.
    if (status === "failed" && cancelledSeen) status = "cancelled";
    if (!holdsSlot(status, config)) await gate?.release(state.slotKey!);
    const error =
      status === "failed"
        ? `${spec.noun} ${id} failed (Gumloop state ${current}).`
        : status === "cancelled" && cancelledSeen
          ? `${spec.noun} ${id} was cancelled on Gumloop (state ${current}).`
          : null;
    return { ...snapshot(status), error };
  };

  // The job holds a slot while this step runs; a checkpoint resumed in a new process claims it here.
  return async (state: S, config: LangGraphRunnableConfig) => {
    const bound = await runtime.bind(config, state);
    return holdingSlot(bound.gate, state.slotKey!, { policy, attempt: attemptOf(config) }, () =>
      pollUntilDone(state, config, bound),
    );
  };
}
