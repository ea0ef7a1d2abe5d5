import { describe, expect, it } from "vitest";
import type { GumloopResponse } from "../../src/client/client.js";
import { ParsedResponse } from "../../src/client/parsedResponse.js";
import { NO_RATE_LIMIT_INFO } from "../../src/client/rateLimit.js";
import { toModelContent, toModelJson } from "../../src/langchain/content.js";
import { fromStrictInput, toStrictSchema } from "../../src/langchain/strictSchema.js";
import { ENDPOINTS } from "../../src/tools/index.js";

function response(
  data: unknown,
  format: GumloopResponse["format"] = "json",
  mediaType = "application/json",
): GumloopResponse {
  return {
    operation: "op",
    status: 200,
    format,
    data,
    mediaType,
    rateLimit: NO_RATE_LIMIT_INFO,
    requestId: null,
    attempts: 1,
  };
}
const cursorPages = { pagination: ENDPOINTS.list_all_gumloop_artifacts.pagination };
const pageNumbers = { pagination: ENDPOINTS.list_all_gumloop_audit_logs.pagination };

describe("model content", () => {
  it("gives the list itself as result and lifts next_cursor out of the body", () => {
    const text = toModelContent(response({ artifacts: [{ id: "a1" }], next_cursor: "abc" }), {}, cursorPages);
    expect(JSON.parse(text)).toEqual({ result: [{ id: "a1" }], next_cursor: "abc" });
    const last = toModelContent(response({ artifacts: [], next_cursor: null }), {}, cursorPages);
    expect(JSON.parse(last)).toEqual({ result: [] });
  });

  it("gives the next page number for page-number lists", () => {
    const body = { audit_logs: [{ event_id: "e" }], page: 2, total_pages: 3, total_count: 3, page_size: 1 };
    expect(JSON.parse(toModelContent(response(body), { page: 2 }, pageNumbers)).next_cursor).toBe(3);
    expect(
      JSON.parse(toModelContent(response({ ...body, page: 3 }), { page: 3 }, pageNumbers)).next_cursor,
    ).toBeUndefined();
  });

  it("never puts file bytes or CSV text in the content", () => {
    const zip = {
      bytes: new Uint8Array([80, 75, 3, 4]),
      mediaType: "application/zip",
      size: 4,
      filename: "files.zip",
    };
    const text = toModelContent(response(zip, "binary", "application/zip"), {}, undefined);
    expect(JSON.parse(text).result).toEqual({
      filename: "files.zip",
      media_type: "application/zip",
      size: 4,
    });
    const csv = toModelContent(response("secret,data\n1,2\n", "text", "text/csv"), {}, undefined);
    expect(csv).not.toContain("secret");
    expect(JSON.parse(csv).result).toMatchObject({ media_type: "text/csv", size: 16 });
  });

  it("shortens long strings before dropping anything, and says so", () => {
    const text = toModelContent(
      response({ session: { messages: [{ content: "x".repeat(50_000) }] } }),
      {},
      undefined,
      4_000,
    );
    expect(text.length).toBeLessThanOrEqual(4_000);
    expect(JSON.parse(text).truncated).toMatch(/shortened/);
  });

  it("cuts a long list to fit, telling the model how to page through the rest", () => {
    const artifacts = Array.from({ length: 100 }, (_, i) => ({
      id: `a${i}`,
      filename: `file-${i}.md`,
      note: "y".repeat(100),
    }));
    const text = toModelContent(
      response({ artifacts, next_cursor: "n" }),
      { page_size: 100 },
      cursorPages,
      3_000,
    );
    const parsed = JSON.parse(text);
    expect(text.length).toBeLessThanOrEqual(3_000);
    expect(parsed.result.length).toBeLessThan(100);
    expect(parsed.truncated).toMatch(/Showing \d+ of 100 items.*page_size=\d+/);
    expect(parsed.next_cursor).toBe("n");
  });

  it("as a last resort sends an excerpt that fits the limit (escaping included) and keeps the cursor", () => {
    // Many short keys full of quotes: no long strings to shorten, no list to cut, and the excerpt's escaping
    // (every quote becomes \") would overshoot a budget counted before it.
    const artifacts = Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`k${i}`, `"${i}"`]));
    for (const limit of [300, 1_000, 2_000]) {
      const text = toModelContent(response({ artifacts, next_cursor: "more" }), {}, cursorPages, limit);
      expect(text.length).toBeLessThanOrEqual(limit);
      const parsed = JSON.parse(text);
      expect(parsed.result_excerpt.length).toBeGreaterThan(0);
      expect(parsed.next_cursor).toBe("more");
      expect(parsed.truncated).toMatch(/full response is in the tool artifact/);
    }
  });
});

