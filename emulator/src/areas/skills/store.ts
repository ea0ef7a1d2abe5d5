/**
 * Skill records (skills.yml): each skill keeps every uploaded version (files, name, description, metadata) and
 * the bytes of its `.skill` zip. Also the default seed, `seedData.skills`, the wire view, and the check
 * create-agent runs on `skill_ids` (`env.hooks.invalidSkillIds`).
 */
import type { AreaEnv, SkillAccess } from "../../area.js";
import { canAccessTeam, type Principal } from "../../server/auth.js";
import type { Store } from "../../world/store.js";
import { iso, parseIso } from "../../world/time.js";
import { readSkillMd, SKILL_MD, skillZip, type SkillPackage } from "./package.js";

/** Blob kind of skill archives in signed URLs (`/__storage/skills/<version id>/<name>.skill`). */
export const SKILL_BLOB_KIND = "skills";

/** One uploaded version of a skill. */
export interface SkillVersionRecord {
  versionId: string;
  /** 1 for the first upload, +1 per update. */
  majorVersion: number;
  name: string;
  description: string;
  metadata: Record<string, unknown>;
  /** Path → bytes, SKILL.md first. */
  files: Map<string, Uint8Array>;
  /** The version as a `.skill` zip, built once at upload. */
  zip: Uint8Array;
  createdAt: number;
  creatorId: string | null;
  /** Uploads create drafts; only seeds may say otherwise. */
  isDeployed: boolean;
}

/** A skill. Its name, description and metadata are those of its latest version. */
export interface SkillRecord {
  id: string;
  teamId: string;
  creatorId: string | null;
  createdAt: number;
  updatedAt: number;
  usageCount: number;
  viewCount: number;
  lastUsedAt: number | null;
  /** Soft delete: hidden from listings, downloads and create-agent. */
  deleted: boolean;
  /** Oldest first; the last one is the current draft. */
  versions: SkillVersionRecord[];
}

/** The skills area's records, keyed by id. */
export function skillRecords(store: Store): Map<string, SkillRecord> {
  return store.area("skills", () => new Map<string, SkillRecord>());
}

/** The current (latest) version. */
export function currentVersion(skill: SkillRecord): SkillVersionRecord {
  return skill.versions[skill.versions.length - 1]!;
}

/** Adds a version built from an upload; it becomes the current draft. */
export function addSkillVersion(
  env: AreaEnv,
  skill: SkillRecord,
  pkg: SkillPackage,
  at: number,
  creatorId: string | null,
  versionId = env.ids.next("sv_", 8),
): SkillVersionRecord {
  const version: SkillVersionRecord = {
    versionId,
    majorVersion: skill.versions.length + 1,
    name: pkg.name,
    description: pkg.description,
    metadata: structuredClone(pkg.metadata),
    files: new Map(pkg.files),
    zip: skillZip(pkg.files, at),
    createdAt: at,
    creatorId,
    isDeployed: false,
  };
  skill.versions.push(version);
  skill.updatedAt = at;
  return version;
}

/** Creates a skill with its first version. */
export function addSkill(
  env: AreaEnv,
  init: {
    id?: string;
    versionId?: string;
    teamId: string;
    creatorId: string | null;
    pkg: SkillPackage;
    at: number;
  },
): SkillRecord {
  const skill: SkillRecord = {
    id: init.id ?? env.ids.next("skill_", 10),
    teamId: init.teamId,
    creatorId: init.creatorId,
    createdAt: init.at,
    updatedAt: init.at,
    usageCount: 0,
    viewCount: 0,
    lastUsedAt: null,
    deleted: false,
    versions: [],
  };
  addSkillVersion(env, skill, init.pkg, init.at, init.creatorId, init.versionId);
  skillRecords(env.store).set(skill.id, skill);
  return skill;
}

