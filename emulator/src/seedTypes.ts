/** Shapes accepted by the `seedData` option. Each area documents and reads its own keys. */
import type { AgentBehavior } from "./world/model.js";

/** An extra agent for the seed. Fields mirror the create-agent body; `behavior` picks what a run does. */
export interface SeedAgent {
  /** @default a generated id */
  id?: string;
  name: string;
  /** @default "anthropic/claude-sonnet-4" */
  model_name?: string;
  /** @default null */
  description?: string | null;
  /** @default null */
  system_prompt?: string | null;
  /** @default [] */
  tools?: Record<string, unknown>[];
  /** @default {} */
  metadata?: Record<string, unknown>;
  /** Owning team. @default the default user's team (or the other user's, with `owner: "otherUser"`) */
  team_id?: string;
  /** Whose agent it is. @default "user" */
  owner?: "user" | "otherUser";
  /** What a run does. @default inferred from the name (see `behaviorForName`) */
  behavior?: AgentBehavior;
  /** @default 0 */
  active_trigger_count?: number;
  /** ISO 8601. @default a fixed date before the clock start */
  created_at?: string;
}

/** An extra artifact (one version) for the seed. */
export interface SeedArtifact {
  /** @default a generated id */
  id?: string;
  agent_id: string;
  /** @default null */
  session_id?: string | null;
  filename: string;
  media_type: string;
  /** File content: text is stored as UTF-8. */
  content: string | Uint8Array;
  /** ISO 8601. @default a fixed date before the clock start */
  created_at?: string;
}

/**
 * Extra seed records. `agents` and `artifacts` are read by the agents and artifacts areas; other areas add keys of
 * their own (e.g. `flows`), which is why unknown keys are allowed.
 */
export interface SeedData {
  agents?: SeedAgent[];
  artifacts?: SeedArtifact[];
  [area: string]: unknown;
}
