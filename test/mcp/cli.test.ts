/**
 * The admin commands and `serve` as a shell runs them: `servers create/list/update/delete` against a store file,
 * and `serve --json` serving the stored servers at /mcp/<token>.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, type Emulator, cliEnvironment } from "./emulator.js";
import { TS_NODE_FLAGS } from "../helpers/tsNode.js";

const CLI = new URL("../../src/mcp/cli.ts", import.meta.url).pathname;
const store = join(mkdtempSync(join(tmpdir(), "gumloop-mcp-cli-")), "servers.json");
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator.close());

function run(...args: string[]) {
  const result = spawnSync(process.execPath, [...TS_NODE_FLAGS, CLI, ...args], {
    env: cliEnvironment(emulator),
    encoding: "utf8",
    timeout: 30_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("gumloop-mcp servers and serve", () => {
  let created: { id: string; token: string; path: string };
  let pinned: { id: string; token: string; path: string };
  const identityFields = (tools: { inputSchema: { properties?: object } }[]) =>
    tools.flatMap((tool) =>
      Object.keys(tool.inputSchema.properties ?? {}).filter((key) =>
        ["user_id", "team_id", "project_id"].includes(key),
      ),
    );

  it("creates a server and prints its id, token and path once", () => {
    const result = run(
      "servers",
      "create",
      "--store",
      store,
      "--name",
      "research",
      "--tags",
      "agents,sessions",
      "--json",
    );
    expect(result.status, result.stderr).toBe(0);
    created = JSON.parse(result.stdout);
    expect(created.path).toBe(`/mcp/${created.token}`);
    expect(readFileSync(store, "utf8")).not.toContain(created.token);
  }, 60_000);

  it("lists servers without tokens, updates them, and refuses a filter that matches nothing", () => {
    const listed = run("servers", "list", "--store", store, "--json");
    expect(JSON.parse(listed.stdout)).toMatchObject([
      { id: created.id, name: "research", toolExposure: "all" },
    ]);
    expect(listed.stdout).not.toContain(created.token);
    const updated = run(
      "servers",
      "update",
      created.id,
      "--store",
      store,
      "--tool-exposure",
      "discovery",
      "--json",
    );
    expect(updated.status, updated.stderr).toBe(0);
    const empty = run(
      "servers",
      "create",
      "--store",
      store,
      "--name",
      "x",
      "--tags",
      "teams",
      "--methods",
      "write",
    );
    expect(empty.status).toBe(1);
    expect(empty.stderr).toMatch(/No Gumloop tool matches/);

    const flows = run(
      "servers",
      "create",
      "--store",
      store,
      "--name",
      "flows",
      "--tags",
      "flows",
      "--pin-identity",
      "--json",
    );
    expect(flows.status, flows.stderr).toBe(0);
    pinned = JSON.parse(flows.stdout);
    const servers = JSON.parse(run("servers", "list", "--store", store, "--json").stdout) as { id: string }[];
    expect(servers.find((server) => server.id === pinned.id)).toMatchObject({ pinIdentity: true });
    expect(run("servers", "list", "--store", store).stdout).toMatch(/flows .*identity-pinned/);
  }, 60_000);

  it("serves the stored servers over Streamable HTTP and prints its URL as one JSON line", async () => {
    const child = spawn(
      process.execPath,
      [...TS_NODE_FLAGS, CLI, "serve", "--port", "0", "--store", store, "--json"],
      {
        env: cliEnvironment(emulator),
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    try {
      const first = await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next();
      const { url } = JSON.parse(first.value as string) as { url: string };
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const denied = await fetch(`${url}/mcp/not-a-token`, { method: "POST", body: "{}" });
      expect(denied.status).toBe(401);
      const client = new Client({ name: "cli-test", version: "0.0.0" });
      await client.connect(new StreamableHTTPClientTransport(new URL(`${url}${created.path}`)));
      expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual([
        "search_tools",
        "get_tool_schema",
        "call_tool",
      ]);
      await client.close();

      // The pinned server's tools take no identity field: the server's credentials decide who acts.
      const flows = new Client({ name: "cli-test", version: "0.0.0" });
      await flows.connect(new StreamableHTTPClientTransport(new URL(`${url}${pinned.path}`)));
      const { tools } = await flows.listTools();
      expect(tools.length).toBeGreaterThan(3);
      expect(identityFields(tools)).toEqual([]);
      await flows.close();
      const unpinned = run("servers", "update", pinned.id, "--store", store, "--no-pin-identity", "--json");
      expect(unpinned.status, unpinned.stderr).toBe(0);
      const again = new Client({ name: "cli-test", version: "0.0.0" });
      await again.connect(new StreamableHTTPClientTransport(new URL(`${url}${pinned.path}`)));
      expect(identityFields((await again.listTools()).tools)).toContain("user_id");
      await again.close();
    } finally {
      child.kill("SIGTERM");
    }
    for (const id of [created.id, pinned.id])
      expect(run("servers", "delete", id, "--store", store).status).toBe(0);
    expect(JSON.parse(run("servers", "list", "--store", store, "--json").stdout)).toEqual([]);
  }, 60_000);
});
