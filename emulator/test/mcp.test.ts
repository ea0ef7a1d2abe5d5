/** Contract tests for the MCP catalogue routes (mcp.yml; tools 17–19), with plain fetch. */
import { afterEach, describe, expect, it } from "vitest";
import type { Emulator, EmulatorOptions } from "../src/index.js";
import { SEED_MCP_SERVERS } from "../src/areas/mcp/routes.js";
import { call, expectError, expectShape, startTestEmulator, type Shape } from "./helpers.js";

let emulator: Emulator;

async function start(options: EmulatorOptions = {}): Promise<void> {
  ({ emulator } = await startTestEmulator(options));
}
afterEach(() => emulator?.close());

const SERVER_TYPES = ["gumcp_server", "gumstack_server", "mcp_server"] as const;

/** mcp.yml: a server of the list and retrieve responses. */
const SERVER: Shape = {
  server_id: "string",
  name: "string|null",
  type: SERVER_TYPES,
  status: "string",
  icon_url: "string|null",
  description: "string|null",
  gumloop_auth_url: "string",
  mcp_url: "string|null",
  tool_count: "integer|null",
  allowed_tool_call_ids: "array|null",
};

/** mcp.yml: a tool of `GET /mcp/servers/{server_id}/tools`. */
const TOOL: Shape = {
  tool_call_id: "string",
  name: "string",
  description: "string|null",
  input_schema: "object",
  server_id: "string|null",
  server_type: "string|null",
  server: "object",
};

const { slack, linear, gmail, github, crm, weather } = SEED_MCP_SERVERS;

