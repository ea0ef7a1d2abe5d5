/**
 * Server tokens, second factor and expiry over Streamable HTTP: every way in without a valid credential gets the
 * same 401 with nothing listed; tokens never reach logs, errors, listings or the store file.
 */
import { readFileSync, statSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { McpServerStore } from "../../src/mcp/store.js";
import { startHttpMcp, tempStore, type HttpMcp } from "./connect.js";
import { startMcpHarness, type McpHarness } from "./emulator.js";

const API_TOKEN = "api-token-for-tests-0123456789";
let h: McpHarness;
let mcp: HttpMcp;
let now = Date.parse("2027-01-01T00:00:00Z");
const tokens: Record<string, string> = {};
let store: McpServerStore;

const initialize = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw", version: "0" } },
};
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${mcp.url}${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      ...headers,
    },
    body: JSON.stringify(body),
  });

beforeAll(async () => {
  h = await startMcpHarness();
  store = tempStore(() => now);
  mcp = await startHttpMcp({ client: h.client, store, apiToken: API_TOKEN });
  tokens["open"] = store.create({ name: "open", filter: { readOnly: true } }).token;
  tokens["other"] = store.create({ name: "other", filter: { tags: ["agents"] } }).token;
  tokens["second"] = store.create({ name: "second", requireApiTokenAuth: true }).token;
  const expiring = store.create({ name: "expiring", expiresAt: new Date(now + 61_000).toISOString() });
  tokens["expiring"] = expiring.token;
  const revoked = store.create({ name: "revoked" });
  tokens["revoked"] = revoked.token;
  store.delete(revoked.server.id);
  const rotated = store.create({ name: "rotated" });
  tokens["rotatedOld"] = rotated.token;
  tokens["rotatedNew"] = store.update(rotated.server.id, { rotateToken: true }).token!;
});
afterAll(async () => {
  await mcp.close();
  await h.close();
});

describe("the HTTP server's credentials", () => {
  it("serves a valid token, and a second-factor server with the API token", async () => {
    const open = await mcp.connect(tokens["open"]!);
    expect((await open.listTools()).tools).toHaveLength(21);
    const second = await mcp.connect(tokens["second"]!, { authorization: `Bearer ${API_TOKEN}` });
    expect((await second.listTools()).tools).toHaveLength(41);
    const rotated = await mcp.connect(tokens["rotatedNew"]!);
    expect((await rotated.listTools()).tools.length).toBeGreaterThan(0);
  });

  it.each([
    ["an unknown token", () => post(`/mcp/gmcp_${"x".repeat(43)}`, initialize)],
    ["a revoked (deleted) server's token", () => post(`/mcp/${tokens["revoked"]}`, initialize)],
    ["a token replaced by rotation", () => post(`/mcp/${tokens["rotatedOld"]}`, initialize)],
    ["a second-factor server without the API token", () => post(`/mcp/${tokens["second"]}`, initialize)],
    [
      "a second-factor server with a wrong API token",
      () => post(`/mcp/${tokens["second"]}`, initialize, { authorization: "Bearer wrong-token" }),
    ],
    [
      "a second-factor server with the server token as the second factor",
      () => post(`/mcp/${tokens["second"]}`, initialize, { authorization: `Bearer ${tokens["second"]}` }),
    ],
    [
      "a session opened on another server's path",
      async () => {
        const opened = await post(`/mcp/${tokens["other"]}`, initialize);
        const session = opened.headers.get("mcp-session-id")!;
        await opened.body?.cancel();
        return post(
          `/mcp/${tokens["open"]}`,
          { jsonrpc: "2.0", id: 2, method: "tools/list", params: {} },
          { "mcp-session-id": session, "mcp-protocol-version": "2025-11-25" },
        );
      },
    ],
    [
      "an expired server (removed on use)",
      async () => {
        now += 62_000;
        return post(`/mcp/${tokens["expiring"]}`, initialize);
      },
    ],
  ])("answers %s with 401 and lists nothing", async (_case, send) => {
    const response = await send();
    expect(response.status).toBe(401);
    const body = await response.text();
    expect(body).not.toMatch(/tools|list_all|gumloop_/i);
    expect(JSON.parse(body).error.message).toBe("Unauthorized");
  });

  it("removed the expired server from the store", () => {
    expect(store.list().map((server) => server.name)).not.toContain("expiring");
    expect(readFileSync(store.path, "utf8")).not.toContain('"expiring"');
  });

  it("keeps only token hashes, in an owner-only file, and never logs a token", () => {
    const file = readFileSync(store.path, "utf8");
    for (const token of Object.values(tokens)) {
      expect(file).not.toContain(token);
      for (const line of mcp.log) expect(line).not.toContain(token);
      expect(JSON.stringify(store.list())).not.toContain(token);
    }
    expect(JSON.stringify(store.list())).not.toMatch(/tokenHash|[0-9a-f]{64}/);
    expect(statSync(store.path).mode & 0o777).toBe(0o600);
    expect(mcp.log.some((line) => line.includes("401"))).toBe(true);
  });

  it("refuses an expiry less than 60 s ahead, and a filter that matches nothing", () => {
    expect(() => store.create({ name: "soon", expiresAt: new Date(now + 30_000).toISOString() })).toThrow(
      /60 seconds/,
    );
    expect(() => store.create({ name: "empty", filter: { tags: ["teams"], methods: ["write"] } })).toThrow(
      /No Gumloop tool matches/,
    );
  });
});
