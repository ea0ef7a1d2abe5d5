/** Agents (agents.yml): list, create, retrieve, update. */
import { defineArea, type AreaEnv } from "../../area.js";
import { json, type RequestContext, type Reply } from "../../server/context.js";
import { ApiError, conflict, forbidden, invalidRequest } from "../../server/errors.js";
import type { AgentRecord } from "../../world/model.js";
import { offsetPage, parsePageSize } from "../../server/pagination.js";
import {
  booleanField,
  booleanQuery,
  objectArrayField,
  objectField,
  stringArrayField,
  stringField,
} from "../../server/validate.js";
import { agentListItem, agentView, behaviorForName, requireAgent, usesFlow, usesServer } from "./records.js";
import { seedAgents } from "./seed.js";

const SORTS = ["newest", "oldest", "name_asc", "name_desc"] as const;
type Sort = (typeof SORTS)[number];

const COMPARATORS: Record<Sort, (a: AgentRecord, b: AgentRecord) => number> = {
  newest: (a, b) => b.createdAt - a.createdAt || a.id.localeCompare(b.id),
  oldest: (a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id),
  name_asc: (a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id),
  name_desc: (a, b) => b.name.localeCompare(a.name) || a.id.localeCompare(b.id),
};

/** Agent ids end up in URLs; caller-supplied ones are held to a safe alphabet (inference: rule unknown). */
const AGENT_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/** A boolean query value; anything but true/false/1/0 is ignored (agents.yml declares no 400 for the list). */
function lenientBoolean(value: string | undefined): boolean | undefined {
  try {
    return booleanQuery(value, "query");
  } catch {
    return undefined;
  }
}

function listAgents(ctx: RequestContext): Reply {
  const teamId = ctx.teamScope("query");
  const search = ctx.queryParam("search")?.toLowerCase();
  const creator = ctx.queryParam("creator");
  const hasTriggers = lenientBoolean(ctx.queryParam("has_triggers"));
  const tool = ctx.queryParam("tool");
  const flow = ctx.queryParam("flow");
  // The Oct spec's sort_order, page_size and cursor answer bad values with 400; the Jul spec we serve declares no
  // 400 for this list, so an unknown sort is the default one (and see parsePageSize / offsetPage).
  const asked = ctx.queryParam("sort_order") as Sort | undefined;
  const sort: Sort = asked && SORTS.includes(asked) ? asked : "newest";
  const includeLastUsed = lenientBoolean(ctx.queryParam("include_last_used")) ?? false;
  const includeLastUpdated = lenientBoolean(ctx.queryParam("include_last_updated")) ?? false;

  const agents = [...ctx.env.store.agents.values()]
    .filter((a) => a.isActive)
    // team_id scopes to a team; without it, "agents owned by the authenticated user".
    .filter((a) =>
      teamId ? a.teamId === teamId : a.creatorId === ctx.caller.userId && ctx.canAccessTeam(a.teamId),
    )
    .filter((a) => !search || a.name.toLowerCase().includes(search))
    .filter((a) => !creator || a.creatorId === creator)
    .filter((a) => hasTriggers === undefined || a.activeTriggerCount > 0 === hasTriggers)
    .filter((a) => !tool || usesServer(a, tool))
    .filter((a) => !flow || usesFlow(a, flow))
    .sort(COMPARATORS[sort]);
  const items = (list: AgentRecord[]) =>
    list.map((a) => agentListItem(a, { includeLastUsed, includeLastUpdated }));

  // Oct spec: sending page_size or cursor opts into cursor pagination; neither returns the full list.
  const pageSizeParam = ctx.queryParam("page_size");
  const cursor = ctx.queryParam("cursor");
  if (pageSizeParam === undefined && cursor === undefined)
    return json(200, { agents: items(agents), next_cursor: null });
  const pageSize = parsePageSize(pageSizeParam, { lenient: true });
  const fingerprint = JSON.stringify([teamId, search, creator, hasTriggers, tool, flow, sort]);
  const { page, nextCursor } = offsetPage(agents, pageSize, cursor, fingerprint, { lenient: true });
  return json(200, { agents: items(page), next_cursor: nextCursor });
}

