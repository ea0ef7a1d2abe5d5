/** Contract tests for batched MCP tool calls (mcp.yml; tool 16: POST /mcp/tools/call), with plain fetch. */
import { afterEach, describe, expect, it } from "vitest";
import type { Emulator, EmulatorOptions } from "../src/index.js";
import { MCP_SERVERS, SEED_MCP_SERVERS, mcpServerStatuses } from "../src/areas/mcp/routes.js";
import { emulatorEnv } from "../src/internals.js";
import { call, expectError, expectShape, startTestEmulator, type AuthKind, type Shape } from "./helpers.js";

let emulator: Emulator;

async function start(options: EmulatorOptions = {}): Promise<void> {
  ({ emulator } = await startTestEmulator(options));
}
afterEach(() => emulator?.close());

/** mcp.yml: one entry of `results`. */
const RESULT: Shape = {
  ref: "string",
  server_id: "string|null",
  tool_name: "string|null",
  status: ["success", "unauthenticated", "error"],
  content: "array|null",
  error: "object|null",
};

/** The per-result error: code, message, type, optional param and details. */
const RESULT_ERROR: Shape = {
  code: "string",
  message: "string",
  type: "string",
  param: "string|null",
  details: "object",
};

const { slack, linear, gmail, github, crm, weather } = SEED_MCP_SERVERS;

interface Call {
  server_id: string;
  tool_name: string;
  arguments?: unknown;
  ref?: string | null;
}

const callTools = (body: unknown, options: { auth?: AuthKind; query?: Record<string, string> } = {}) =>
  call(emulator, "POST", "/mcp/tools/call", {
    body,
    auth: options.auth ?? "personal",
    query: options.query ?? {},
  });

/** Posts calls and checks every result's shape. */
async function run(calls: Call[], extra: Record<string, unknown> = {}) {
  const res = await callTools({ calls, ...extra });
  if (res.status === 200 || res.status === 207) {
    expectShape(res.body, { results: "array" });
    expect(res.body.results).toHaveLength(calls.length);
    res.body.results.forEach((r: Record<string, unknown>, i: number) => {
      expectShape(r, RESULT, `results[${i}]`);
      if (r.status === "success") {
        expect(r.error).toBeNull();
        (r.content as unknown[]).forEach((block, j) =>
          expectShape(block, { type: "string" }, `content[${j}]`),
        );
      } else {
        expect(r.content).toBeNull();
        expectShape(r.error, RESULT_ERROR, `results[${i}].error`);
      }
    });
  }
  return res;
}

const send = (ref?: string): Call => ({
  ...(ref === undefined ? {} : { ref }),
  server_id: slack,
  tool_name: "slack_send_message",
  arguments: { channel: "#general", text: "Hello from Gumloop" },
});