/** The Skill object of skills.yml (create, update and list items share it). */
export function skillView(store: Store, skill: SkillRecord): Record<string, unknown> {
  const version = currentVersion(skill);
  return {
    id: skill.id,
    name: version.name,
    description: version.description,
    team_id: skill.teamId,
    created_at: iso(skill.createdAt),
    updated_at: iso(skill.updatedAt),
    metadata: structuredClone(version.metadata),
    usage_count: skill.usageCount,
    view_count: skill.viewCount,
    last_used_at: skill.lastUsedAt === null ? null : iso(skill.lastUsedAt),
    version_id: version.versionId,
    major_version: version.majorVersion,
    is_deployed: version.isDeployed,
    version_created_at: iso(version.createdAt),
    creator: store.creatorView(skill.creatorId),
  };
}

/**
 * The create-agent check: ids that are unknown, deleted, or in a team the principal cannot reach ("An invalid ID
 * fails the whole request"; a deleted skill is no longer "usable by agents"). Checked on the principal, not its
 * acting user: a team key reaches only its own team even when its owner is in other teams too.
 */
export function invalidSkillIds(store: Store, skillIds: readonly string[], principal: Principal): string[] {
  const { missing, forbidden } = skillAccess(store, skillIds, principal);
  const invalid = new Set([...missing, ...forbidden]);
  return [...new Set(skillIds)].filter((id) => invalid.has(id));
}

/** The attach-skills check: unknown or deleted ids apart from those in a team the principal cannot reach. */
export function skillAccess(store: Store, skillIds: readonly string[], principal: Principal): SkillAccess {
  const skills = skillRecords(store);
  const missing: string[] = [];
  const forbidden: string[] = [];
  for (const id of new Set(skillIds)) {
    const skill = skills.get(id);
    if (!skill || skill.deleted) missing.push(id);
    else if (!canAccessTeam(principal, store, skill.teamId)) forbidden.push(id);
  }
  return { missing, forbidden };
}

// ---------------------------------------------------------------------------------------------------------------
// Seed

/** Ids of the seeded skills. */
export const SEED_SKILLS = {
  /** "Lead enrichment": two versions (major_version 2), the most used. */
  leadEnrichment: "skill_x7y8z9",
  /** "Ticket triage": `metadata.related_server_ids` = gumloop_slack, gumloop_linear; the most viewed. */
  ticketTriage: "skill_p4q5r6",
  /** "Meeting notes": never used (`unused` filter), the newest. */
  meetingNotes: "skill_m3n4o5",
  /** "Sales playbook": in the default user's second team. */
  salesPlaybook: "skill_s1t2u3",
  /** "Compiler checklist": owned by the other user (403 tests). */
  otherUsers: "skill_o9p8q7",
} as const;

/** Version ids of the seeded skills. */
export const SEED_SKILL_VERSIONS = {
  leadEnrichmentV1: "sv_l3e9n1a7",
  leadEnrichmentV2: "sv_a1b2c3d4",
  ticketTriage: "sv_e5f6g7h8",
  meetingNotes: "sv_m7e3t9n2",
  salesPlaybook: "sv_s4p8b2k6",
  otherUsers: "sv_c0m9p1l3",
} as const;

/** An extra skill for `seedData.skills`. Give `files` (with a SKILL.md), or `name` + `description`. */
export interface SeedSkill {
  /** @default a generated id */
  id?: string;
  /** Used to write a SKILL.md when `files` has none. */
  name?: string;
  description?: string;
  /** Written into the generated SKILL.md's front matter. @default {} */
  metadata?: Record<string, unknown>;
  /** Package files by path (text is stored as UTF-8). @default just the generated SKILL.md */
  files?: Record<string, string | Uint8Array>;
  /** Owning team. @default the owner's default team */
  team_id?: string;
  /** @default "user" */
  owner?: "user" | "otherUser";
  /** @default 0 */
  usage_count?: number;
  /** @default 0 */
  view_count?: number;
  /** ISO 8601. @default null */
  last_used_at?: string | null;
  /** ISO 8601. @default a fixed date before the clock start */
  created_at?: string;
}

