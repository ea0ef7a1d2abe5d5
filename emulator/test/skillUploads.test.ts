/** Contract tests for skill uploads (skills.yml; tools 32 and 36): POST and PATCH /skills, multipart. */
import { strToU8, zipSync } from "fflate";
import { afterEach, describe, expect, it } from "vitest";
import type { Emulator, EmulatorOptions, VirtualClock } from "../src/index.js";
import { SEED_SKILLS } from "../src/areas/skills/routes.js";
import { call, CREATOR, expectError, expectShape, startTestEmulator } from "./helpers.js";
import { fetchArchive, form, ids, MB10, SKILL, skillApi, skillMd, type Part } from "./skillHelpers.js";

let emulator: Emulator;
let clock: VirtualClock;

async function start(options: EmulatorOptions = {}): Promise<void> {
  ({ emulator, clock } = await startTestEmulator(options));
}
afterEach(() => emulator?.close());

const { upload, create, update, list, download } = skillApi(() => emulator);

describe("POST /skills (create_a_gumloop_skill)", () => {
  it("creates a skill from a single .md (stored as SKILL.md): 201 {skill}, major_version 1, a draft", async () => {
    await start();
    const md = skillMd(
      "Weekly digest",
      "Summarises the week's activity.",
      "metadata:\n  related_server_ids: [gumloop_slack]\n",
    );
    const res = await create([["digest.md", md, "text/markdown"]]);
    expect(res.status, res.text).toBe(201);
    expectShape(res.body, { skill: "object" });
    expectShape(res.body.skill, SKILL, "skill");
    expectShape(res.body.skill.creator, CREATOR, "skill.creator");
    const now = new Date(clock.now()).toISOString().replace(/\.\d{3}Z$/, "Z");
    expect(res.body.skill).toMatchObject({
      name: "Weekly digest",
      description: "Summarises the week's activity.",
      team_id: emulator.teamId,
      metadata: { related_server_ids: ["gumloop_slack"] },
      major_version: 1,
      is_deployed: false,
      usage_count: 0,
      view_count: 0,
      last_used_at: null,
      created_at: now,
      updated_at: now,
      version_created_at: now,
      creator: { id: emulator.userId, email: "ada@example.com" },
    });
    expect(ids(await list())[0]).toBe(res.body.skill.id);
    const files = await fetchArchive((await download(res.body.skill.id)).body.download_url);
    expect(files).toEqual({ "SKILL.md": md });
  });

  it("creates from loose files that include a SKILL.md; without one it is a 400", async () => {
    await start();
    const md = skillMd("Loose", "From loose files.");
    const res = await create([
      ["SKILL.md", md],
      ["template.txt", "Hello {name}"],
    ]);
    expect(res.status, res.text).toBe(201);
    expect(await fetchArchive((await download(res.body.skill.id)).body.download_url)).toEqual({
      "SKILL.md": md,
      "template.txt": "Hello {name}",
    });
    expectError(
      await create([
        ["README.txt", "no skill"],
        ["other.txt", "x"],
      ]),
      400,
      "invalid_request",
    );
    expectError(await create([["notes.txt", "one non-md file"]]), 400);
  });

  it("takes team_id from the form field, not the query; another team is a 403; team keys default to their team", async () => {
    await start();
    const md = skillMd("Scoped", "Team scoped.");
    const second = emulator.secondTeamId;
    const inForm = await create([["s.md", md]], { team_id: second });
    expect(inForm.status, inForm.text).toBe(201);
    expect(inForm.body.skill.team_id).toBe(second);
    const inQuery = await upload("POST", "/skills", form([["s.md", md]]), { query: { team_id: second } });
    expect(inQuery.status).toBe(201);
    expect(inQuery.body.skill.team_id).toBe(emulator.teamId);
    expectError(await create([["s.md", md]], { team_id: emulator.otherUser.teamId }), 403);
    expectError(await create([["s.md", md]], { team_id: "team_unknown" }), 403);
    const byTeamKey = await create([["s.md", md]], {}, "team");
    expect(byTeamKey.status).toBe(201);
    expect(byTeamKey.body.skill.team_id).toBe(emulator.teamId);
    expectError(await create([["s.md", md]], { team_id: second }, "team"), 403);
  });

  it("400s SKILL.md without valid front matter, name or description, or with malformed metadata", async () => {
    await start();
    const bad = [
      "# No front matter at all\n",
      "---\nname: Only a name\n---\nbody",
      "---\ndescription: Only a description\n---\nbody",
      '---\nname: ""\ndescription: Empty name\n---\n',
      "---\nname: Unclosed\ndescription: never closed\n",
      "---\nname: [oops\ndescription: bad yaml\n---\n",
      "---\nname: Meta\ndescription: bad metadata\nmetadata: just a string\n---\n",
      "---\nname: Meta\ndescription: bad ids\nmetadata:\n  related_server_ids: gumloop_slack\n---\n",
    ];
    for (const md of bad) {
      const res = await create([["SKILL.md", md]]);
      expectError(res, 400, "invalid_request");
      expect(res.body.error.param).toBe("files");
    }
    expect((await list()).body.total_count).toBe(4);
  });

  it("400s a request that is not multipart, has no files parts, or names the field wrongly", async () => {
    await start();
    expectError(await call(emulator, "POST", "/skills", { body: { files: ["SKILL.md"] } }), 400);
    expectError(await call(emulator, "POST", "/skills"), 400);
    const onlyTeam = new FormData();
    onlyTeam.append("team_id", emulator.teamId);
    const res = await upload("POST", "/skills", onlyTeam);
    expectError(res, 400, "invalid_request");
    expect(res.body.error.param).toBe("files");
    const wrongField = await upload("POST", "/skills", form([["SKILL.md", skillMd("a", "b")]], {}, "file"));
    expectError(wrongField, 400);
    expect(wrongField.body.error.message).toContain('"files"');
  });

  it("creates from a .skill archive with SKILL.md at its root and keeps its folders", async () => {
    await start();
    const md = skillMd("Zipped", "From an archive.");
    const zip = zipSync({ "SKILL.md": strToU8(md), "scripts/run.py": strToU8("print('hi')\n"), docs: {} });
    const res = await create([["zipped.skill", zip, "application/zip"]]);
    expect(res.status, res.text).toBe(201);
    expect(res.body.skill.name).toBe("Zipped");
    expect(await fetchArchive((await download(res.body.skill.id)).body.download_url)).toEqual({
      "SKILL.md": md,
      "scripts/run.py": "print('hi')\n",
    });
  });

  it("400s archives with unsafe paths, without a root SKILL.md, or that are not zips", async () => {
    await start();
    const md = strToU8(skillMd("Unsafe", "Paths."));
    for (const path of ["../escape.md", "/etc/passwd", "scripts\\run.py", "a/../../b.txt", "C:/x.txt"]) {
      const res = await create([["bad.zip", zipSync({ "SKILL.md": md, [path]: strToU8("x") })]]);
      expectError(res, 400, "invalid_request");
      expect(res.body.error.details.path).toBe(path);
      expect(res.body.error.message).toContain("Unsafe path");
    }
    const nested = await create([["nested.skill", zipSync({ "my-skill/SKILL.md": md })]]);
    expectError(nested, 400);
    expect(nested.body.error.message).toContain("root");
    expectError(await create([["broken.zip", "this is not a zip", "application/zip"]]), 400);
    expect((await list()).body.total_count).toBe(4);
  });

  it("413s an upload over 10 MB in total; exactly 10 MB is accepted", async () => {
    await start();
    const md = skillMd("Big", "Large assets.");
    const filler = (n: number) => new Uint8Array(n).fill(97);
    const over = await create([
      ["SKILL.md", md],
      ["data.bin", filler(MB10 - md.length + 1)],
    ]);
    expectError(over, 413);
    expect(over.body.error.details).toMatchObject({ size: MB10 + 1, max_size: MB10 });
    const exact = await create([
      ["SKILL.md", md],
      ["data.bin", filler(MB10 - md.length)],
    ]);
    expect(exact.status, exact.text).toBe(201);
  });

  it("401s without credentials", async () => {
    await start();
    expectError(await create([["SKILL.md", skillMd("a", "b")]], {}, "none"), 401);
  });
});