describe("POST /mcp/tools/call (create_a_gumloop_mcp_tool)", () => {
  it("200 when every call succeeds; refs are echoed, or the zero-based index as a string", async () => {
    await start();
    const res = await run([
      send("send-1"),
      { server_id: linear, tool_name: "linear_create_issue", arguments: { title: "Fix login", priority: 1 } },
      { server_id: weather, tool_name: "get_forecast", arguments: { city: "Lisbon", days: 2 }, ref: null },
      { server_id: crm, tool_name: "crm_lookup_contact", arguments: { email: "ada.lovelace@acme.com" } },
      { server_id: slack, tool_name: "slack_list_channels" },
    ]);
    expect(res.status).toBe(200);
    const [sent, issue, forecast, contact, channels] = res.body.results;
    expect(sent).toEqual({
      ref: "send-1",
      server_id: slack,
      tool_name: "slack_send_message",
      status: "success",
      content: [{ type: "text", text: "Message sent to #general" }],
      error: null,
    });
    expect(res.body.results.map((r: { ref: string }) => r.ref)).toEqual(["send-1", "1", "2", "3", "4"]);
    expect(issue.content[0].text).toMatch(/^Created issue ENG-\d+: Fix login$/);
    expect(forecast.content[0].text.split("\n")).toHaveLength(3);
    expect(JSON.parse(contact.content[0].text)).toMatchObject({ name: "Ada Lovelace", company: "acme" });
    expect(JSON.parse(channels.content[0].text).channels).toHaveLength(5);
  });

  it("derives results from the arguments alone: the same call gives the same content, across emulators", async () => {
    await start();
    const calls: Call[] = [
      { server_id: linear, tool_name: "linear_create_issue", arguments: { title: "Same" } },
      { server_id: slack, tool_name: "slack_send_message", arguments: { channel: "sales", text: "x" } },
      { server_id: slack, tool_name: "slack_search_messages", arguments: { query: "invoice", count: 2 } },
    ];
    const first = (await run(calls)).body.results;
    const second = (await run(calls)).body.results;
    expect(second).toEqual(first);
    expect(first[1].content[0].text).toBe("Message sent to #sales");
    await emulator.close();
    await start();
    expect((await run(calls)).body.results).toEqual(first);
    const other = (await run([{ ...calls[0]!, arguments: { title: "Different" } }])).body.results[0];
    expect(other.content).not.toEqual(first[0].content);
  });

  it("200 when every call fails: unauthenticated (auth_required + gumloop_auth_url), blocked, unknown, invalid", async () => {
    await start();
    const res = await run([
      {
        ref: "issue-1",
        server_id: gmail,
        tool_name: "gmail_send_email",
        arguments: { to: "a@b.c", subject: "s", body: "b" },
      },
      { server_id: github, tool_name: "github_create_issue", arguments: { repo: "a/b", title: "t" } },
      { server_id: "gumloop_nope", tool_name: "x" },
      { server_id: slack, tool_name: "slack_nope" },
      { server_id: slack, tool_name: "slack_send_message", arguments: { channel: "#general" } },
    ]);
    expect(res.status).toBe(200);
    const [unauth, blocked, noServer, noTool, invalid] = res.body.results;
    expect(unauth).toEqual({
      ref: "issue-1",
      server_id: gmail,
      tool_name: "gmail_send_email",
      status: "unauthenticated",
      content: null,
      error: {
        code: "auth_required",
        message: "Connect Gmail before using this tool.",
        type: "permission_error",
        param: "tool_name",
        details: {
          server_id: gmail,
          tool_name: "gmail_send_email",
          gumloop_auth_url: "https://www.gumloop.com/oauth/connect/gmail",
        },
      },
    });
    expect(blocked).toMatchObject({
      status: "error",
      error: { code: "mcp_server_restricted", type: "permission_error" },
    });
    expect(noServer).toMatchObject({
      status: "error",
      error: { code: "mcp_server_not_found", type: "not_found_error", param: "server_id" },
    });
    expect(noTool).toMatchObject({ status: "error", error: { code: "tool_not_found", param: "tool_name" } });
    expect(invalid).toMatchObject({
      status: "error",
      error: { code: "invalid_arguments", type: "invalid_request_error", param: "arguments" },
    });
    expect(invalid.error.details.errors).toEqual(["arguments.text is required"]);
  });

  it("207 when some calls succeed and some fail", async () => {
    await start();
    const res = await run([
      send("send-1"),
      { ref: "issue-1", server_id: gmail, tool_name: "gmail_search_emails", arguments: { query: "x" } },
    ]);
    expect(res.status).toBe(207);
    expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(["success", "unauthenticated"]);
    const withError = await run([
      send(),
      { server_id: linear, tool_name: "linear_get_issue", arguments: { issue_id: "ENG-999" } },
    ]);
    expect(withError.status).toBe(207);
    expect(withError.body.results[1]).toMatchObject({
      status: "error",
      error: { code: "tool_error", message: "Issue ENG-999 not found" },
    });
  });

  it("checks arguments against the input_schema: required properties, types, enums and ranges", async () => {
    await start();
    const results = (
      await run([
        { server_id: slack, tool_name: "slack_send_message", arguments: { channel: "#general", text: 5 } },
        { server_id: slack, tool_name: "slack_list_channels", arguments: { limit: 2.5 } },
        { server_id: slack, tool_name: "slack_list_channels", arguments: { limit: 500 } },
        { server_id: linear, tool_name: "linear_list_issues", arguments: { state: "closed" } },
        { server_id: weather, tool_name: "get_forecast", arguments: {} },
      ])
    ).body.results;
    expect(results.map((r: { error: { code: string } }) => r.error.code)).toEqual(
      Array(5).fill("invalid_arguments"),
    );
    expect(results[0].error.details.errors).toEqual(["arguments.text must be string, got integer"]);
    expect(results[1].error.message).toContain("arguments.limit must be integer");
    expect(results[2].error.message).toContain("arguments.limit must be <= 100");
    expect(results[3].error.message).toContain("must be one of");
    expect(results[4].error.message).toContain("arguments.city is required");
    const ok = (
      await run([
        { server_id: linear, tool_name: "linear_list_issues", arguments: { state: "done", extra: true } },
      ])
    ).body;
    expect(JSON.parse(ok.results[0].content[0].text).issues).toEqual([
      { id: "ENG-103", title: "Upgrade Node to 20", state: "done", priority: 2 },
    ]);
  });

  it("reports policy-restricted tools and tool_call_ids passed as tool_name per result", async () => {
    await start();
    const [restricted, wrongName] = (
      await run([
        {
          server_id: slack,
          tool_name: "slack_delete_message",
          arguments: { channel: "#general", ts: "1.2" },
        },
        {
          server_id: slack,
          tool_name: "gumloop_slack__slack_send_message",
          arguments: { channel: "#a", text: "b" },
        },
      ])
    ).body.results;
    expect(restricted.error).toMatchObject({ code: "policy_denied", type: "permission_error" });
    expect(wrongName.error.code).toBe("tool_not_found");
    expect(wrongName.error.message).toContain("not its tool_call_id");
  });

  it("400s a batch of 0 or 6 calls and malformed calls; 5 calls are fine", async () => {
    await start();
    expectError(await callTools({ calls: [] }), 400, "invalid_request");
    const six = await callTools({ calls: Array.from({ length: 6 }, () => send()) });
    expectError(six, 400);
    expect(six.body.error.param).toBe("calls");
    expect((await run(Array.from({ length: 5 }, (_, i) => send(`m${i}`)))).status).toBe(200);
    expectError(await callTools({}), 400);
    expectError(await callTools({ calls: send() }), 400);
    expectError(await callTools([send()]), 400);
    const noServer = await callTools({ calls: [{ tool_name: "slack_send_message" }] });
    expectError(noServer, 400);
    expect(noServer.body.error.param).toBe("calls[0].server_id");
    expectError(await callTools({ calls: [{ server_id: slack }] }), 400);
    expectError(await callTools({ calls: [{ ...send(), arguments: '{"channel":"#a"}' }] }), 400);
    expectError(await callTools({ calls: [{ ...send(), ref: 7 }] }), 400);
    expectError(await callTools({ calls: ["slack"] }), 400);
  });

  it("reads team_id from the body: another team there is a 403, in the query it is not consulted", async () => {
    await start();
    const other = emulator.otherUser.teamId;
    expectError(await callTools({ calls: [send()], team_id: other }), 403);
    expect((await callTools({ calls: [send()] }, { query: { team_id: other } })).status).toBe(200);
    expect((await callTools({ calls: [send()], team_id: emulator.secondTeamId })).status).toBe(200);
    expect((await callTools({ calls: [send()], team_id: null })).status).toBe(200);
    expect((await callTools({ calls: [send()], team_id: emulator.teamId }, { auth: "team" })).status).toBe(
      200,
    );
    expectError(await callTools({ calls: [send()], team_id: emulator.secondTeamId }, { auth: "team" }), 403);
    expectError(await callTools({ calls: [send()] }, { auth: "none" }), 401);
    expect((await callTools({ calls: [send()], team_id: other }, { auth: "other" })).status).toBe(200);
  });

  it("honours seedData.mcp_server_status: a connected Gmail lists tools and runs them", async () => {
    await start({ seedData: { mcp_server_status: { [gmail]: "connected", [slack]: "unauthenticated" } } });
    const tools = await call(emulator, "GET", `/mcp/servers/${gmail}/tools`);
    expect(tools.body.tools.map((t: { name: string }) => t.name)).toEqual([
      "gmail_send_email",
      "gmail_search_emails",
    ]);
    const res = await run([
      {
        server_id: gmail,
        tool_name: "gmail_send_email",
        arguments: { to: "ada@example.com", subject: "Hi", body: "Yo" },
      },
      send(),
    ]);
    expect(res.status).toBe(207);
    expect(res.body.results[0].content).toEqual([{ type: "text", text: "Email sent to ada@example.com" }]);
    expect(res.body.results[1].status).toBe("unauthenticated");
    mcpServerStatuses(emulatorEnv(emulator).store).set(slack, "connected");
    expect((await run([send()])).body.results[0].status).toBe("success");
    expect(emulator.inspect().mcp).toMatchObject({ servers: { [slack]: "connected", [gmail]: "connected" } });
    expect(MCP_SERVERS).toHaveLength(6);
  });
});
