/** Contract tests for the skills area (skills.yml; tools 32–36): list, download, delete, round trip. */
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import { afterEach, describe, expect, it } from "vitest";
import { SEED_AGENTS, type Emulator, type EmulatorOptions } from "../src/index.js";
import { SEED_SKILLS, SEED_SKILL_VERSIONS } from "../src/areas/skills/routes.js";
import { call, CREATOR, expectError, expectShape, startTestEmulator } from "./helpers.js";
import { fetchArchive, ids, MY_SKILLS, SKILL, SKILL_DOWNLOAD, skillApi, skillMd } from "./skillHelpers.js";

let emulator: Emulator;

async function start(options: EmulatorOptions = {}): Promise<void> {
  ({ emulator } = await startTestEmulator(options));
}
afterEach(() => emulator?.close());

const { create, update, list, download, remove } = skillApi(() => emulator);

describe("GET /skills (list_all_gumloop_skills)", () => {
  it("lists the caller's skills newest first, with every Skill field, next_cursor and total_count", async () => {
    await start();
    const res = await list();
    expect(res.status).toBe(200);
    expectShape(res.body, { skills: "array", next_cursor: "string|null", total_count: "integer|null" });
    expect(ids(res)).toEqual(MY_SKILLS);
    expect(res.body).toMatchObject({ next_cursor: null, total_count: 4 });
    res.body.skills.forEach((skill: Record<string, unknown>, i: number) => {
      expectShape(skill, SKILL, `skills[${i}]`);
      expectShape(skill.creator, CREATOR, `skills[${i}].creator`);
    });
    const lead = res.body.skills.find((s: { id: string }) => s.id === SEED_SKILLS.leadEnrichment);
    expect(lead).toMatchObject({
      name: "Lead enrichment",
      description: "Enriches inbound leads with firmographics and intent signals.",
      team_id: emulator.teamId,
      version_id: SEED_SKILL_VERSIONS.leadEnrichmentV2,
      major_version: 2,
      is_deployed: false,
      usage_count: 42,
      created_at: "2026-05-15T14:32:00Z",
      version_created_at: "2026-05-16T09:10:00Z",
      creator: { id: emulator.userId },
    });
  });

  it("walks pages with next_cursor; total_count covers all pages; page_size is clamped, non-integers are 400", async () => {
    await start();
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await list({ page_size: 3, ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      expect(res.body.total_count).toBe(4);
      seen.push(...ids(res));
      cursor = res.body.next_cursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(2);
    expect(seen).toEqual(MY_SKILLS);
    expect((await list({ page_size: 0 })).body.skills).toHaveLength(1);
    expect((await list({ page_size: -3 })).body.skills).toHaveLength(1);
    expect((await list({ page_size: 500 })).body.skills).toHaveLength(4);
    expectError(await list({ page_size: "abc" }), 400, "invalid_page_size");
    expectError(await list({ page_size: "1.5" }), 400, "invalid_page_size");
    expectError(await list({ cursor: "not-a-cursor" }), 400, "invalid_cursor");
  });

  it("sorts by newest, popular (views) and most_used (usage); other values are 400", async () => {
    await start();
    expect(ids(await list({ sort_order: "newest" }))).toEqual(MY_SKILLS);
    expect(ids(await list({ sort_order: "popular" }))).toEqual([
      SEED_SKILLS.ticketTriage,
      SEED_SKILLS.leadEnrichment,
      SEED_SKILLS.salesPlaybook,
      SEED_SKILLS.meetingNotes,
    ]);
    expect(ids(await list({ sort_order: "most_used" }))).toEqual([
      SEED_SKILLS.leadEnrichment,
      SEED_SKILLS.ticketTriage,
      SEED_SKILLS.salesPlaybook,
      SEED_SKILLS.meetingNotes,
    ]);
    expectError(await list({ sort_order: "oldest" }), 400, "invalid_sort");
  });

  it("filters by team_id, search_query, creator_user_id, related_server_id and unused", async () => {
    await start();
    expect(ids(await list({ team_id: emulator.teamId }))).toEqual([
      SEED_SKILLS.meetingNotes,
      SEED_SKILLS.leadEnrichment,
      SEED_SKILLS.ticketTriage,
    ]);
    expect(ids(await list({ team_id: emulator.secondTeamId }))).toEqual([SEED_SKILLS.salesPlaybook]);
    expectError(await list({ team_id: emulator.otherUser.teamId }), 403);
    expect(ids(await list({ search_query: "TRIAGE" }))).toEqual([SEED_SKILLS.ticketTriage]);
    expect((await list({ search_query: "nothing like it" })).body).toEqual({
      skills: [],
      next_cursor: null,
      total_count: 0,
    });
    expect(ids(await list({ creator_user_id: emulator.userId }))).toEqual(MY_SKILLS);
    expect(ids(await list({ creator_user_id: emulator.otherUser.userId }))).toEqual([]);
    const related = await list({ related_server_id: "gumloop_slack" });
    expect(ids(related)).toEqual([SEED_SKILLS.ticketTriage]);
    expect(related.body.skills[0].metadata).toEqual({
      related_server_ids: ["gumloop_slack", "gumloop_linear"],
    });
    expect(ids(await list({ unused: "true" }))).toEqual([SEED_SKILLS.meetingNotes]);
    expect(ids(await list({ unused: "false" }))).toEqual(MY_SKILLS);
  });

  it("filters by agent_id: the skills attached to that agent; an unknown or foreign agent matches none", async () => {
    await start();
    const agent = await call(emulator, "POST", "/agents", {
      body: {
        name: "Skilled",
        model_name: "gpt-4o-mini",
        skill_ids: [SEED_SKILLS.ticketTriage, SEED_SKILLS.leadEnrichment],
      },
    });
    expect(agent.status).toBe(201);
    expect(ids(await list({ agent_id: agent.body.agent.id }))).toEqual([
      SEED_SKILLS.leadEnrichment,
      SEED_SKILLS.ticketTriage,
    ]);
    expect(ids(await list({ agent_id: SEED_AGENTS.assistant }))).toEqual([]);
    expect(ids(await list({ agent_id: "agtNope" }))).toEqual([]);
    expect(ids(await list({ agent_id: SEED_AGENTS.otherUsers }))).toEqual([]);
  });

  it("answers per credential: team keys see their team's skills, the other user only theirs; bad keys are 401", async () => {
    await start();
    expect(ids(await list({}, "team"))).toEqual([
      SEED_SKILLS.meetingNotes,
      SEED_SKILLS.leadEnrichment,
      SEED_SKILLS.ticketTriage,
    ]);
    expect(ids(await list({}, "oauth"))).toEqual(MY_SKILLS);
    expect(ids(await list({}, "other"))).toEqual([SEED_SKILLS.otherUsers]);
    expectError(await list({}, "none"), 401);
    expectError(
      await call(emulator, "GET", "/skills", { auth: "none", headers: { authorization: "Bearer nope" } }),
      401,
    );
  });
});

describe("GET /skills/{skill_id}/download (get_single_gumloop_skill_by_id)", () => {
  it("returns a signed URL to the current version as <name>.skill; the URL serves a zip with SKILL.md at its root", async () => {
    await start();
    const res = await download(SEED_SKILLS.leadEnrichment);
    expect(res.status).toBe(200);
    expectShape(res.body, SKILL_DOWNLOAD);
    expect(res.body).toMatchObject({
      filename: "Lead enrichment.skill",
      media_type: "application/zip",
      id: SEED_SKILLS.leadEnrichment,
      version_id: SEED_SKILL_VERSIONS.leadEnrichmentV2,
      major_version: 2,
    });
    expect(res.body.download_url).toMatch(new RegExp(`^http://${emulator.host}/__storage/skills/`));
    const file = await fetch(res.body.download_url);
    expect(file.headers.get("content-disposition")).toContain('filename="Lead enrichment.skill"');
    const bytes = new Uint8Array(await file.arrayBuffer());
    expect(bytes.length).toBe(res.body.size);
    const files = unzipSync(bytes);
    expect(Object.keys(files)).toEqual(["SKILL.md", "reference/fields.md"]);
    expect(strFromU8(files["SKILL.md"]!)).toContain("intent signals");
  });

  it("serves an older version with version_id; unknown versions and skills are 404, another user's 403", async () => {
    await start();
    const v1 = await download(SEED_SKILLS.leadEnrichment, {
      version_id: SEED_SKILL_VERSIONS.leadEnrichmentV1,
    });
    expect(v1.status).toBe(200);
    expect(v1.body).toMatchObject({ version_id: SEED_SKILL_VERSIONS.leadEnrichmentV1, major_version: 1 });
    const files = await fetchArchive(v1.body.download_url);
    expect(Object.keys(files)).toEqual(["SKILL.md"]);
    expect(files["SKILL.md"]).toContain("Enriches inbound leads with firmographics.");
    expectError(await download(SEED_SKILLS.leadEnrichment, { version_id: "sv_nope" }), 404);
    expectError(
      await download(SEED_SKILLS.leadEnrichment, { version_id: SEED_SKILL_VERSIONS.ticketTriage }),
      404,
    );
    expectError(await download("skill_nope"), 404, "skill_not_found");
    expectError(await download(SEED_SKILLS.otherUsers), 403);
    expectError(await download(SEED_SKILLS.leadEnrichment, {}, "none"), 401);
  });
});

describe("DELETE /skills/{skill_id} (delete_a_gumloop_skill_by_id)", () => {
  it("soft-deletes: {deleted: true}; gone from lists, downloads, updates and create-agent skill_ids", async () => {
    await start();
    const earlier = (await download(SEED_SKILLS.ticketTriage)).body.download_url;
    const res = await remove(SEED_SKILLS.ticketTriage);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ deleted: true });
    expect(ids(await list())).not.toContain(SEED_SKILLS.ticketTriage);
    expect((await list({ related_server_id: "gumloop_slack" })).body.total_count).toBe(0);
    expectError(await download(SEED_SKILLS.ticketTriage), 404);
    expect((await fetch(earlier)).status).toBe(404);
    expectError(await update(SEED_SKILLS.ticketTriage, [["SKILL.md", skillMd("a", "b")]]), 404);
    expectError(await remove(SEED_SKILLS.ticketTriage), 404);
    const agent = await call(emulator, "POST", "/agents", {
      body: { name: "A", model_name: "gpt-4o-mini", skill_ids: [SEED_SKILLS.ticketTriage] },
    });
    expectError(agent, 400);
    expect(agent.body.error.details.skill_ids).toEqual([SEED_SKILLS.ticketTriage]);
    expect(emulator.inspect().skills).toMatchObject({ total: 4, deleted: 1 });
  });

  it("404s unknown skills and 403s another user's; create-agent rejects unknown and foreign skill ids", async () => {
    await start();
    expectError(await remove("skill_nope"), 404);
    expectError(await remove(SEED_SKILLS.otherUsers), 403);
    expectError(await remove(SEED_SKILLS.leadEnrichment, "other"), 403);
    const agent = (skillIds: string[]) =>
      call(emulator, "POST", "/agents", {
        body: { name: "A", model_name: "gpt-4o-mini", skill_ids: skillIds },
      });
    expect((await agent([SEED_SKILLS.leadEnrichment, SEED_SKILLS.salesPlaybook])).status).toBe(201);
    const bad = await agent([SEED_SKILLS.leadEnrichment, "skill_nope", SEED_SKILLS.otherUsers]);
    expectError(bad, 400);
    expect(bad.body.error.details.skill_ids).toEqual(["skill_nope", SEED_SKILLS.otherUsers]);
  });
});