function createAgent(ctx: RequestContext): Reply {
  const body = ctx.jsonObject();
  const name = stringField(body, "name", { required: true, nonEmpty: true })!;
  const modelName = stringField(body, "model_name", { required: true, nonEmpty: true })!;
  const description = stringField(body, "description", { nullable: true }) ?? null;
  const systemPrompt = stringField(body, "system_prompt", { nullable: true }) ?? null;
  const tools = objectArrayField(body, "tools", true) ?? [];
  const resources = objectArrayField(body, "resources", true) ?? [];
  const skillIds = stringArrayField(body, "skill_ids", true) ?? [];
  const metadata = objectField(body, "metadata", true) ?? {};
  const folderId = stringField(body, "folder_id", { nullable: true }) ?? null;
  const isActive = booleanField(body, "is_active") ?? true;
  const agentId = stringField(body, "agent_id", { nullable: true, nonEmpty: true });
  if (agentId && !AGENT_ID_PATTERN.test(agentId)) {
    throw invalidRequest("agent_id may contain only letters, digits, '_' and '-' (1-128 chars)", "agent_id");
  }
  // The SDK puts a team key's team_id in the body here, not the query.
  const scopedTeam = ctx.teamScope("any");
  const teamId = scopedTeam ?? ctx.env.store.users.get(ctx.caller.userId)?.defaultTeamId;
  if (!teamId) throw forbidden("You cannot create agents without a team.");
  if (agentId && ctx.env.store.agents.has(agentId)) {
    // Inference: Gumloop does not document what a duplicate caller-supplied agent_id does. A conflict, answered 400
    // because this operation declares no 409 (server/declared.ts).
    throw conflict("agent_already_exists", `An agent with id ${agentId} already exists.`, {
      agent_id: agentId,
    });
  }
  const invalid = ctx.env.hooks.invalidSkillIds?.(skillIds, ctx.caller) ?? [];
  if (invalid.length > 0) {
    // The attach happens "inside the create transaction, so an invalid ID fails the whole request".
    throw new ApiError(400, "invalid_request", `Unknown or unusable skill ids: ${invalid.join(", ")}`, {
      param: "skill_ids",
      details: { skill_ids: invalid },
    });
  }
  const now = ctx.now;
  const agent: AgentRecord = {
    id: agentId ?? ctx.env.ids.next("", 15),
    name,
    description,
    teamId,
    isActive,
    tools: structuredClone(tools),
    resources: structuredClone(resources),
    metadata: structuredClone(metadata),
    modelName,
    systemPrompt,
    skillIds: [...new Set(skillIds)],
    folderId,
    createdAt: now,
    updatedAt: now,
    lastUsedAt: null,
    activeTriggerCount: 0,
    creatorId: ctx.caller.userId,
    iconUrl: null,
    behavior: behaviorForName(name),
  };
  ctx.env.store.agents.set(agent.id, agent);
  return json(201, { agent: agentView(ctx.env.store, agent) });
}

function retrieveAgent(ctx: RequestContext): Reply {
  return json(200, { agent: agentView(ctx.env.store, requireAgent(ctx, ctx.param("agent_id"))) });
}

function updateAgent(ctx: RequestContext): Reply {
  const agent = requireAgent(ctx, ctx.param("agent_id"));
  const body = ctx.jsonObject();
  // Validate every field first so a bad one changes nothing.
  const name = stringField(body, "name", { nullable: true, nonEmpty: true });
  const modelName = stringField(body, "model_name", { nullable: true, nonEmpty: true });
  const description = stringField(body, "description", { nullable: true });
  const systemPrompt = stringField(body, "system_prompt", { nullable: true });
  const tools = objectArrayField(body, "tools", true);
  const resources = objectArrayField(body, "resources", true);
  const metadata = objectField(body, "metadata", true);
  const isActive = booleanField(body, "is_active", true);
  // folder_id is documented on create, not on PATCH; accepting it here too is an inference (the tool never sends it).
  const folderId = stringField(body, "folder_id", { nullable: true });
  const teamId = stringField(body, "team_id", { nullable: true, nonEmpty: true });
  if (teamId) {
    if (!ctx.env.store.teams.has(teamId) || !ctx.canAccessTeam(teamId)) {
      throw forbidden(`You cannot move agents to team ${teamId}.`);
    }
  }
  // null on a non-nullable field (name, tools, ...) means "leave it", like an omitted field.
  if (typeof name === "string") agent.name = name;
  if (modelName !== undefined) agent.modelName = modelName;
  if (description !== undefined) agent.description = description;
  if (systemPrompt !== undefined) agent.systemPrompt = systemPrompt;
  if (tools) agent.tools = structuredClone(tools);
  if (resources) agent.resources = structuredClone(resources);
  if (metadata) agent.metadata = structuredClone(metadata);
  if (folderId !== undefined) agent.folderId = folderId;
  if (teamId) agent.teamId = teamId;
  // Oct spec: is_active=false retires the agent for good (404 afterwards); true never revives one.
  if (isActive === false) agent.isActive = false;
  agent.updatedAt = ctx.now;
  return json(200, { agent: agentView(ctx.env.store, agent) });
}

/** Read-only counts for `inspect()`. */
export interface AgentsSnapshot {
  total: number;
  active: number;
  ids: string[];
}

/** The agents area. */
export const agentsArea = defineArea({
  name: "agents",
  seed: (env: AreaEnv) => seedAgents(env),
  routes(r) {
    r.get("/agents", listAgents, { statuses: [200, 401, 403, 500] });
    r.post("/agents", createAgent, { statuses: [201, 400, 401, 403, 500] });
    r.get("/agents/{agent_id}", retrieveAgent, { statuses: [200, 401, 403, 404, 500] });
    r.patch("/agents/{agent_id}", updateAgent, { statuses: [200, 400, 401, 403, 404, 500] });
  },
  inspect(env): AgentsSnapshot {
    const all = [...env.store.agents.values()];
    return { total: all.length, active: all.filter((a) => a.isActive).length, ids: all.map((a) => a.id) };
  },
});
