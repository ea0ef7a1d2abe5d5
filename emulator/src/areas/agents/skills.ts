/**
 * `PATCH /agents/{agent_id}/skills` (agents.yml `updateAgentSkills`): attach and detach skills by deltas. Not a
 * replace-list: skills not named are left alone; repeating an attach or a detach is reported under
 * `already_attached` / `already_detached` instead of failing. One id in both lists, more than 100 unique ids, or an
 * attach of a skill that does not exist (or was deleted) is a 400; an attach of a skill the caller may not invoke
 * (another team's) is a 403; both name the offending ids in `error.details.skill_ids`. Detaching is permissive, so
 * a stale attachment can always be removed.
 */
import { defineArea } from "../../area.js";
import { json, type RequestContext, type Reply } from "../../server/context.js";
import { ApiError, forbidden, invalidRequest } from "../../server/errors.js";
import { stringArrayField } from "../../server/validate.js";
import { requireAgent } from "./records.js";

/** The most unique skill ids one request may name (attach and detach together). */
export const MAX_SKILL_DELTA = 100;

function refused(error: ApiError, skillIds: string[]): ApiError {
  return new ApiError(error.status, error.code, error.message, {
    param: error.param,
    details: { skill_ids: skillIds },
  });
}

function updateAgentSkills(ctx: RequestContext): Reply {
  const agent = requireAgent(ctx, ctx.param("agent_id"));
  const body = ctx.jsonObject();
  const attach = [...new Set(stringArrayField(body, "attach", true) ?? [])];
  const detach = [...new Set(stringArrayField(body, "detach", true) ?? [])];
  const both = attach.filter((id) => detach.includes(id));
  if (both.length > 0) {
    throw refused(invalidRequest("A skill id may not be in both attach and detach", "attach"), both);
  }
  if (attach.length + detach.length > MAX_SKILL_DELTA) {
    throw invalidRequest(`At most ${MAX_SKILL_DELTA} unique skill ids per request`, "attach");
  }
  const current = new Set(agent.skillIds);
  const toAttach = attach.filter((id) => !current.has(id));
  const access = ctx.env.hooks.skillAccess?.(toAttach, ctx.caller) ?? { missing: [], forbidden: [] };
  if (access.missing.length > 0) {
    const error = invalidRequest(`Unknown or inactive skill ids: ${access.missing.join(", ")}`, "attach");
    throw refused(error, access.missing);
  }
  if (access.forbidden.length > 0) {
    const error = forbidden(`You may not invoke skills ${access.forbidden.join(", ")}.`);
    throw refused(error, access.forbidden);
  }
  const toDetach = detach.filter((id) => current.has(id));
  agent.skillIds = [...agent.skillIds.filter((id) => !toDetach.includes(id)), ...toAttach];
  agent.updatedAt = ctx.now;
  return json(200, {
    agent_id: agent.id,
    skill_ids: [...agent.skillIds],
    attached: toAttach,
    detached: toDetach,
    already_attached: attach.filter((id) => !toAttach.includes(id)),
    already_detached: detach.filter((id) => !toDetach.includes(id)),
  });
}

/** The agent-skills area. */
export const agentSkillsArea = defineArea({
  name: "agentSkills",
  routes(r) {
    r.patch("/agents/{agent_id}/skills", updateAgentSkills, { statuses: [200, 400, 401, 403, 404, 500] });
  },
});