describe("strict-mode input", () => {
  it("turns nulls back into missing fields and JSON text back into objects", () => {
    const { schema, jsonPaths } = toStrictSchema(ENDPOINTS.create_a_gumloop_mcp_tool.input);
    expect(jsonPaths).toEqual(["calls.*.arguments"]);
    const parsed = schema.parse({
      calls: [{ server_id: "gumloop_slack", tool_name: "send", arguments: '{"channel":"#a"}' }],
    });
    const { value, issues } = fromStrictInput(parsed, jsonPaths);
    expect(issues).toEqual([]);
    expect(value).toEqual({
      calls: [{ server_id: "gumloop_slack", tool_name: "send", arguments: { channel: "#a" } }],
    });
  });

  it("names the field when the JSON text is not an object", () => {
    const { jsonPaths } = toStrictSchema(ENDPOINTS.create_a_gumloop_flow_run.input);
    const { issues } = fromStrictInput({ saved_item_id: "f", inputs: "[1]" }, jsonPaths);
    expect(issues).toEqual([
      { field: "inputs", message: 'must be a JSON object as text, e.g. {"key": "value"}' },
    ]);
  });
});

describe("model content from the server's own text", () => {
  const data = { session: { id: "s1", note: "a\nb" } };
  const parsed = (text: string) =>
    new ParsedResponse(
      "op",
      200,
      "json",
      JSON.parse(text),
      "application/json",
      NO_RATE_LIMIT_INFO,
      null,
      1,
      text,
    );

  it("reuses compact JSON text as it came, equal to serialising the data", () => {
    const text = JSON.stringify(data);
    const content = toModelContent(parsed(text), {}, undefined);
    expect(content).toBe(`{"result":${text}}`);
    expect(content).toBe(toModelContent(response(data), {}, undefined));
  });

  it("re-serialises pretty-printed JSON compactly, and paginated or oversized bodies as before", () => {
    const pretty = JSON.stringify(data, null, 2);
    expect(toModelContent(parsed(pretty), {}, undefined)).toBe(JSON.stringify({ result: data }));
    const page = { artifacts: [{ id: "a1" }], next_cursor: "abc" };
    expect(JSON.parse(toModelContent(parsed(JSON.stringify(page)), {}, cursorPages))).toEqual({
      result: [{ id: "a1" }],
      next_cursor: "abc",
    });
    const big = { session: { id: "s1", text: "x".repeat(5_000) } };
    const capped = JSON.parse(toModelContent(parsed(JSON.stringify(big)), {}, undefined, 3_000));
    expect(capped.truncated).toMatch(/shortened/);
  });
});

describe("toModelJson (composite tools' summaries)", () => {
  it("keeps the JSON whole within the budget: long text shortened, the longest list cut, a note saying so", () => {
    const summary = {
      status: "completed",
      session_id: "lc_0123456789abcdef",
      final_message: `Report: ${"tides ".repeat(10_000)}`,
      artifacts: Array.from({ length: 400 }, (_, i) => ({
        id: `art_${i}`,
        filename: `file-${i}.md`,
        size: i,
      })),
    };
    for (const budget of [16_000, 4_000, 1_000]) {
      const text = toModelJson(summary, budget);
      expect(text.length).toBeLessThanOrEqual(budget);
      const parsed = JSON.parse(text) as Record<string, unknown>;
      if ("result_excerpt" in parsed) continue;
      expect(parsed["status"]).toBe("completed");
      expect(parsed["session_id"]).toBe("lc_0123456789abcdef");
      expect(String(parsed["truncated"])).toMatch(/shortened|Showing/);
    }
  });

  it("leaves a summary that fits as it is, with no note", () => {
    const text = toModelJson({ status: "completed", final_message: "short" });
    expect(JSON.parse(text)).toEqual({ status: "completed", final_message: "short" });
  });
});
