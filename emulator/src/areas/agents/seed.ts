/**
 * Default seed of the agents area: fixed ids, fixed dates (before the virtual clock's 2026-06-01 start), so every
 * run sees the same data. `seedData.agents` is merged in.
 */
import type { AreaEnv } from "../../area.js";
import type { AgentBehavior, AgentRecord } from "../../world/model.js";
import { parseIso } from "../../world/time.js";
import { behaviorForName } from "./records.js";

/** Ids of the seeded agents. */
export const SEED_AGENTS = {
  /** "Deep Research Agent": a topic in, a report plus `<slug>-report.md` and `<slug>-sources.csv` out. */
  research: "agtResearch0001",
  /** "General Assistant": an echo-like reply after `durations.session`. */
  assistant: "agtAssistant002",
  /** "Flaky Agent": always ends `failed`. */
  flaky: "agtFlaky0000003",
  /** "Approval Agent": pauses in `approval_required` with one pending ask. */
  approval: "agtApproval0004",
  /** "Sales Outreach Agent": in the user's second team (team scoping). */
  sales: "agtSalesTeam005",
  /** "Compiler Agent": owned by the other user (403 tests). */
  otherUsers: "agtOtherUser006",
} as const;

const at = (isoDate: string) => parseIso(isoDate)!;

interface AgentSeed {
  id: string;
  name: string;
  description: string;
  behavior: AgentBehavior;
  team: "main" | "second" | "other";
  createdAt: string;
  tools?: Record<string, unknown>[];
  triggers?: number;
}

const AGENTS: readonly AgentSeed[] = [
  {
    id: SEED_AGENTS.research,
    name: "Deep Research Agent",
    description: "Researches a topic and writes a report with sources",
    behavior: "research",
    team: "main",
    createdAt: "2026-05-01T09:00:00Z",
    tools: [
      { type: "gumcp_server", server: "web_search" },
      { type: "flow", saved_item_id: "flow_summarise01" },
    ],
    triggers: 1,
  },
  {
    id: SEED_AGENTS.assistant,
    name: "General Assistant",
    description: "Answers questions",
    behavior: "echo",
    team: "main",
    createdAt: "2026-05-02T09:00:00Z",
  },
  {
    id: SEED_AGENTS.flaky,
    name: "Flaky Agent",
    description: "Always fails (for error handling tests)",
    behavior: "flaky",
    team: "main",
    createdAt: "2026-05-03T09:00:00Z",
  },
  {
    id: SEED_AGENTS.approval,
    name: "Approval Agent",
    description: "Drafts emails and asks for approval before sending",
    behavior: "approval",
    team: "main",
    createdAt: "2026-05-04T09:00:00Z",
    tools: [{ type: "gumcp_server", server: "gmail", secret_id: "sec_gmail_1", approval_mode: "always" }],
  },
  {
    id: SEED_AGENTS.sales,
    name: "Sales Outreach Agent",
    description: "Drafts outreach for the sales team",
    behavior: "echo",
    team: "second",
    createdAt: "2026-05-05T09:00:00Z",
  },
  {
    id: SEED_AGENTS.otherUsers,
    name: "Compiler Agent",
    description: "Belongs to another user",
    behavior: "echo",
    team: "other",
    createdAt: "2026-05-06T09:00:00Z",
  },
];

function agentRecord(
  env: AreaEnv,
  init: Partial<AgentRecord> & Pick<AgentRecord, "id" | "name" | "teamId">,
): AgentRecord {
  const createdAt = init.createdAt ?? at("2026-05-10T09:00:00Z");
  return {
    description: null,
    isActive: true,
    tools: [],
    resources: [],
    metadata: {},
    modelName: "anthropic/claude-sonnet-4",
    systemPrompt: null,
    skillIds: [],
    folderId: null,
    updatedAt: createdAt,
    lastUsedAt: null,
    activeTriggerCount: 0,
    creatorId: env.identity.userId,
    iconUrl: null,
    behavior: behaviorForName(init.name),
    ...init,
    createdAt,
  };
}

/** Seeds the default agents, then `seedData.agents`. */
export function seedAgents(env: AreaEnv): void {
  const { identity } = env;
  const teams = { main: identity.teamId, second: identity.secondTeamId, other: identity.otherUser.teamId };
  for (const seed of AGENTS) {
    const agent = agentRecord(env, {
      id: seed.id,
      name: seed.name,
      description: seed.description,
      teamId: teams[seed.team],
      behavior: seed.behavior,
      tools: seed.tools ?? [],
      activeTriggerCount: seed.triggers ?? 0,
      createdAt: at(seed.createdAt),
      creatorId: seed.team === "other" ? identity.otherUser.userId : identity.userId,
    });
    env.store.agents.set(agent.id, agent);
  }
  for (const extra of env.options.seedData.agents ?? []) {
    const other = extra.owner === "otherUser";
    const agent = agentRecord(env, {
      id: extra.id ?? env.ids.next("", 15),
      name: extra.name,
      teamId: extra.team_id ?? (other ? identity.otherUser.teamId : identity.teamId),
      creatorId: other ? identity.otherUser.userId : identity.userId,
      description: extra.description ?? null,
      systemPrompt: extra.system_prompt ?? null,
      modelName: extra.model_name ?? "anthropic/claude-sonnet-4",
      tools: extra.tools ?? [],
      metadata: extra.metadata ?? {},
      behavior: extra.behavior ?? behaviorForName(extra.name),
      activeTriggerCount: extra.active_trigger_count ?? 0,
      createdAt: extra.created_at
        ? (parseIso(extra.created_at) ?? at("2026-05-10T09:00:00Z"))
        : at("2026-05-10T09:00:00Z"),
    });
    env.store.agents.set(agent.id, agent);
  }
}
