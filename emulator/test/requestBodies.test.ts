/**
 * Bodies as a real backend reads them: JSON routes refuse forms, bytes that are not UTF-8 and strings holding an
 * unpaired surrogate (neither can be stored as UTF-8); well-formed non-ASCII names go through; and a route that takes
 * no body ignores whatever is sent.
 */
import { describe, expect, it } from "vitest";
import { SEED_AGENTS, SEED_SESSIONS } from "../src/index.js";
import { call, expectError } from "./helpers.js";
import { emulator, start } from "./fixture.js";
import { skillApi, skillMd } from "./skillHelpers.js";

const json = { "content-type": "application/json" };
const raw = (
  method: string,
  path: string,
  body: string | Uint8Array,
  headers: Record<string, string> = json,
) => call(emulator, method, path, { rawBody: body, headers });

describe("JSON routes", () => {
  it("refuse a form-encoded body with 400, on new and legacy routes alike", async () => {
    await start();
    const form = { "content-type": "application/x-www-form-urlencoded" };
    for (const [method, path, body] of [
      ["POST", "/agents", "name=x&model_name=y"],
      ["POST", `/agents/${SEED_AGENTS.assistant}/sessions`, "input=hello"],
      ["POST", "/start_pipeline", `user_id=${emulator.userId}&saved_item_id=x`],
      ["POST", "/upload_file", `user_id=${emulator.userId}&file_name=a.txt&file_content=aGk=`],
    ] as const) {
      const res = await raw(method, path, body, form);
      expectError(res, 400);
      expect(res.body.error.message).toMatch(/must be JSON/);
    }
  });

  it("refuse bytes that are not UTF-8 instead of reading them as replacement characters", async () => {
    await start();
    const bytes = new Uint8Array([
      ...Buffer.from('{"name": "caf'),
      0xe9,
      ...Buffer.from('", "model_name": "m"}'),
    ]);
    const res = await raw("POST", "/agents", bytes);
    expectError(res, 400);
    expect(res.body.error.message).toMatch(/UTF-8/);
  });

  it("refuse an unpaired surrogate in a name, and take well-formed names in any script", async () => {
    await start();
    const agent = await raw("POST", "/agents", '{"name": "Bad \\ud800 agent", "model_name": "m"}');
    expectError(agent, 400);
    expect(agent.body.error.param).toBe("name");
    const session = await raw(
      "POST",
      `/agents/${SEED_AGENTS.assistant}/sessions`,
      '{"name": "ok", "metadata": {"tags": ["fine", "\\udc00"]}}',
    );
    expectError(session, 400);
    expect(session.body.error.param).toBe("metadata.tags[1]");
    const upload = await raw(
      "POST",
      "/upload_file",
      `{"user_id": "${emulator.userId}", "file_name": "\\ud83d.txt", "file_content": "aGk="}`,
    );
    expectError(upload, 400);
    const fine = await call(emulator, "POST", "/agents", { body: { name: "Zoë 研究 😀", model_name: "m" } });
    expect(fine.status).toBe(201);
    expect(fine.body.agent.name).toBe("Zoë 研究 😀");
  });

  it("a skill's front matter with an unpaired surrogate is refused like a JSON body", async () => {
    await start();
    const skills = skillApi(() => emulator);
    const res = await skills.create([["SKILL.md", skillMd('"Broken \\ud800"', "d")]]);
    expectError(res, 400);
    expect(res.body.error.message).toMatch(/unpaired surrogate/);
  });
});

describe("routes that take no body", () => {
  it("ignore what is sent (cancel answers 200 whatever the body)", async () => {
    await start();
    const res = await raw("POST", `/sessions/${SEED_SESSIONS.quantum}/cancel`, "{not json");
    expect(res.status).toBe(200);
    expect(res.body.session.state).toBe("completed");
  });
});
