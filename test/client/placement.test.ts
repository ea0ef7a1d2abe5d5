import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GumloopValidationError } from "../../src/client/errors.js";
import { checkId } from "../../src/ids.js";
import { startRecordingServer, type RecordingServer } from "../helpers/recordingServer.js";
import {
  USER_ID,
  auditLogs,
  chat,
  createSession,
  createSkill,
  getSession,
  makeClient,
  startPipeline,
} from "./fixtures.js";

let server: RecordingServer;
beforeAll(async () => {
  server = await startRecordingServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

describe("field placement", () => {
  it("puts route variables in the path and the rest of a POST in a JSON body", async () => {
    await makeClient(server.url).call(createSession, {
      agent_id: "agent_42",
      input: "hello",
      session_id: "sess_x",
    });
    const [request] = server.requests;
    expect(request!.method).toBe("POST");
    expect(request!.url.pathname).toBe("/api/v1/agents/agent_42/sessions");
    expect(request!.headers["content-type"]).toBe("application/json");
    expect(request!.json).toEqual({ input: "hello", session_id: "sess_x" });
    expect([...request!.url.searchParams.keys()]).toEqual([]);
  });

  it("puts the rest of a GET in the query string, joining arrays and dropping nulls", async () => {
    await makeClient(server.url).call(auditLogs, {
      organization_id: "org_1",
      event_types: ["user_sign_in", "credential_retrieval"],
      page: 2,
      start_time: null,
    });
    const query = server.requests[0]!.url.searchParams;
    expect(query.get("organization_id")).toBe("org_1");
    expect(query.get("event_types")).toBe("user_sign_in,credential_retrieval");
    expect(query.get("page")).toBe("2");
    expect(query.has("start_time")).toBe(false);
    expect(query.get("user_id")).toBe(USER_ID);
  });

  it("fills user_id into the body of legacy routes unless the caller gave one", async () => {
    const client = makeClient(server.url);
    await client.call(startPipeline, { saved_item_id: "flow_1", topic: "tides" });
    await client.call(startPipeline, { saved_item_id: "flow_1", user_id: "user_other" });
    expect(server.requests[0]!.json).toEqual({ saved_item_id: "flow_1", topic: "tides", user_id: USER_ID });
    expect((server.requests[1]!.json as { user_id: string }).user_id).toBe("user_other");
  });

  it("spreads flow inputs named like Object.prototype members (constructor, toString, valueOf)", async () => {
    const flowRun = { ...startPipeline, spread: "inputs" };
    const inputs = { topic: "tides", constructor: "c", toString: "t", valueOf: "v", hasOwnProperty: "h" };
    await makeClient(server.url).call(flowRun, { saved_item_id: "flow_1", inputs });
    expect(server.requests[0]!.json).toEqual({ saved_item_id: "flow_1", ...inputs, user_id: USER_ID });
  });

  it("keeps an own __proto__ input key a plain field: it cannot inject inherited fields", async () => {
    // JSON.parse (how a model's tool arguments arrive) makes "__proto__" an own key.
    const input = JSON.parse(
      '{"saved_item_id": "flow_1", "__proto__": {"user_id": "user_evil", "injected": 1}}',
    );
    await makeClient(server.url).call(startPipeline, input as Record<string, unknown>);
    const body = server.requests[0]!.json as Record<string, unknown>;
    expect(Object.hasOwn(body, "injected")).toBe(false);
    expect(body["user_id"]).toBe(USER_ID);
  });

  it("sends an empty JSON object for a POST without fields", async () => {
    await makeClient(server.url).call(
      { name: "cancel", route: "POST /sessions/{session_id}/cancel" },
      { session_id: "s1" },
    );
    expect(server.requests[0]!.body.toString("utf8")).toBe("{}");
  });

  it("encodes multipart bodies with file parts and form fields", async () => {
    const skill = "---\nname: Lead enrichment\ndescription: Enrich leads\n---\nSteps";
    await makeClient(server.url).call(createSkill, {
      files: [
        { file_name: "SKILL.md", content: skill },
        { file_name: "logo.png", content_base64: Buffer.from([137, 80, 78, 71]).toString("base64") },
      ],
      team_id: "team_9",
    });
    const [request] = server.requests;
    expect(request!.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    const text = request!.body.toString("latin1");
    expect(text).toContain('name="files"; filename="SKILL.md"');
    expect(text).toContain("Content-Type: text/markdown");
    expect(text).toContain(skill);
    expect(text).toContain('name="files"; filename="logo.png"');
    expect(text).toContain("Content-Type: image/png");
    expect(text).toContain('name="team_id"\r\n\r\nteam_9');
  });

  it("sends stream-host operations to the stream base URL", async () => {
    const client = makeClient(server.url, { streamBaseUrl: server.url.replace("/api/v1", "/ws/api/v1") });
    await client.call(chat, { model: "m", messages: [{ role: "user", content: "hi" }] });
    expect(server.requests[0]!.url.pathname).toBe("/ws/api/v1/chat/completions");
  });

  it("percent-encodes ids that are safe but unusual", async () => {
    await makeClient(server.url).call(getSession, { session_id: "sess:a~b.c" });
    expect(server.requests[0]!.url.pathname).toBe("/api/v1/sessions/sess%3Aa~b.c");
  });
});

describe("path id validation", () => {
  it.each([
    ["..", /'\.' or '\.\.'/],
    [".", /'\.' or '\.\.'/],
    ["a/b", /no '\/'/],
    ["", /must not be empty/],
    ["sess 1", /no '\/', spaces/],
    ["%2e%2e", /no '\/', spaces or '%'/],
    [42, /must be a string id/],
  ])("rejects %j before any request is sent", async (value, message) => {
    const client = makeClient(server.url);
    const error = await client.call(getSession, { session_id: value }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GumloopValidationError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain("session_id");
    expect((error as Error).message).toContain("nothing was sent");
    expect(server.requests).toHaveLength(0);
  });

  it("reports a missing path id as required", async () => {
    const error = await makeClient(server.url)
      .call(getSession, {})
      .catch((e: unknown) => e);
    expect((error as GumloopValidationError).issues).toEqual([
      { field: "session_id", message: "is required" },
    ]);
    expect(server.requests).toHaveLength(0);
  });

  it("accepts Gumloop-shaped ids", () => {
    for (const id of ["sess_xYz789AbCd", "abc123DEFghiJKL", "gumloop_slack", "skill-2b9c", "v1.2"]) {
      expect(checkId(id)).toBeNull();
    }
  });
});
