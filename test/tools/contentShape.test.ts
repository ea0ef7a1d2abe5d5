/**
 * Truto's unified shape beyond lists: a single get's resource as `result` with Gumloop's sibling fields beside it,
 * a long session that keeps its newest messages (the final reply whole), and a file's text within the budget.
 */
import { describe, expect, it } from "vitest";
import type { GumloopResponse } from "../../src/client/client.js";
import { NO_RATE_LIMIT_INFO } from "../../src/client/rateLimit.js";
import { toModelContent } from "../../src/langchain/content.js";
import { ENDPOINTS } from "../../src/tools/index.js";

function json(data: unknown): GumloopResponse {
  return {
    operation: "op",
    status: 200,
    format: "json",
    data,
    mediaType: "application/json",
    rateLimit: NO_RATE_LIMIT_INFO,
    requestId: null,
    attempts: 1,
  };
}
const session = ENDPOINTS.get_single_gumloop_session_by_id;

describe("single gets", () => {
  it("give the resource itself as result, queue_position beside it", () => {
    const text = toModelContent(
      json({ session: { id: "s1", state: "queued" }, queue_position: 3 }),
      {},
      session,
    );
    expect(JSON.parse(text)).toEqual({ result: { id: "s1", state: "queued" }, queue_position: 3 });
  });

  it("keep total_count beside a list", () => {
    const skills = ENDPOINTS.list_all_gumloop_skills;
    const text = toModelContent(
      json({ skills: [{ id: "k" }], next_cursor: "c", total_count: 9 }),
      {},
      skills,
    );
    expect(JSON.parse(text)).toEqual({ result: [{ id: "k" }], total_count: 9, next_cursor: "c" });
  });
});

describe("a long session", () => {
  const final = `Final report: ${"the tide comes in. ".repeat(300)}`;
  const messages = [
    ...Array.from({ length: 60 }, (_, i) => ({
      id: `m${i}`,
      role: i % 2 ? "assistant" : "user",
      content: "older ".repeat(80),
    })),
    { id: "last", role: "assistant", content: final },
  ];

  it("drops the oldest messages first and keeps the final reply whole", () => {
    const text = toModelContent(
      json({ session: { id: "s1", state: "completed", messages } }),
      {},
      session,
      8_000,
    );
    expect(text.length).toBeLessThanOrEqual(8_000);
    const parsed = JSON.parse(text) as {
      result: { messages: { id: string; content: string }[] };
      truncated: string;
    };
    const kept = parsed.result.messages;
    expect(kept.at(-1)).toEqual({ id: "last", role: "assistant", content: final });
    expect(kept.length).toBeLessThan(messages.length);
    expect(kept[0]!.id).toBe(`m${messages.length - kept.length}`);
    expect(parsed.truncated).toMatch(/newest \d+ of 61 messages/);
  });

  it("cuts the final reply only when it alone is over the budget, dropping every older message first", () => {
    const huge = [...messages.slice(0, 3), { id: "last", role: "assistant", content: "z".repeat(50_000) }];
    const text = toModelContent(json({ session: { id: "s1", messages: huge } }), {}, session, 4_000);
    expect(text.length).toBeLessThanOrEqual(4_000);
    const parsed = JSON.parse(text) as { result: { messages: { id: string }[] } };
    expect(parsed.result.messages.map((message) => message.id)).toEqual(["last"]);
  });
});

describe("a file read for the model", () => {
  const artifact = ENDPOINTS.get_single_gumloop_artifact_by_id;
  const info = {
    download_url: "https://storage.googleapis.com/x?sig=1",
    filename: "r.md",
    media_type: "text/markdown",
    size: 5,
  };

  it("puts the text beside the file's info", () => {
    const text = toModelContent(json(info), {}, artifact, 16_000, {
      text: "# Hi",
      mediaType: "text/markdown",
      size: 4,
    });
    expect(JSON.parse(text)).toEqual({ result: { ...info, content: "# Hi" } });
  });

  it("cuts a long text to the budget with a note, the JSON whole", () => {
    const long = `"quoted" line\n`.repeat(5_000);
    const text = toModelContent(json(info), {}, artifact, 3_000, {
      text: long,
      mediaType: "text/markdown",
      size: long.length,
    });
    expect(text.length).toBeLessThanOrEqual(3_000);
    const parsed = JSON.parse(text) as { result: { content: string; filename: string }; truncated: string };
    expect(parsed.result.filename).toBe("r.md");
    expect(long.startsWith(parsed.result.content)).toBe(true);
    expect(parsed.truncated).toMatch(/content cut to \d+ of 70000 chars/);
  });

  it("says a binary file is in the artifact", () => {
    const text = toModelContent(json(info), {}, artifact, 16_000, {
      text: null,
      mediaType: "application/pdf",
      size: 99,
    });
    expect(JSON.parse(text).result.content_note).toMatch(/Not text \(application\/pdf, 99 bytes\)/);
  });
});
