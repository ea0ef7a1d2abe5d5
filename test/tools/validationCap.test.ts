/**
 * A model that sends 20,000 invalid items must get back a short error it can act on, not a megabyte ToolMessage:
 * the first issues, the count of the rest, about 2,000 characters in all. Programs still get every issue.
 */
import { AIMessage, HumanMessage, ToolMessage } from "@langchain/core/messages";
import { fakeModel } from "@langchain/core/testing";
import { createAgent } from "langchain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GumloopValidationError } from "../../src/client/errors.js";
import type { Emulator } from "gumloop-emulator";
import type { GumloopToolManager } from "../../src/toolManager.js";
import { startEmulatorTools } from "./emulatorTools.js";

let emulator: Emulator;
let manager: GumloopToolManager;
beforeAll(async () => ({ emulator, manager } = await startEmulatorTools()));
afterAll(() => emulator.close());

/** 20,000 uploads whose names all have a folder in them: one issue each. */
const files = Array.from({ length: 20_000 }, (_, i) => ({ name: `dir/${i}.csv`, content_base64: "YQ==" }));

describe("a validation error with 20,000 issues", () => {
  it.each([false, true])(
    "keeps every issue on the error, and its message short (strict: %s)",
    async (strict) => {
      const tool = manager.getTool("gumloop_files_bulk_create", { strict });
      emulator.clearRequests();
      // The strict variant lists every field: a field not given is sent as null.
      const given = strict ? files.map((file) => ({ ...file, content: null })) : files;
      const identity = strict ? { user_id: null, project_id: null } : {};
      const error = (await tool
        .invoke({ file: given, ...identity })
        .catch((e: unknown) => e)) as GumloopValidationError;
      expect(error).toBeInstanceOf(GumloopValidationError);
      expect(error.issues).toHaveLength(20_000);
      expect(error.issues[19_999]!.field).toBe("file.19999.name");
      expect(error.message.length).toBeLessThanOrEqual(2_000);
      expect(error.message).toMatch(
        /^Invalid input for gumloop_files_bulk_create \(nothing was sent\): file\.0\.name: must be a plain file name/,
      );
      expect(error.message).toMatch(/file\.9\.name: [^;]+; …and 19,990 more issues$/);
      expect(emulator.requests).toHaveLength(0);
    },
  );

  it("reaches the model as a ToolMessage of about 2,000 characters", async () => {
    const model = fakeModel()
      .respondWithTools([{ name: "gumloop_files_bulk_create", args: { file: files }, id: "c1" }])
      .respond(new AIMessage("Done."));
    const agent = createAgent({ model, tools: manager.getTools({ names: ["gumloop_files_bulk_create"] }) });
    emulator.clearRequests();
    const out = await agent.invoke({ messages: [new HumanMessage("Upload them")] });
    const message = out.messages.find((item) => item instanceof ToolMessage) as ToolMessage;
    const content = String(message.content);
    expect(message.status).toBe("error");
    expect(content.length).toBeLessThan(2_100);
    expect(content).toContain("file.0.name: must be a plain file name");
    expect(content).toContain("…and 19,990 more issues");
    expect(emulator.requests).toHaveLength(0);
  });

  it("lists a few short issues whole", () => {
    const error = new GumloopValidationError("op", [
      { field: "a", message: "is required" },
      { field: "", message: "give a or b" },
    ]);
    expect(error.message).toBe("Invalid input for op (nothing was sent): a: is required; give a or b");
  });

  it("cuts a single huge issue and shows fewer than 10 long ones", () => {
    const one = new GumloopValidationError("op", [{ field: "x", message: "y".repeat(100_000) }]);
    expect(one.message.length).toBeLessThan(400);
    const long = Array.from({ length: 12 }, (_, i) => ({ field: `f${i}`, message: "z".repeat(290) }));
    const many = new GumloopValidationError("op", long);
    expect(many.message.length).toBeLessThanOrEqual(2_000);
    expect(many.message).toMatch(/…and \d more issues$/);
    expect(many.issues).toHaveLength(12);
  });
});
