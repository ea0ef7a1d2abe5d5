/**
 * Inputs Gumloop refuses that the tool schemas used to pass on: a temperature outside 0-2, a blank file name (or
 * one with a DEL character), a session name over 256 characters once trimmed, an unknown key inside an array item.
 * Each is refused before sending, with a message that names the field and the fix; the edge values still go out.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SEED_AGENTS, type Emulator } from "gumloop-emulator";
import type { GumloopToolManager } from "../../src/toolManager.js";
import { startEmulatorTools } from "./emulatorTools.js";

let emulator: Emulator;
let manager: GumloopToolManager;
beforeAll(async () => ({ emulator, manager } = await startEmulatorTools()));
afterAll(() => emulator.close());
beforeEach(() => emulator.clearRequests());

async function refusal(name: string, args: Record<string, unknown>): Promise<string> {
  const error = await manager
    .getTool(name)
    .invoke(args)
    .then(
      () => null,
      (e: unknown) => e as Error,
    );
  expect(error, `${name} accepted ${JSON.stringify(args).slice(0, 200)}`).toBeInstanceOf(Error);
  expect(emulator.requests).toHaveLength(0);
  return error!.message;
}

const chat = (extra: Record<string, unknown>) => ({
  model: "gpt-4o-mini",
  messages: [{ role: "user", content: "hi" }],
  ...extra,
});

describe("refused before sending", () => {
  it.each([2.01, -0.1, 5])("temperature %s", async (temperature) => {
    expect(await refusal("create_a_gumloop_chat_completion", chat({ temperature }))).toContain(
      "temperature: must be 0 to 2",
    );
  });

  it.each(["", "   ", "\t"])("a blank file_name (%j), in one upload and in a bulk upload", async (name) => {
    const file = { name, content_base64: "YQ==" };
    expect(await refusal("create_a_gumloop_file", { file })).toContain("file.name: must not be blank");
    expect(await refusal("gumloop_files_bulk_create", { file: [file] })).toContain(
      "file.0.name: must not be blank",
    );
  });

  it("a file_name with a DEL character", async () => {
    const message = await refusal("create_a_gumloop_file", {
      file: { name: "a\u007fb.csv", content: "a" },
    });
    expect(message).toContain("file.name: must be a plain file name");
  });

  it("a session name over 256 characters once trimmed", async () => {
    const message = await refusal("create_a_gumloop_session", {
      agent_id: SEED_AGENTS.assistant,
      name: "n".repeat(257),
    });
    expect(message).toContain("name: must be at most 256 characters; shorten it");
  });

  it("an unknown key inside an array item, named", async () => {
    const message = await refusal("create_a_gumloop_chat_completion", {
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "hi", name: "bob" }],
    });
    expect(message).toMatch(/messages\.0.*name|name.*messages\.0/s);
  });
});

describe("the edge values still go out", () => {
  it("temperature 0 and 2", async () => {
    for (const temperature of [0, 2]) {
      await manager.getTool("create_a_gumloop_chat_completion").invoke(chat({ temperature }));
    }
    expect(emulator.requests.map((request) => (request.body as { temperature: number }).temperature)).toEqual(
      [0, 2],
    );
  });

  it("a 256-character session name with spaces around it, sent trimmed", async () => {
    const name = "n".repeat(256);
    await manager
      .getTool("create_a_gumloop_session")
      .invoke({ agent_id: SEED_AGENTS.assistant, name: `  ${name} ` });
    expect(emulator.requests).toHaveLength(1);
    expect(emulator.requests[0]!.status).toBe(201);
    expect((emulator.requests[0]!.body as { name: string }).name).toBe(name);
  });
});
