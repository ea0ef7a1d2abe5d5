/**
 * `gumloop-mcp stdio` as a desktop client runs it: a child process spoken to by the SDK's own stdio client, with
 * Gumloop credentials from the environment. Nothing but protocol reaches stdout; a client that goes away takes
 * its running jobs with it (cancelled on Gumloop).
 */
import { spawnSync } from "node:child_process";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { CallToolResultSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answered, SEED_AGENTS, startTestEmulator, type Emulator, cliEnvironment } from "./emulator.js";
import { TS_NODE_FLAGS } from "../helpers/tsNode.js";

const CLI = new URL("../../src/mcp/cli.ts", import.meta.url).pathname;
let emulator: Emulator;

beforeAll(async () => {
  // Real time: the child process waits on its own clock. The research agent takes a minute, so it is still
  // running when the client leaves.
  emulator = await startTestEmulator({ durations: { research: 60_000 } });
});
afterAll(() => emulator.close());

async function connect(...flags: string[]): Promise<{ client: Client; stderr: string[] }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [...TS_NODE_FLAGS, CLI, "stdio", ...flags],
    env: cliEnvironment(emulator),
    stderr: "pipe",
  });
  const stderr: string[] = [];
  transport.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk.toString()));
  const client = new Client({ name: "desktop", version: "0.0.0" });
  await client.connect(transport);
  return { client, stderr };
}

describe("gumloop-mcp stdio", () => {
  it("serves the filtered tools with credentials from the environment", async () => {
    const { client, stderr } = await connect("--tags", "agents,sessions", "--read-only");
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual([
      "list_all_gumloop_agents",
      "get_single_gumloop_agent_by_id",
      "get_single_gumloop_session_by_id",
    ]);
    const result = await client.callTool({
      name: "list_all_gumloop_agents",
      arguments: { search: "research" },
    });
    expect(JSON.stringify(result)).toContain("Deep Research Agent");
    await client.close();
    const logged = stderr.join("");
    expect(logged).toContain("serving over stdio");
    for (const secret of [emulator.apiKey, emulator.userId]) expect(logged).not.toContain(secret);
  }, 60_000);

  it("leaves user_id, team_id and project_id out of every schema with --pin-identity", async () => {
    const fieldsOf = async (...flags: string[]) => {
      const { client } = await connect("--tags", "flows", ...flags);
      const { tools } = await client.listTools();
      await client.close();
      return tools.flatMap((tool) =>
        Object.keys(tool.inputSchema.properties ?? {}).filter((key) =>
          ["user_id", "team_id", "project_id"].includes(key),
        ),
      );
    };
    expect(await fieldsOf()).toContain("user_id");
    expect(await fieldsOf("--pin-identity")).toEqual([]);
  }, 60_000);

  it("cancels a running session on Gumloop when the client goes away", async () => {
    const { client } = await connect("--tags", "sessions");
    let progressed!: () => void;
    const started = new Promise<void>((resolve) => (progressed = resolve));
    void client
      .callTool(
        {
          name: "run_gumloop_agent_session",
          arguments: { agent_id: SEED_AGENTS.research, input: "stdio job" },
        },
        CallToolResultSchema,
        { onprogress: (step) => step.progress >= 1 && progressed() },
      )
      .catch(() => {});
    await started;
    await client.close();
    await expect
      .poll(() => answered(emulator, "POST /sessions/{session_id}/cancel").length, { timeout: 15_000 })
      .toBe(1);
  }, 60_000);

  it("refuses a filter that matches nothing, on stderr, with nothing on stdout", () => {
    const run = spawnSync(
      process.execPath,
      [...TS_NODE_FLAGS, CLI, "stdio", "--tags", "teams", "--methods", "write"],
      {
        env: cliEnvironment(emulator),
        input: "",
        encoding: "utf8",
        timeout: 20_000,
      },
    );
    expect(run.status).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/No Gumloop tool matches/);
  }, 60_000);
});
