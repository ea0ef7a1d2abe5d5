/**
 * Agent evaluations (evaluations.yml): each agent's evaluation config, and the evaluation results it yields.
 *
 * A result exists for every finished session (completed or failed) of an agent whose config is enabled, one minute
 * after the session started (as the `interaction_evaluations` export dates them), with the same id
 * (`eval_<session id without sess_>`). Its grade, sentiment, criteria and data points are derived from the session
 * and the config, deterministically. So evaluations follow the sessions the emulator runs, and enabling evaluations
 * on an agent evaluates its history too (inference: Gumloop evaluates interactions as they finish). Only the seeded
 * research agent starts enabled.
 */
import { createHash } from "node:crypto";
import type { AreaEnv } from "../../area.js";
import type { AgentRecord, SessionRecord } from "../../world/model.js";
import { iso } from "../../world/time.js";
import { SEED_AGENTS } from "../agents/seed.js";

/** A quality criterion of a config. */
export interface Criterion {
  id: string;
  name: string;
  prompt: string;
  type: "prohibited_action" | "prohibited_words" | "voice_tone" | "other";
  priority: "needs_review" | "needs_attention";
}

/** A data point to extract. */
export interface DataPoint {
  id: string;
  name: string;
  data_type: "string" | "boolean" | "integer" | "number";
  description: string;
}

/** An agent's evaluation config, in its wire shape (`EvaluationConfig`). */
export interface EvaluationConfig {
  agent_id: string;
  enabled: boolean;
  is_active: boolean;
  model_name: string | null;
  frequency: string | null;
  language: string | null;
  include_auto_tags: boolean;
  interaction_types: string[];
  criteria: Criterion[];
  tags: { name: string; description: string }[];
  data_points: DataPoint[];
  sentiment: { enabled: boolean; affects_grade: boolean; description: string } | null;
  updated_ts: string | null;
}

/** The config an agent has before anyone sets one. */
function defaultConfig(agent: AgentRecord): EvaluationConfig {
  const seeded = agent.id === SEED_AGENTS.research;
  return {
    agent_id: agent.id,
    enabled: seeded,
    is_active: seeded,
    model_name: "anthropic/claude-sonnet-4",
    frequency: "debounced",
    language: "auto",
    include_auto_tags: true,
    interaction_types: [],
    criteria: seeded
      ? [
          {
            id: "crit_1",
            name: "Cites sources",
            prompt: "The report cites its sources.",
            type: "other",
            priority: "needs_attention",
          },
          {
            id: "crit_2",
            name: "Plain language",
            prompt: "The reply avoids jargon.",
            type: "voice_tone",
            priority: "needs_review",
          },
        ]
      : [],
    tags: seeded
      ? [
          { name: "MARKET_RESEARCH", description: "A market or industry question." },
          { name: "TECH_RESEARCH", description: "A technology question." },
        ]
      : [],
    data_points: seeded
      ? [
          {
            id: "dp_1",
            name: "Sources cited",
            data_type: "integer",
            description: "How many sources the report lists.",
          },
        ]
      : [],
    sentiment: { enabled: true, affects_grade: false, description: "The user's tone in the last message." },
    updated_ts: null,
  };
}

/** The agent's config (created with the defaults on first use). */
export function configOf(env: AreaEnv, agent: AgentRecord): EvaluationConfig {
  const configs = env.store.area("evaluations", () => new Map<string, EvaluationConfig>());
  let config = configs.get(agent.id);
  if (!config) configs.set(agent.id, (config = defaultConfig(agent)));
  return config;
}

/** A stable number in [0, n) for a session (so results repeat run to run). */
function pick(sessionId: string, salt: string, n: number): number {
  return createHash("sha256").update(`${salt}:${sessionId}`).digest().readUInt32BE(0) % n;
}

const GRADES = ["pass", "pass", "needs_review", "needs_attention"] as const;
const SENTIMENTS = ["positive", "neutral", "negative"] as const;

/** An evaluation result on the wire (`EvaluationResult`), and when it was created. */
export interface Evaluation {
  readonly createdAt: number;
  readonly view: Record<string, unknown>;
}

/** The evaluation of a finished session under `config`. */
function evaluate(session: SessionRecord, config: EvaluationConfig): Evaluation {
  const failed = session.state === "failed";
  const grade = failed ? "needs_attention" : GRADES[pick(session.id, "grade", GRADES.length)]!;
  const topic = session.messages.find((m) => m.role === "user")?.content ?? session.name ?? session.id;
  const createdAt = session.createdAt + 60_000;
  return {
    createdAt,
    view: {
      evaluation_id: `eval_${session.id.replace(/^sess_/, "")}`,
      interaction_id: session.id,
      agent_id: session.agentId,
      created_ts: iso(createdAt),
      status: "completed",
      grade,
      call_successful: failed ? "failure" : "success",
      sentiment: config.sentiment?.enabled
        ? SENTIMENTS[pick(session.id, "sentiment", SENTIMENTS.length)]!
        : null,
      summary: failed
        ? `The agent could not complete "${topic}".`
        : `The agent answered "${topic}" and the user had what they asked for.`,
      criteria_results: config.criteria.map((criterion, i) => ({
        id: criterion.id,
        name: criterion.name,
        type: criterion.type,
        priority: criterion.priority,
        result:
          failed && i === 0 ? "failure" : grade === "pass" ? "success" : i === 0 ? "failure" : "success",
        rationale: `Checked against: ${criterion.prompt}`,
      })),
      data_results: config.data_points.map((point) => ({
        id: point.id,
        name: point.name,
        data_type: point.data_type,
        value: { string: topic, boolean: !failed, integer: failed ? 0 : 3, number: failed ? 0 : 8.5 }[
          point.data_type
        ],
      })),
      applied_tags: config.tags.length
        ? [config.tags[pick(session.id, "tag", config.tags.length)]!.name]
        : [],
    },
  };
}

/** The agent's evaluations visible at `now`, newest first (none while its config is disabled). */
export function evaluationsOf(env: AreaEnv, agent: AgentRecord, now: number): Evaluation[] {
  const config = configOf(env, agent);
  if (!config.enabled) return [];
  return [...env.store.sessions.values()]
    .filter((s) => s.agentId === agent.id && (s.state === "completed" || s.state === "failed"))
    .map((session) => evaluate(session, config))
    .filter((evaluation) => evaluation.createdAt <= now)
    .sort(
      (a, b) =>
        b.createdAt - a.createdAt || String(a.view.evaluation_id).localeCompare(String(b.view.evaluation_id)),
    );
}