describe("GET /mcp/servers (list_all_gumloop_mcp_servers)", () => {
  it("lists servers of every type in several connection states; allowed_tool_call_ids is null here", async () => {
    await start();
    const res = await call(emulator, "GET", "/mcp/servers");
    expect(res.status).toBe(200);
    expectShape(res.body, { servers: "array" });
    res.body.servers.forEach((s: Record<string, unknown>, i: number) =>
      expectShape(s, SERVER, `servers[${i}]`),
    );
    const byId = Object.fromEntries(res.body.servers.map((s: { server_id: string }) => [s.server_id, s]));
    expect(Object.keys(byId)).toEqual([slack, linear, gmail, github, crm, weather]);
    expect(byId[slack]).toEqual({
      server_id: slack,
      name: "Slack",
      type: "gumcp_server",
      status: "connected",
      icon_url: "https://www.gumloop.com/icons/slack.png",
      description: "Send and read Slack messages.",
      gumloop_auth_url: "https://www.gumloop.com/oauth/connect/slack",
      mcp_url: null,
      tool_count: 4,
      allowed_tool_call_ids: null,
    });
    expect(byId[linear].status).toBe("connected");
    expect(byId[gmail]).toMatchObject({
      status: "unauthenticated",
      gumloop_auth_url: "https://www.gumloop.com/oauth/connect/gmail",
    });
    expect(byId[github].status).toBe("blocked");
    expect(byId[crm]).toMatchObject({
      type: "gumstack_server",
      mcp_url: expect.stringMatching(/^https:\/\//),
    });
    expect(byId[weather]).toMatchObject({
      type: "mcp_server",
      mcp_url: expect.stringMatching(/^https:\/\//),
    });
    for (const s of res.body.servers) expect(s.allowed_tool_call_ids).toBeNull();
  });

  it("accepts the caller's team_id, 403s another team, 401s without a key", async () => {
    await start();
    expect(
      (await call(emulator, "GET", "/mcp/servers", { query: { team_id: emulator.teamId } })).status,
    ).toBe(200);
    expect((await call(emulator, "GET", "/mcp/servers", { auth: "team" })).status).toBe(200);
    expectError(
      await call(emulator, "GET", "/mcp/servers", { query: { team_id: emulator.otherUser.teamId } }),
      403,
    );
    expectError(await call(emulator, "GET", "/mcp/servers", { auth: "none" }), 401);
  });
});

describe("GET /mcp/servers/{server_id} (get_single_gumloop_mcp_server_by_id)", () => {
  it("returns {server} with allowed_tool_call_ids, without policy-restricted tools", async () => {
    await start();
    const res = await call(emulator, "GET", `/mcp/servers/${slack}`);
    expect(res.status).toBe(200);
    expectShape(res.body, { server: "object" });
    expectShape(res.body.server, SERVER, "server");
    expect(res.body.server.allowed_tool_call_ids).toEqual([
      "gumloop_slack__slack_send_message",
      "gumloop_slack__slack_list_channels",
      "gumloop_slack__slack_search_messages",
    ]);
    expect(res.body.server.tool_count).toBe(4);
    const blocked = await call(emulator, "GET", `/mcp/servers/${github}`);
    expect(blocked.body.server).toMatchObject({ status: "blocked", allowed_tool_call_ids: [] });
    const unauth = await call(emulator, "GET", `/mcp/servers/${gmail}`);
    expect(unauth.body.server.allowed_tool_call_ids).toHaveLength(2);
  });

  it("404s an unknown server with mcp_server_not_found; 403s another team's scope", async () => {
    await start();
    const res = await call(emulator, "GET", "/mcp/servers/gumloop_nope");
    expectError(res, 404, "mcp_server_not_found");
    expect(res.body.error.details).toEqual({ server_id: "gumloop_nope" });
    expectError(
      await call(emulator, "GET", `/mcp/servers/${slack}`, { query: { team_id: emulator.otherUser.teamId } }),
      403,
    );
    expectError(await call(emulator, "GET", `/mcp/servers/${slack}`, { auth: "none" }), 401);
  });
});

describe("GET /mcp/servers/{server_id}/tools (list_all_gumloop_mcp_server_tools)", () => {
  it("lists a connected server's tools with tool_call_id = {server_id}__{name} and a JSON Schema", async () => {
    await start();
    const res = await call(emulator, "GET", `/mcp/servers/${slack}/tools`);
    expect(res.status).toBe(200);
    expectShape(res.body, {
      tools: "array",
      server_id: "string|null",
      status: "string|null",
      gumloop_auth_url: "string|null",
    });
    expect(res.body).toMatchObject({
      server_id: slack,
      status: "connected",
      gumloop_auth_url: "https://www.gumloop.com/oauth/connect/slack",
    });
    res.body.tools.forEach((t: Record<string, unknown>, i: number) => {
      expectShape(t, TOOL, `tools[${i}]`);
      expect(t.tool_call_id).toBe(`${slack}__${t.name as string}`);
      expect(t).toMatchObject({ server_id: slack, server_type: "gumcp_server", server: {} });
      expect((t.input_schema as { type: string }).type).toBe("object");
    });
    const sendTool = res.body.tools.find((t: { name: string }) => t.name === "slack_send_message");
    expect(sendTool.input_schema.required).toEqual(["channel", "text"]);
    expect(res.body.tools).toHaveLength(4);
    for (const id of [linear, crm, weather]) {
      const tools = (await call(emulator, "GET", `/mcp/servers/${id}/tools`)).body.tools;
      expect(tools.length).toBeGreaterThan(0);
      tools.forEach((t: Record<string, unknown>, i: number) => expectShape(t, TOOL, `${id}.tools[${i}]`));
    }
  });

  it("returns no tools, plus the gumloop_auth_url, for a server that is not connected", async () => {
    await start();
    const unauth = await call(emulator, "GET", `/mcp/servers/${gmail}/tools`);
    expect(unauth.status).toBe(200);
    expect(unauth.body).toEqual({
      tools: [],
      server_id: gmail,
      status: "unauthenticated",
      gumloop_auth_url: "https://www.gumloop.com/oauth/connect/gmail",
    });
    const blocked = await call(emulator, "GET", `/mcp/servers/${github}/tools`);
    expect(blocked.body).toMatchObject({
      tools: [],
      status: "blocked",
      gumloop_auth_url: expect.any(String),
    });
  });

  it("404s an unknown server and 403s another team's scope", async () => {
    await start();
    expectError(await call(emulator, "GET", "/mcp/servers/nope/tools"), 404, "mcp_server_not_found");
    expectError(
      await call(emulator, "GET", `/mcp/servers/${slack}/tools`, {
        query: { team_id: emulator.otherUser.teamId },
      }),
      403,
    );
  });
});
