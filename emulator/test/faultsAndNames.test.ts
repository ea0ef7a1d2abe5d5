/**
 * Fault-injection edge cases (admin input, statuses, phase "after" on streams and non-200 replies) and
 * caller-chosen names that used to break things (`__proto__` in a zip, long skill names in signed URLs).
 */
import { unzipSync } from "fflate";
import { afterEach, describe, expect, it } from "vitest";
import type { Emulator } from "../src/index.js";
import { SEED_FLOWS } from "../src/areas/flows/seed.js";
import { call, expectError, startTestEmulator } from "./helpers.js";
import { skillApi, skillMd } from "./skillHelpers.js";

let emulator: Emulator;
afterEach(() => emulator?.close());

const auth = () => ({ authorization: `Bearer ${emulator.apiKey}`, "x-auth-key": emulator.userId });
const chatBody = { model: "gpt-4o", messages: [{ role: "user", content: "hi" }], stream: true };

describe("fault admin input", () => {
  it("400 for a fault id with a malformed percent-escape", async () => {
    ({ emulator } = await startTestEmulator({ admin: true }));
    const res = await fetch(`${emulator.origin}/__emulator/faults/%ZZ`, { method: "DELETE" });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("invalid_request");
  });

  it("refuses statuses outside 200-599 (a 1xx cannot be a final answer)", async () => {
    ({ emulator } = await startTestEmulator({ admin: true }));
    const res = await fetch(`${emulator.origin}/__emulator/faults`, {
      method: "POST",
      body: JSON.stringify({ route: "GET /teams", kind: "status", status: 101 }),
    });
    expect(res.status).toBe(400);
    expect(() => emulator.faults.add({ route: "*", kind: "status", status: 199 })).toThrow(/200 to 599/);
    expect(() => emulator.faults.add({ route: "*", kind: "status", status: 600 })).toThrow(/200 to 599/);
    expect(emulator.faults.list()).toEqual([]);
    expect((await call(emulator, "GET", "/teams")).status).toBe(200);
  });
});

describe("phase-after faults", () => {
  it("apply to a streamed chat completion", async () => {
    ({ emulator } = await startTestEmulator());
    emulator.faults.add({
      route: "POST /chat/completions",
      kind: "status",
      status: 503,
      phase: "after",
      times: 1,
    });
    expectError(await call(emulator, "POST", "/chat/completions", { base: "stream", body: chatBody }), 503);
    expect(emulator.inspect().chat).toMatchObject({ streamed: 1 }); // the handler ran: an ambiguous outcome

    emulator.faults.add({ route: "POST /chat/completions", kind: "malformed", phase: "after", times: 1 });
    const spoiled = await call(emulator, "POST", "/chat/completions", { base: "stream", body: chatBody });
    expect(spoiled.status).toBe(200);
    expect(spoiled.headers.get("content-type")).toContain("text/event-stream");
    expect(spoiled.text).not.toContain("[DONE]");

    const ok = await call(emulator, "POST", "/chat/completions", { base: "stream", body: chatBody });
    expect(ok.headers.get("content-type")).toContain("text/event-stream");
    expect(ok.text.trimEnd().endsWith("data: [DONE]")).toBe(true);
  });

  it("malformed and truncated keep the real status and content type", async () => {
    ({ emulator } = await startTestEmulator());
    const route = "POST /agents/{agent_id}/sessions";
    emulator.faults.add({ route, kind: "malformed", phase: "after", times: 1 });
    // Plain fetch: the shared `call` helper would choke on the spoiled JSON.
    const post = (agent: string) =>
      fetch(`${emulator.url}/agents/${agent}/sessions`, {
        method: "POST",
        headers: { ...auth(), "content-type": "application/json" },
        body: JSON.stringify({ input: "x" }),
      });
    const created = await post("agtAssistant002");
    expect(created.status).toBe(202);
    expect(created.headers.get("content-type")).toContain("application/json");
    await expect(created.json()).rejects.toThrow();

    emulator.faults.add({ route, kind: "malformed", phase: "after", times: 1 });
    expect((await post("nope")).status).toBe(404);

    emulator.faults.add({ route: "GET /teams", kind: "truncated", phase: "after", times: 1 });
    const res = await fetch(`${emulator.url}/teams`, {
      headers: auth(),
    });
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();

    emulator.faults.add({ route: "GET /agents/{agent_id}", kind: "truncated", phase: "after", times: 1 });
    const missing = await fetch(`${emulator.url}/agents/nope`, {
      headers: auth(),
    });
    expect(missing.status).toBe(404);
    await expect(missing.text()).rejects.toThrow();
  });
});

describe("caller-chosen names", () => {
  it.each(["__proto__", "constructor"])("download_files zips a file named %s", async (name) => {
    const started = await startTestEmulator();
    emulator = started.emulator;
    const content = Buffer.from(`hello ${name}`);
    const upload = await call(emulator, "POST", "/upload_file", {
      body: { user_id: emulator.userId, file_name: name, file_content: content.toString("base64") },
    });
    expect(upload.status).toBe(200);
    const run = await call(emulator, "POST", "/start_pipeline", {
      body: { user_id: emulator.userId, saved_item_id: SEED_FLOWS.report, topic: "t", source_file: name },
    });
    expect(run.status).toBe(200);
    await started.clock.advance(60_000);
    const zip = await fetch(`${emulator.url}/download_files`, {
      method: "POST",
      headers: { authorization: `Bearer ${emulator.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ user_id: emulator.userId, run_id: run.body.run_id, file_names: [name] }),
    });
    expect(zip.status).toBe(200);
    // Read names through `filter`: fflate's own unzipSync result object has the same `__proto__` problem.
    const entries: { name: string; size: number }[] = [];
    unzipSync(new Uint8Array(await zip.arrayBuffer()), {
      filter: (file) => (entries.push({ name: file.name, size: file.originalSize }), false),
    });
    expect(entries).toEqual([{ name, size: content.length }]);
  });

  it("a long skill name still gives a working signed download URL", async () => {
    ({ emulator } = await startTestEmulator());
    const skills = skillApi(() => emulator);
    for (const name of ["x".repeat(600), "研".repeat(60)]) {
      const created = await skills.create([["SKILL.md", skillMd(JSON.stringify(name), "d")]]);
      expect(created.status, created.text).toBe(201);
      const link = await skills.download(created.body.skill.id);
      expect(link.status).toBe(200);
      const res = await fetch(link.body.download_url);
      expect(res.status, await res.clone().text()).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/zip");
    }
  });
});
