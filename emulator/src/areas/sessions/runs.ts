/**
 * Agent runs. A run is a scheduler job in the "agents" pool: `queued` until it gets a slot, `processing` while
 * it holds one, and when its duration is over the agent's behaviour decides the outcome (assistant reply,
 * artifacts, `completed` / `failed` / `approval_required`). All of it happens at clock time, lazily.
 */
import type { AreaEnv } from "../../area.js";
import { startJob } from "../../world/concurrency.js";
import type {
  AgentRecord,
  MessageRecord,
  PendingApprovalRecord,
  SessionRecord,
  UsageRecord,
} from "../../world/model.js";
import type { Job, Overflow } from "../../world/scheduler.js";
import { logPosition, runStartPosition, truncateLog } from "./streamLog.js";
import {
  streamRunAccepted,
  streamRunCancelled,
  streamRunFinished,
  streamRunRefused,
  streamRunStarted,
} from "./streamRun.js";
import { addArtifact } from "../artifacts/store.js";
import {
  researchFilenames,
  researchReply,
  researchReportMarkdown,
  researchSourcesCsv,
  topicOf,
} from "./research.js";

/** Why a run was started. */
export type RunReason =
  | { type: "turn"; input: string }
  | { type: "approval"; accepted: boolean; toolName: string; reasons: string[] };

/** A text message record. */
export function textMessage(
  env: AreaEnv,
  role: MessageRecord["role"],
  text: string,
  at: number,
  creatorId: string | null,
  extraParts: Record<string, unknown>[] = [],
): MessageRecord {
  return {
    id: env.ids.next("msg_", 10),
    role,
    content: text,
    parts: [{ type: "text", text }, ...extraParts],
    createdAt: at,
    creatorId,
  };
}

/** A usage record with every count null ("null until the first run records usage"). */
export function emptyUsage(): UsageRecord {
  return {
    creditCost: null,
    toolCreditCost: null,
    flowCreditCost: null,
    inputTokens: null,
    cachedInputTokens: null,
    cacheWriteInputTokens: null,
    outputTokens: null,
    reasoningTokens: null,
  };
}

/** Rough token count (4 characters per token), good enough for plausible usage numbers. */
function tokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function addUsage(usage: UsageRecord, input: string, output: string, tool: boolean): void {
  const inTok = tokens(input);
  const outTok = tokens(output);
  const credits = Math.round((inTok * 0.003 + outTok * 0.015) * 100) / 100 + (tool ? 1 : 0);
  usage.inputTokens = (usage.inputTokens ?? 0) + inTok;
  usage.outputTokens = (usage.outputTokens ?? 0) + outTok;
  usage.cachedInputTokens = usage.cachedInputTokens ?? 0;
  usage.cacheWriteInputTokens = usage.cacheWriteInputTokens ?? 0;
  usage.reasoningTokens = usage.reasoningTokens ?? 0;
  usage.toolCreditCost = (usage.toolCreditCost ?? 0) + (tool ? 1 : 0);
  usage.flowCreditCost = usage.flowCreditCost ?? 0;
  usage.creditCost = Math.round(((usage.creditCost ?? 0) + credits) * 100) / 100;
}

/** The concurrency account of an agent: its team's organization (Pro/Enterprise limits are org-wide). */
export function accountOf(env: AreaEnv, agent: AgentRecord): string {
  return env.store.teams.get(agent.teamId)?.orgId ?? agent.teamId;
}

/** The scheduler job of a session, if one is queued or running. */
export function activeJob(env: AreaEnv, session: SessionRecord): Job | null {
  if (session.jobId === null) return null;
  const job = env.scheduler.job(session.jobId);
  return job && (job.state === "queued" || job.state === "running") ? job : null;
}

/** `queue_position` of a session: its place in the per-agent queue, or null when not queued. */
export function queuePosition(env: AreaEnv, session: SessionRecord): number | null {
  const job = activeJob(env, session);
  return job ? env.scheduler.queuePosition(job) : null;
}

/**
 * Starts a run on `session`: takes a slot (or queues / throws 429 per plan) and sets the state to `processing`
 * or `queued`. `overflow` overrides the plan (used to resume after approvals, where Gumloop documents no 429).
 */
