/** Agent records: access checks, wire views, and how an agent's name picks its emulated behaviour. */
import type { RequestContext } from "../../server/context.js";
import { forbidden, notFound } from "../../server/errors.js";
import type { AgentBehavior, AgentRecord } from "../../world/model.js";
import type { Store } from "../../world/store.js";
import { iso } from "../../world/time.js";

/**
 * The emulated behaviour for an agent name, so agents created over the API act like the seeded ones:
 * "research" → research report with artifacts, "flaky"/"fail" → fails, "approval" → pauses for approval, else
 * an echo-like assistant.
 */
export function behaviorForName(name: string): AgentBehavior {
  if (/research/i.test(name)) return "research";
  if (/flaky|fail/i.test(name)) return "flaky";
  if (/approv/i.test(name)) return "approval";
  return "echo";
}

/**
 * The agent with `agentId`, if the caller may see it: 404 when unknown or retired (Oct spec: retired agents 404),
 * 403 when it belongs to a team the caller is not in.
 */
export function requireAgent(ctx: RequestContext, agentId: string): AgentRecord {
  const agent = ctx.env.store.agents.get(agentId);
  if (!agent || !agent.isActive) throw notFound("Agent", agentId);
  if (!ctx.canAccessTeam(agent.teamId)) throw forbidden(`You do not have access to agent ${agentId}.`);
  return agent;
}

/** Keys dropped from tool objects: Gumloop strips secret references and redacts MCP server URLs. */
const SECRET_KEYS = new Set([
  "secret_id",
  "secret_ref",
  "secret_refs",
  "secrets",
  "api_key",
  "mcp_server_url",
]);

/** Tool objects as returned on the wire. */
export function publicTools(tools: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  return tools.map((tool) =>
    Object.fromEntries(Object.entries(tool).filter(([key]) => !SECRET_KEYS.has(key))),
  );
}

/** The agent object of retrieve / create / update. */
export function agentView(store: Store, agent: AgentRecord): Record<string, unknown> {
  return {
    id: agent.id,
    name: agent.name,
    description: agent.description,
    team_id: agent.teamId,
    is_active: agent.isActive,
    tools: publicTools(agent.tools),
    metadata: structuredClone(agent.metadata),
    model_name: agent.modelName,
    system_prompt: agent.systemPrompt,
    resources: structuredClone(agent.resources),
    skill_ids: [...agent.skillIds],
    folder_id: agent.folderId,
    type: null,
    created_at: iso(agent.createdAt),
    // "Populated on list responses; may be null here" (spec); the examples show null.
    active_trigger_count: null,
    creator: store.creatorView(agent.creatorId),
  };
}

/** Options of {@link agentListItem}. */
export interface ListItemOptions {
  includeLastUsed: boolean;
  includeLastUpdated: boolean;
}

/** A list item of `GET /agents`: no `creator`/`type`, `skill_ids: null` ("null on the list endpoint"). */
export function agentListItem(agent: AgentRecord, options: ListItemOptions): Record<string, unknown> {
  const item: Record<string, unknown> = {
    id: agent.id,
    name: agent.name,
    description: agent.description,
    team_id: agent.teamId,
    is_active: agent.isActive,
    model_name: agent.modelName,
    system_prompt: agent.systemPrompt,
    tools: publicTools(agent.tools),
    resources: structuredClone(agent.resources),
    metadata: structuredClone(agent.metadata),
    folder_id: agent.folderId,
    created_at: iso(agent.createdAt),
    active_trigger_count: agent.activeTriggerCount,
    skill_ids: null,
  };
  if (options.includeLastUsed) item.last_used_at = agent.lastUsedAt === null ? null : iso(agent.lastUsedAt);
  if (options.includeLastUpdated) item.last_updated_at = iso(agent.updatedAt);
  return item;
}

/** True when the agent uses MCP server `serverId` as a tool (tool shapes vary; several keys are checked). */
export function usesServer(agent: AgentRecord, serverId: string): boolean {
  return agent.tools.some((t) => t.server === serverId || t.server_id === serverId || t.id === serverId);
}

/** True when the agent uses saved flow `flowId` as a tool. */
export function usesFlow(agent: AgentRecord, flowId: string): boolean {
  return agent.tools.some(
    (t) => t.saved_item_id === flowId || t.flow_id === flowId || (t.type === "flow" && t.id === flowId),
  );
}
