/**
 * Skills (skills.yml; tools 32–36): upload a skill package, list, replace with a new version, download a version
 * as a `.skill` zip through a signed URL, and soft-delete.
 *
 * Scoping follows the agents area: a skill belongs to a team (`team_id`; without one, the caller's default team)
 * and records its creator. A list without `team_id` returns the skills the caller created ("owned by the
 * authenticated user"); with it, that team's skills. Another team's skill is a 403.
 */
import { defineArea, type AreaEnv } from "../../area.js";
import { json, type RequestContext, type Reply } from "../../server/context.js";
import { forbidden, invalidRequest, notFound } from "../../server/errors.js";
import { offsetPage, parsePageSize } from "../../server/pagination.js";
import { putBlob } from "../../server/signing.js";
import { readSkillUpload } from "./package.js";
import {
  addSkill,
  addSkillVersion,
  currentVersion,
  invalidSkillIds,
  skillAccess,
  seedSkills,
  SKILL_BLOB_KIND,
  skillRecords,
  skillView,
  type SkillRecord,
} from "./store.js";

export { SEED_SKILLS, SEED_SKILL_VERSIONS, type SeedSkill } from "./store.js";

const SORTS = ["newest", "popular", "most_used"] as const;
type Sort = (typeof SORTS)[number];

const byNewest = (a: SkillRecord, b: SkillRecord) => b.createdAt - a.createdAt || a.id.localeCompare(b.id);

/** `popular` is read as most viewed and `most_used` as highest usage_count (inference: not defined in the docs). */
const COMPARATORS: Record<Sort, (a: SkillRecord, b: SkillRecord) => number> = {
  newest: byNewest,
  popular: (a, b) => b.viewCount - a.viewCount || byNewest(a, b),
  most_used: (a, b) => b.usageCount - a.usageCount || byNewest(a, b),
};

/**
 * `unused` is documented as "when set, filters to skills that have not been used". Any value counts as set
 * except an explicit `false` / `0` (inference), so `unused=false` does not invert the filter's meaning.
 */
function unusedFlag(value: string | undefined): boolean {
  if (value === undefined) return false;
  return !["false", "0"].includes(value.trim().toLowerCase());
}

/** The skill, if the caller may touch it: 404 unknown or deleted, 403 another team's. */
function requireSkill(ctx: RequestContext): SkillRecord {
  const skillId = ctx.param("skill_id");
  const skill = skillRecords(ctx.env.store).get(skillId);
  if (!skill || skill.deleted) throw notFound("Skill", skillId);
  if (!ctx.canAccessTeam(skill.teamId)) throw forbidden(`You do not have access to skill ${skillId}.`);
  return skill;
}

/** The skill ids attached to an agent the caller can see; none for an unknown or foreign agent. */
function attachedSkillIds(ctx: RequestContext, agentId: string): Set<string> {
  // Inference: the list documents no 404, so an unknown (or foreign) agent simply matches no skills.
  const agent = ctx.env.store.agents.get(agentId);
  if (!agent || !agent.isActive || !ctx.canAccessTeam(agent.teamId)) return new Set();
  return new Set(agent.skillIds);
}

function listSkills(ctx: RequestContext): Reply {
  const teamId = ctx.teamScope("query");
  const search = ctx.queryParam("search_query")?.toLowerCase() || undefined;
  const sort = (ctx.queryParam("sort_order") || "newest") as Sort;
  if (!SORTS.includes(sort)) {
    throw invalidRequest(`sort_order must be one of ${SORTS.join(", ")}`, "sort_order", "invalid_sort");
  }
  const pageSize = parsePageSize(ctx.queryParam("page_size"), { clamp: true });
  const creator = ctx.queryParam("creator_user_id") || undefined;
  const related = ctx.queryParam("related_server_id") || undefined;
  const agentId = ctx.queryParam("agent_id") || undefined;
  const attached = agentId ? attachedSkillIds(ctx, agentId) : null;
  const unused = unusedFlag(ctx.queryParam("unused"));

  const skills = [...skillRecords(ctx.env.store).values()]
    .filter((s) => !s.deleted)
    .filter((s) =>
      teamId ? s.teamId === teamId : s.creatorId === ctx.caller.userId && ctx.canAccessTeam(s.teamId),
    )
    .filter((s) => !search || currentVersion(s).name.toLowerCase().includes(search))
    .filter((s) => !creator || s.creatorId === creator)
    .filter((s) => {
      if (!related) return true;
      const ids = currentVersion(s).metadata.related_server_ids;
      return Array.isArray(ids) && ids.includes(related);
    })
    .filter((s) => !attached || attached.has(s.id))
    .filter((s) => !unused || (s.usageCount === 0 && s.lastUsedAt === null))
    .sort(COMPARATORS[sort]);
  const fingerprint = JSON.stringify([teamId, search, sort, creator, related, agentId, unused]);
  const { page, nextCursor } = offsetPage(skills, pageSize, ctx.queryParam("cursor"), fingerprint);
  return json(200, {
    skills: page.map((s) => skillView(ctx.env.store, s)),
    next_cursor: nextCursor,
    total_count: skills.length,
  });
}

