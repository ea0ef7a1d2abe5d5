/**
 * Who the model acts as: it may pass `user_id`, `team_id` or `project_id` where Gumloop reads them (the configured
 * values are the default); with OAuth alone and no configured user, the error says to pass `user_id` and passing it
 * works; a manager that pins identity leaves those fields out and always sends its own.
 */
import { convertToOpenAITool } from "@langchain/core/utils/function_calling";
import type { ToolMessage } from "@langchain/core/messages";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_FLOWS, type Emulator } from "gumloop-emulator";
import { GumloopClient } from "../../src/client/client.js";
import { GumloopToolManager } from "../../src/toolManager.js";
import { startTestEmulator } from "../helpers/emulator.js";

let emulator: Emulator;
beforeAll(async () => (emulator = await startTestEmulator()));
afterAll(() => emulator.close());

const IDENTITY = ["user_id", "team_id", "project_id"];

async function invoke(manager: GumloopToolManager, name: string, args: Record<string, unknown>) {
  const message = (await manager
    .getTool(name)
    .invoke({ id: "c1", name, args, type: "tool_call" })
    .catch((error: Error) => ({ status: "error", content: error.message }))) as ToolMessage;
  return { ok: message.status !== "error", text: String(message.content) };
}

describe("identity the model may pass", () => {
  it("OAuth alone: the error says to pass user_id, and passing it works", async () => {
    const manager = new GumloopToolManager({
      accessToken: emulator.oauthToken,
      baseUrl: emulator.url,
      env: {},
    });
    emulator.clearRequests();
    const refused = await invoke(manager, "list_all_gumloop_flows", {});
    expect(refused.ok).toBe(false);
    expect(refused.text).toMatch(/pass user_id or project_id/);
    expect(emulator.requests).toHaveLength(0);
    const listed = await invoke(manager, "list_all_gumloop_flows", { user_id: emulator.userId });
    expect(listed.ok, listed.text).toBe(true);
    expect(JSON.parse(listed.text).result.length).toBeGreaterThan(0);
  });

  it("a team filter reaches Gumloop where it reads one", async () => {
    const manager = new GumloopToolManager({ client: new GumloopClient(emulator.clientOptions()) });
    emulator.clearRequests();
    expect((await invoke(manager, "list_all_gumloop_agents", { team_id: emulator.teamId })).ok).toBe(true);
    expect(emulator.requests.at(-1)!.query).toMatchObject({ team_id: emulator.teamId });
    const run = await invoke(manager, "create_a_gumloop_flow_run", {
      saved_item_id: SEED_FLOWS.teamDigest,
      inputs: { text: "notes" },
      project_id: emulator.teamId,
    });
    expect(run.ok, run.text).toBe(true);
    expect(emulator.requests.at(-1)!.body).toMatchObject({ project_id: emulator.teamId });
  });
});

describe("pinIdentity", () => {
  it("leaves user_id, team_id and project_id out of every schema, plain and strict", () => {
    const manager = new GumloopToolManager({ apiKey: "k", userId: "user_1", pinIdentity: true, env: {} });
    for (const strict of [false, true]) {
      for (const tool of manager.getTools({ strict })) {
        const properties = Object.keys(
          (convertToOpenAITool(tool).function.parameters as { properties: object }).properties,
        );
        // update_a_gumloop_agent_by_id's team_id is the team to move the agent to, not who acts.
        const names = tool.name === "update_a_gumloop_agent_by_id" ? ["user_id", "project_id"] : IDENTITY;
        expect(
          properties.filter((key) => names.includes(key)),
          tool.name,
        ).toEqual([]);
      }
    }
    const open = new GumloopToolManager({ apiKey: "k", env: {} }).getTool("list_all_gumloop_flows");
    expect(
      Object.keys((convertToOpenAITool(open).function.parameters as { properties: object }).properties),
    ).toEqual(["user_id", "project_id"]);
  });

  it("always sends the configured identity and refuses a model's", async () => {
    const manager = new GumloopToolManager({ ...emulator.clientOptions(), pinIdentity: true });
    emulator.clearRequests();
    const refused = await invoke(manager, "list_all_gumloop_flows", { user_id: "user_someoneElse" });
    expect(refused.ok).toBe(false);
    expect(refused.text).toMatch(/user_id/);
    expect(emulator.requests).toHaveLength(0);
    expect((await invoke(manager, "list_all_gumloop_flows", {})).ok).toBe(true);
    expect(emulator.requests.at(-1)!.query).toMatchObject({ user_id: emulator.userId });
  });

  it("names the setting to add when the deployment configured no user", async () => {
    const manager = new GumloopToolManager({
      accessToken: emulator.oauthToken,
      baseUrl: emulator.url,
      pinIdentity: true,
      env: {},
    });
    emulator.clearRequests();
    const refused = await invoke(manager, "list_all_gumloop_flows", {});
    expect(refused.text).toMatch(/pins identity: configure the tool manager with userId \(GUMLOOP_USER_ID\)/);
    expect(emulator.requests).toHaveLength(0);
  });
});