export function startRun(
  env: AreaEnv,
  session: SessionRecord,
  agent: AgentRecord,
  reason: RunReason,
  overflow?: Overflow,
): Job {
  const kind = reason.type === "turn" && agent.behavior === "research" ? "research" : "session";
  // The stream announces the run before it may start (it starts at once when a slot is free); a refused run (429)
  // takes its announcement back.
  const logMark = logPosition(env, session.id);
  const runMark = runStartPosition(env, session.id);
  streamRunAccepted(env, session, session.runCount + 1);
  let job: Job;
  try {
    job = startJob(env, {
      pool: "agents",
      account: accountOf(env, agent),
      group: agent.id,
      durationMs: env.duration(kind),
      ...(overflow ? { overflow } : {}),
      onStart: (_at, started) => {
        session.state = "processing";
        streamRunStarted(env, session, started, replyText(agent, reason));
      },
      onFinish: (at) => {
        finishRun(env, session, agent, reason, at);
        streamRunFinished(env, session);
      },
    });
  } catch (error) {
    truncateLog(env, session.id, logMark, runMark);
    streamRunRefused(env, session);
    throw error;
  }
  session.jobId = job.id;
  session.runCount++;
  session.state = job.state === "running" ? "processing" : "queued";
  agent.lastUsedAt = env.clock.now();
  return job;
}

/** Stops the session's run (queued or processing) and marks the session `failed`. */
export function cancelRun(env: AreaEnv, session: SessionRecord): void {
  const job = activeJob(env, session);
  if (job) env.scheduler.cancel(job, env.clock.now());
  session.jobId = null;
  session.state = "failed";
  streamRunCancelled(env, session);
}

/** The assistant's reply to a run, known from its start (the stream sends it in pieces while the run lasts). */
function replyText(agent: AgentRecord, reason: RunReason): string {
  if (reason.type === "approval") {
    if (reason.accepted) return `Done: the ${reason.toolName} action was approved and has been carried out.`;
    const why = reason.reasons.length ? ` Reason given: ${reason.reasons.join("; ")}.` : "";
    return `The ${reason.toolName} action was rejected, so I did not carry it out.${why}`;
  }
  switch (agent.behavior) {
    case "echo":
      return `You said: "${reason.input}". This is the emulated assistant's reply.`;
    case "flaky":
      return "Error: the agent run failed (emulated failure: a tool call returned HTTP 500).";
    case "research":
      return researchReply(topicOf(reason.input));
    case "approval":
      return `I drafted an email about "${reason.input}" and need your approval before sending it.`;
  }
}

/** Applies the agent's behaviour when a run's time is up. */
function finishRun(
  env: AreaEnv,
  session: SessionRecord,
  agent: AgentRecord,
  reason: RunReason,
  at: number,
): void {
  session.jobId = null;
  const text = replyText(agent, reason);
  const reply = (parts: Record<string, unknown>[] = []) => {
    session.messages.push(textMessage(env, "assistant", text, at, null, parts));
    addUsage(session.usage, reason.type === "turn" ? reason.input : "approval", text, parts.length > 0);
  };

  if (reason.type === "approval") {
    reply();
    session.state = "completed";
    return;
  }

  switch (agent.behavior) {
    case "echo":
      reply();
      session.state = "completed";
      return;
    case "flaky":
      reply();
      session.state = "failed";
      return;
    case "research": {
      const topic = topicOf(reason.input);
      const files = researchFilenames(topic);
      const common = {
        agentId: agent.id,
        sessionId: session.id,
        createdAt: at,
        creatorId: session.creatorId,
      };
      const report = addArtifact(env, {
        ...common,
        filename: files.report,
        mediaType: "text/markdown",
        content: researchReportMarkdown(topic),
      });
      const sources = addArtifact(env, {
        ...common,
        filename: files.sources,
        mediaType: "text/csv",
        content: researchSourcesCsv(topic),
      });
      reply([
        { type: "artifact", artifact_id: report.id, filename: files.report },
        { type: "artifact", artifact_id: sources.id, filename: files.sources },
      ]);
      session.state = "completed";
      return;
    }
    case "approval": {
      const ask = approvalAsk(env, session, reason.input);
      session.pendingApprovals.push(ask);
      reply([
        { type: "tool-approval-request", action_request_id: ask.actionRequestId, tool_name: ask.toolName },
      ]);
      session.state = "approval_required";
      return;
    }
  }
}

/** The ask the approval agent raises: send an email through Gmail. */
function approvalAsk(env: AreaEnv, session: SessionRecord, input: string): PendingApprovalRecord {
  return {
    actionRequestId: env.ids.next("areq_", 10),
    type: "tool_approval",
    title: "Send email",
    reason: "The agent wants to send an email on your behalf.",
    recipientUserId: session.creatorId,
    toolName: "gmail_send_email",
    serverLabel: "Gmail",
    displayFields: [
      ["To", "team@example.com"],
      ["Subject", input.length > 60 ? `${input.slice(0, 57)}...` : input],
    ],
    questions: null,
    resolution: null,
  };
}