const at = (isoDate: string) => parseIso(isoDate)!;
const utf8 = (text: string) => new TextEncoder().encode(text);

/** A SKILL.md with front matter (metadata: one level of scalars and lists of scalars, nested mappings). */
export function skillMarkdown(
  name: string,
  description: string,
  body: string,
  metadata: Record<string, unknown> = {},
): string {
  const yaml = (value: Record<string, unknown>, pad: string): string[] =>
    Object.entries(value).flatMap(([key, v]) => {
      if (v !== null && typeof v === "object" && !Array.isArray(v)) {
        return [`${pad}${JSON.stringify(key)}:`, ...yaml(v as Record<string, unknown>, `${pad}  `)];
      }
      const scalar = Array.isArray(v) ? `[${v.map((x) => JSON.stringify(x)).join(", ")}]` : JSON.stringify(v);
      return [`${pad}${JSON.stringify(key)}: ${scalar}`];
    });
  const meta = Object.keys(metadata).length > 0 ? ["metadata:", ...yaml(metadata, "  ")] : [];
  return [
    "---",
    `name: ${JSON.stringify(name)}`,
    `description: ${JSON.stringify(description)}`,
    ...meta,
    "---",
    "",
    body,
  ].join("\n");
}

function packageOf(files: Record<string, string | Uint8Array>): SkillPackage {
  const map = new Map<string, Uint8Array>();
  const skillMd = files[SKILL_MD];
  if (skillMd === undefined) throw new TypeError("seedData.skills: files must include SKILL.md");
  map.set(SKILL_MD, typeof skillMd === "string" ? utf8(skillMd) : skillMd);
  for (const path of Object.keys(files).sort()) {
    const content = files[path]!;
    if (path !== SKILL_MD) map.set(path, typeof content === "string" ? utf8(content) : content);
  }
  return { files: map, ...readSkillMd(map.get(SKILL_MD)!) };
}

const LEAD_V1 = skillMarkdown(
  "Lead enrichment",
  "Enriches inbound leads with firmographics.",
  "# Lead enrichment\n\nLook up each lead's company and add industry, size and location.\n",
);
const LEAD_V2 = skillMarkdown(
  "Lead enrichment",
  "Enriches inbound leads with firmographics and intent signals.",
  "# Lead enrichment\n\nLook up each lead's company and add industry, size, location and recent intent signals.\n" +
    "See reference/fields.md for the output columns.\n",
);