function createSkill(ctx: RequestContext): Reply {
  const body = ctx.multipart();
  // Gumloop reads team_id from the form field here (the SDK sends it there), not from the query.
  const scoped = ctx.teamScope("body");
  const teamId = scoped ?? ctx.env.store.users.get(ctx.caller.userId)?.defaultTeamId;
  if (!teamId) throw forbidden("You cannot create skills without a team.");
  const pkg = readSkillUpload(body);
  const skill = addSkill(ctx.env, { teamId, creatorId: ctx.caller.userId, pkg, at: ctx.now });
  return json(201, { skill: skillView(ctx.env.store, skill) });
}

function updateSkill(ctx: RequestContext): Reply {
  const skill = requireSkill(ctx);
  const pkg = readSkillUpload(ctx.multipart());
  addSkillVersion(ctx.env, skill, pkg, ctx.now, ctx.caller.userId);
  return json(200, { skill: skillView(ctx.env.store, skill) });
}

function deleteSkill(ctx: RequestContext): Reply {
  const skill = requireSkill(ctx);
  skill.deleted = true;
  skill.updatedAt = ctx.now;
  // URLs handed out earlier stop working too (404 NoSuchKey from storage).
  for (const version of skill.versions) ctx.env.store.blobs.delete(`${SKILL_BLOB_KIND}/${version.versionId}`);
  return json(200, { deleted: true });
}

/** `<skill name>.skill`, with path separators and control characters replaced (they cannot be in a URL path). */
function archiveName(name: string): string {
  return `${name.replace(/[/\\\x00-\x1f\x7f]/g, "_")}.skill`;
}

function downloadSkill(ctx: RequestContext): Reply {
  const skill = requireSkill(ctx);
  const versionId = ctx.queryParam("version_id") || undefined;
  const version = versionId ? skill.versions.find((v) => v.versionId === versionId) : currentVersion(skill);
  if (!version) throw notFound("Skill version", versionId!);
  const filename = archiveName(currentVersion(skill).name);
  putBlob(ctx.env.store, SKILL_BLOB_KIND, version.versionId, {
    bytes: version.zip,
    mediaType: "application/zip",
    filename,
  });
  return json(200, {
    download_url: ctx.env.signer.sign(SKILL_BLOB_KIND, version.versionId, filename),
    filename,
    media_type: "application/zip",
    size: version.zip.length,
    id: skill.id,
    version_id: version.versionId,
    major_version: version.majorVersion,
  });
}

/** Read-only counts for `inspect()`. */
export interface SkillsSnapshot {
  total: number;
  deleted: number;
  ids: string[];
}

/** The skills area. */
export const skillsArea = defineArea({
  name: "skills",
  seed(env: AreaEnv) {
    seedSkills(env);
    env.hooks.invalidSkillIds = (skillIds, principal) => invalidSkillIds(env.store, skillIds, principal);
    env.hooks.skillAccess = (skillIds, principal) => skillAccess(env.store, skillIds, principal);
  },
  routes(r) {
    r.get("/skills", listSkills, { statuses: [200, 400, 401, 403, 500] });
    r.post("/skills", createSkill, { statuses: [201, 400, 401, 403, 413, 500] });
    r.patch("/skills/{skill_id}", updateSkill, { statuses: [200, 400, 401, 403, 404, 413, 500] });
    r.delete("/skills/{skill_id}", deleteSkill, { statuses: [200, 401, 403, 404, 500] });
    r.get("/skills/{skill_id}/download", downloadSkill, { statuses: [200, 401, 403, 404, 502] });
  },
  inspect(env): SkillsSnapshot {
    const all = [...skillRecords(env.store).values()];
    const live = all.filter((s) => !s.deleted);
    return { total: live.length, deleted: all.length - live.length, ids: live.map((s) => s.id) };
  },
});