describe("PATCH /skills/{skill_id} (update_a_gumloop_skill_by_id)", () => {
  it("creates a new version: major_version + 1, new version_id, name and description re-read", async () => {
    await start();
    const before = (await list()).body.skills.find((s: { id: string }) => s.id === SEED_SKILLS.meetingNotes);
    await clock.advance(60_000);
    const res = await update(SEED_SKILLS.meetingNotes, [
      ["SKILL.md", skillMd("Meeting minutes", "Minutes with owners.")],
    ]);
    expect(res.status, res.text).toBe(200);
    expectShape(res.body.skill, SKILL, "skill");
    const now = new Date(clock.now()).toISOString().replace(/\.\d{3}Z$/, "Z");
    expect(res.body.skill).toMatchObject({
      id: SEED_SKILLS.meetingNotes,
      name: "Meeting minutes",
      description: "Minutes with owners.",
      major_version: 2,
      is_deployed: false,
      created_at: before.created_at,
      updated_at: now,
      version_created_at: now,
      metadata: {},
    });
    expect(res.body.skill.version_id).not.toBe(before.version_id);
    const again = await update(SEED_SKILLS.meetingNotes, [["x.md", skillMd("Meeting minutes", "v3")]]);
    expect(again.body.skill.major_version).toBe(3);
    expect(ids(await list({ search_query: "minutes" }))).toEqual([SEED_SKILLS.meetingNotes]);
  });

  it("404s unknown skills, 403s another user's, and leaves a skill unchanged after a bad upload", async () => {
    await start();
    const md: Part = ["SKILL.md", skillMd("x", "y")];
    expectError(await update("skill_nope", [md]), 404, "skill_not_found");
    expectError(await update(SEED_SKILLS.otherUsers, [md]), 403);
    expectError(await update(SEED_SKILLS.leadEnrichment, [md], "other"), 403);
    expectError(await update(SEED_SKILLS.leadEnrichment, [["SKILL.md", "no front matter"]]), 400);
    expectError(
      await update(SEED_SKILLS.leadEnrichment, [
        ["SKILL.md", skillMd("x", "y")],
        ["big.bin", new Uint8Array(MB10)],
      ]),
      413,
    );
    expectError(await call(emulator, "PATCH", `/skills/${SEED_SKILLS.leadEnrichment}`, { body: {} }), 400);
    const lead = (await list()).body.skills.find((s: { id: string }) => s.id === SEED_SKILLS.leadEnrichment);
    expect(lead).toMatchObject({ major_version: 2, name: "Lead enrichment" });
  });
});