/** Seeds the default skills, then `seedData.skills`. */
export function seedSkills(env: AreaEnv): void {
  const { identity } = env;
  const user = identity.userId;
  const lead = addSkill(env, {
    id: SEED_SKILLS.leadEnrichment,
    versionId: SEED_SKILL_VERSIONS.leadEnrichmentV1,
    teamId: identity.teamId,
    creatorId: user,
    pkg: packageOf({ [SKILL_MD]: LEAD_V1 }),
    at: at("2026-05-15T14:32:00Z"),
  });
  addSkillVersion(
    env,
    lead,
    packageOf({
      [SKILL_MD]: LEAD_V2,
      "reference/fields.md":
        "# Output columns\n\n- industry\n- employee_count\n- hq_location\n- intent_score\n",
    }),
    at("2026-05-16T09:10:00Z"),
    user,
    SEED_SKILL_VERSIONS.leadEnrichmentV2,
  );
  Object.assign(lead, { usageCount: 42, viewCount: 117, lastUsedAt: at("2026-05-18T22:01:00Z") });

  const triageMd = skillMarkdown(
    "Ticket triage",
    "Classifies and routes support tickets.",
    "# Ticket triage\n\nRead new tickets, label them, file bugs in Linear and post a summary to Slack.\n",
    { related_server_ids: ["gumloop_slack", "gumloop_linear"] },
  );
  const triage = addSkill(env, {
    id: SEED_SKILLS.ticketTriage,
    versionId: SEED_SKILL_VERSIONS.ticketTriage,
    teamId: identity.teamId,
    creatorId: user,
    pkg: packageOf({ [SKILL_MD]: triageMd, "scripts/labels.json": '["bug","question","billing"]\n' }),
    at: at("2026-04-02T09:11:00Z"),
  });
  Object.assign(triage, { usageCount: 15, viewCount: 240, lastUsedAt: at("2026-05-27T16:45:00Z") });

  const notesMd = skillMarkdown(
    "Meeting notes",
    "Turns meeting transcripts into notes with action items.",
    "# Meeting notes\n\nSummarise the transcript, then list decisions and action items with owners.\n",
  );
  const notes = addSkill(env, {
    id: SEED_SKILLS.meetingNotes,
    versionId: SEED_SKILL_VERSIONS.meetingNotes,
    teamId: identity.teamId,
    creatorId: user,
    pkg: packageOf({ [SKILL_MD]: notesMd }),
    at: at("2026-05-22T10:00:00Z"),
  });
  notes.viewCount = 3;

  const salesMd = skillMarkdown(
    "Sales playbook",
    "Outreach templates and objection handling for the sales team.",
    "# Sales playbook\n\nPick the template for the lead's stage and personalise the first line.\n",
  );
  const sales = addSkill(env, {
    id: SEED_SKILLS.salesPlaybook,
    versionId: SEED_SKILL_VERSIONS.salesPlaybook,
    teamId: identity.secondTeamId,
    creatorId: user,
    pkg: packageOf({ [SKILL_MD]: salesMd }),
    at: at("2026-05-10T08:30:00Z"),
  });
  Object.assign(sales, { usageCount: 5, viewCount: 20, lastUsedAt: at("2026-05-21T12:00:00Z") });

  const otherMd = skillMarkdown(
    "Compiler checklist",
    "Belongs to another user.",
    "# Compiler checklist\n\nRun the test suite before every release.\n",
  );
  const other = addSkill(env, {
    id: SEED_SKILLS.otherUsers,
    versionId: SEED_SKILL_VERSIONS.otherUsers,
    teamId: identity.otherUser.teamId,
    creatorId: identity.otherUser.userId,
    pkg: packageOf({ [SKILL_MD]: otherMd }),
    at: at("2026-05-12T09:00:00Z"),
  });
  Object.assign(other, { usageCount: 2, viewCount: 9, lastUsedAt: at("2026-05-13T09:00:00Z") });

  const extras = (env.options.seedData.skills ?? []) as SeedSkill[];
  if (!Array.isArray(extras)) throw new TypeError("seedData.skills must be an array");
  for (const extra of extras) seedExtra(env, extra);
}

function seedExtra(env: AreaEnv, extra: SeedSkill): void {
  const other = extra.owner === "otherUser";
  const files = { ...extra.files };
  if (files[SKILL_MD] === undefined) {
    if (!extra.name || !extra.description) {
      throw new TypeError("seedData.skills: give files with a SKILL.md, or name and description");
    }
    files[SKILL_MD] = skillMarkdown(extra.name, extra.description, `# ${extra.name}\n`, extra.metadata);
  }
  const createdAt = (extra.created_at && parseIso(extra.created_at)) || at("2026-05-30T09:00:00Z");
  const skill = addSkill(env, {
    ...(extra.id ? { id: extra.id } : {}),
    teamId: extra.team_id ?? (other ? env.identity.otherUser.teamId : env.identity.teamId),
    creatorId: other ? env.identity.otherUser.userId : env.identity.userId,
    pkg: packageOf(files),
    at: createdAt,
  });
  skill.usageCount = extra.usage_count ?? 0;
  skill.viewCount = extra.view_count ?? 0;
  skill.lastUsedAt = extra.last_used_at ? (parseIso(extra.last_used_at) ?? null) : null;
}
