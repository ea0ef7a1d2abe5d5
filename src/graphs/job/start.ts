/**
 * Starting a job exactly once: two steps, each checkpointed.
 *
 * `record_intent` waits for a concurrency slot and for any backoff, then writes a start intent (a nonce and the
 * time) and arms it in this graph instance. `start` sends the start only if it finds its intent armed, that is,
 * when this very process wrote it a step ago and has not sent it yet. An intent found in a checkpoint but not armed
 * means a process may have sent the start and died before its answer was saved: the start is then settled, never
 * sent blindly again. Sessions settle by sending again (their caller-chosen id makes Gumloop answer a repeat with
 * 409, and the session is adopted if it is this job's); flow runs settle through the run history; exports cannot
 * be settled and end as `outcome_unknown`.
 *
 * A refusal (429) clears the intent and goes round through `record_intent` again, so every attempt has its own
 * checkpointed intent and a crash while backing off never leaves an intent behind. Waits follow the one backoff
 * rule, at most {@link MAX_STARTS_PER_MINUTE} attempts go out per minute, and no wait passes the deadline.
 */
import { randomBytes } from "node:crypto";
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import {
  APIConnectionError,
  APIError,
  GumloopValidationError,
  OutcomeUnknownError,
  isRateLimitError,
  type RateLimitError,
} from "../../client/errors.js";
import type { ConcurrencyGate } from "../gate/index.js";
import { DeadlineReachedError, retryWaitMs } from "../retry.js";
import { jobIdOf, startContext, type JobRuntime } from "./runtime.js";
import type { Accepted, Settled, StartContext } from "./spec.js";
import type { JobState } from "./state.js";

/** Start attempts a job sends per rolling minute at most, whatever the server's hints. */
export const MAX_STARTS_PER_MINUTE = 20;
const MINUTE_MS = 60_000;

export function recordIntentNode<S extends JobState>(runtime: JobRuntime<S>) {
  const { now, sleep } = runtime;
  return async (state: S, config: LangGraphRunnableConfig): Promise<Partial<JobState>> => {
    // An intent already written may have been sent: `start` settles it. A job with an id needs no start.
    if (state.intent || jobIdOf(runtime, state)) return {};
    const { gate } = await runtime.bind(config, state);
    const slotKey = state.slotKey!;
    const deadlineAt = state.deadlineAt!;
    try {
      // Waiting for a slot ends at the deadline too: the job then ends as timed_out without being started.
      await gate?.acquire(slotKey, config.signal, { at: deadlineAt, now, sleep });
    } catch (error) {
      if (error instanceof DeadlineReachedError) return { status: "timed_out", error: error.message };
      throw error;
    }
    const recent = state.startAttempts.filter((time) => time > now() - MINUTE_MS);
    const bound = recent.length >= MAX_STARTS_PER_MINUTE ? recent.at(-MAX_STARTS_PER_MINUTE)! + MINUTE_MS : 0;
    const at = Math.max(state.retryAt ?? 0, bound);
    if (at > now()) {
      if (at >= deadlineAt) {
        await gate?.release(slotKey);
        return {
          status: "timed_out",
          error: `The deadline passed while Gumloop kept refusing the ${runtime.spec.noun.toLowerCase()}'s start (429).`,
        };
      }
      try {
        await sleep(at - now(), config.signal);
      } catch (error) {
        await gate?.release(slotKey);
        throw error;
      }
    }
    const nonce = randomBytes(12).toString("hex");
    runtime.armed.add(nonce);
    return { intent: { nonce, at: now() }, retryAt: null, startAttempts: [...recent, now()] };
  };
}

export function startNode<S extends JobState>(runtime: JobRuntime<S>) {
  const { spec, now } = runtime;
  const settle = spec.start.settle;

  const started = (accepted: Accepted<S>): Partial<JobState> =>
    ({
      state: accepted.state,
      queuePosition: accepted.queuePosition,
      ...accepted.update,
      intent: null,
      retryAt: null,
      error: null,
    }) as Partial<JobState>;

  const refused = async (
    state: S,
    error: RateLimitError,
    gate: ConcurrencyGate | undefined,
  ): Promise<Partial<JobState>> => {
    const refusals = state.startRefusals + 1;
    const retryAt = now() + retryWaitMs(refusals, error, runtime.random, runtime.retry);
    if (retryAt >= state.deadlineAt!) {
      await gate?.release(state.slotKey!);
      return {
        intent: null,
        startRefusals: refusals,
        status: "timed_out",
        error: `The deadline passed while Gumloop kept refusing the ${spec.noun.toLowerCase()}'s start (429).`,
      };
    }
    return { intent: null, retryAt, startRefusals: refusals };
  };

  /** A start that may have been sent: adopt the job if it can be found, else end as outcome_unknown. */
  const settleUnknown = async (
    state: S,
    context: StartContext,
    gate: ConcurrencyGate | undefined,
    why: string,
  ): Promise<Partial<JobState>> => {
    let settled: Settled<S> | null = null;
    if (settle !== "resend") {
      try {
        settled = await settle(state, context);
      } catch (error) {
        if (context.signal?.aborted) throw error;
        settled = { kind: "unknown", message: `Checking for it failed: ${(error as Error).message}` };
      }
    }
    if (settled?.kind === "adopted") {
      await gate?.claim(state.slotKey!);
      return started(settled.accepted);
    }
    await gate?.release(state.slotKey!);
    return { intent: null, status: "outcome_unknown", error: `${why} ${settled?.message ?? ""}`.trim() };
  };

  return async (state: S, config: LangGraphRunnableConfig): Promise<Partial<JobState>> => {
    if (jobIdOf(runtime, state)) return {};
    const { client, gate } = await runtime.bind(config, state);
    const context = startContext(runtime, config, state, client);
    const intent = state.intent;
    const armed = intent !== null && runtime.armed.delete(intent.nonce);
    if (!armed && settle !== "resend") {
      return settleUnknown(
        state,
        context,
        gate,
        `The ${spec.noun.toLowerCase()}'s start may have been sent by a process that stopped before its answer ` +
          `was saved, so it was not sent again.`,
      );
    }
    try {
      if (spec.start.send) return started(await spec.start.send(state, context));
      const { data } = await client.call(spec.start.definition, spec.start.body(state), {
        signal: config.signal,
      });
      return started(spec.start.accepted(data, state));
    } catch (error) {
      if (isRateLimitError(error)) return refused(state, error, gate);
      const recovered = spec.start.recover ? await spec.start.recover(error, state, context) : null;
      if (recovered) return started(recovered);
      // The client decides whether a failed start may have taken effect (a lost answer, a 500/502/504).
      if (settle !== "resend" && error instanceof OutcomeUnknownError) {
        return settleUnknown(state, context, gate, error.message);
      }
      // Refused for good: nothing was done, so a retry or resume in this process may send this intent.
      if (intent && provesNothingDone(error)) runtime.armed.add(intent.nonce);
      await gate?.release(state.slotKey!);
      throw error;
    }
  };
}

/** A start error that proves the request did nothing: refused by status, or never sent. */
function provesNothingDone(error: unknown): boolean {
  if (error instanceof GumloopValidationError || error instanceof APIConnectionError) return true;
  return error instanceof APIError;
}