describe("skill round trip", () => {
  it("create (.md and .skill) → update → download and unzip → delete", async () => {
    await start();
    const v1 = skillMd("Round trip", "First version.");
    const fromMd = await create([["round-trip.md", v1, "text/markdown"]]);
    expect(fromMd.status).toBe(201);
    const archive = zipSync({
      "SKILL.md": strToU8(skillMd("Packed", "Packed skill.")),
      "assets/logo.svg": strToU8("<svg/>"),
    });
    const fromZip = await create([["packed.skill", archive, "application/zip"]]);
    expect(fromZip.status).toBe(201);
    expect(fromZip.body.skill).toMatchObject({ name: "Packed", major_version: 1 });

    const id = fromMd.body.skill.id;
    const v2 = skillMd(
      "Round trip",
      "Second version.",
      "metadata:\n  related_server_ids:\n    - mcp_weather\n",
    );
    const updated = await update(id, [
      ["SKILL.md", v2],
      ["examples.md", "## Example\n"],
    ]);
    expect(updated.body.skill).toMatchObject({ id, major_version: 2, description: "Second version." });
    expect(updated.body.skill.version_id).not.toBe(fromMd.body.skill.version_id);
    expect(ids(await list({ related_server_id: "mcp_weather" }))).toEqual([id]);

    const latest = await download(id);
    expect(latest.body).toMatchObject({
      filename: "Round trip.skill",
      major_version: 2,
      version_id: updated.body.skill.version_id,
    });
    expect(await fetchArchive(latest.body.download_url)).toEqual({
      "SKILL.md": v2,
      "examples.md": "## Example\n",
    });
    const first = await download(id, { version_id: fromMd.body.skill.version_id });
    expect(await fetchArchive(first.body.download_url)).toEqual({ "SKILL.md": v1 });
    const packed = await download(fromZip.body.skill.id);
    expect(await fetchArchive(packed.body.download_url)).toMatchObject({ "assets/logo.svg": "<svg/>" });

    expect((await remove(id)).body).toEqual({ deleted: true });
    expect(ids(await list())).not.toContain(id);
    expectError(await download(id), 404);
    expect(ids(await list())).toContain(fromZip.body.skill.id);
  });

  it("builds the same archive bytes for the same seed (deterministic downloads)", async () => {
    await start();
    const a = new Uint8Array(
      await (await fetch((await download(SEED_SKILLS.leadEnrichment)).body.download_url)).arrayBuffer(),
    );
    await emulator.close();
    await start();
    const b = new Uint8Array(
      await (await fetch((await download(SEED_SKILLS.leadEnrichment)).body.download_url)).arrayBuffer(),
    );
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it("seeds extra skills from seedData.skills", async () => {
    await start({
      seedData: {
        skills: [
          {
            id: "skill_extra1",
            name: "Extra",
            description: "From seedData.",
            metadata: { related_server_ids: ["mcp_weather"] },
          },
          {
            id: "skill_extra2",
            files: { "SKILL.md": skillMd("Files", "From files."), "a.txt": "A" },
            usage_count: 3,
          },
        ],
      },
    });
    const related = await list({ related_server_id: "mcp_weather" });
    expect(related.body.skills.map((s: { name: string }) => s.name)).toEqual(["Extra"]);
    const files = await fetchArchive((await download("skill_extra2")).body.download_url);
    expect(files["a.txt"]).toBe("A");
  });
});
