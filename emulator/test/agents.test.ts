import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_AGENTS, type Emulator } from "../src/index.js";
import {
  AGENT,
  AGENT_LIST_ITEM,
  CREATOR,
  call,
  expectError,
  expectShape,
  startTestEmulator,
} from "./helpers.js";

let emulator: Emulator;

beforeAll(async () => {
  ({ emulator } = await startTestEmulator());
});
afterAll(() => emulator.close());

const newAgent = (overrides: Record<string, unknown> = {}) => ({
  name: "Test agent",
  model_name: "anthropic/claude-sonnet-4",
  ...overrides,
});

describe("GET /agents (list_all_gumloop_agents)", () => {
  it("lists the caller's agents with the documented list fields and next_cursor null", async () => {
    const res = await call(emulator, "GET", "/agents");
    expect(res.status).toBe(200);
    expectShape(res.body, { agents: "array" });
    expect(res.body.next_cursor).toBeNull();
    for (const [i, agent] of res.body.agents.entries()) expectShape(agent, AGENT_LIST_ITEM, `agents[${i}]`);
    const ids = res.body.agents.map((a: { id: string }) => a.id);
    expect(ids).toContain(SEED_AGENTS.research);
    expect(ids).not.toContain(SEED_AGENTS.otherUsers);
    expect(res.body.agents[0].skill_ids).toBeNull(); // "null on surfaces that don't include them (e.g. the list endpoint)"
  });

  it("filters by search, creator, has_triggers, tool and flow", async () => {
    const names = async (query: Record<string, string>) =>
      (await call(emulator, "GET", "/agents", { query })).body.agents.map((a: { name: string }) => a.name);
    expect(await names({ search: "RESEARCH" })).toEqual(["Deep Research Agent"]);
    expect(await names({ creator: emulator.otherUser.userId })).toEqual([]);
    expect(await names({ has_triggers: "true" })).toEqual(["Deep Research Agent"]);
    expect(await names({ tool: "gmail" })).toEqual(["Approval Agent"]);
    expect(await names({ flow: "flow_summarise01" })).toEqual(["Deep Research Agent"]);
    // agents.yml declares no 400 for the list: a value that is not a boolean is ignored.
    expect(await names({ has_triggers: "maybe" })).toHaveLength(5);
  });

  it("scopes to a team the caller belongs to, and 403s another team", async () => {
    const second = await call(emulator, "GET", "/agents", {
      query: { team_id: emulator.secondTeamId },
    });
    expect(second.body.agents.map((a: { id: string }) => a.id)).toEqual([SEED_AGENTS.sales]);
    expectError(
      await call(emulator, "GET", "/agents", { query: { team_id: emulator.otherUser.teamId } }),
      403,
    );
  });

  it("opts into cursor pagination with page_size / cursor and walks next_cursor", async () => {
    const all = (await call(emulator, "GET", "/agents")).body.agents.map((a: { id: string }) => a.id);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await call(emulator, "GET", "/agents", {
        query: { page_size: 2, ...(cursor ? { cursor } : {}) },
      });
      expect(res.status).toBe(200);
      expect(res.body.agents.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.agents.map((a: { id: string }) => a.id));
      cursor = res.body.next_cursor ?? undefined;
      pages++;
    } while (cursor);
    expect(seen).toEqual(all);
    expect(pages).toBe(Math.ceil(all.length / 2));
  });

  it("takes bad page_size, cursor and sort_order without a 400, which agents.yml does not declare", async () => {
    // The Oct spec answers them 400 invalid_page_size / invalid_cursor / invalid_sort; the Jul files we serve list
    // no 400 for this operation, so out-of-range sizes are clamped and unreadable values ignored.
    const ids = async (query: Record<string, string | number>) =>
      (await call(emulator, "GET", "/agents", { query })).body.agents.map((a: { id: string }) => a.id);
    const all = await ids({});
    expect(await ids({ page_size: 0 })).toEqual(all.slice(0, 1));
    expect(await ids({ page_size: 101 })).toEqual(all);
    expect(await ids({ page_size: "ten" })).toEqual(all);
    expect(await ids({ cursor: "!!nope" })).toEqual(all);
    expect(await ids({ sort_order: "random" })).toEqual(all);
  });

  it("sorts by name and adds last_used_at / last_updated_at on request", async () => {
    const res = await call(emulator, "GET", "/agents", {
      query: { sort_order: "name_asc", include_last_used: "true", include_last_updated: "true" },
    });
    const names = res.body.agents.map((a: { name: string }) => a.name);
    expect(names).toEqual([...names].sort((a: string, b: string) => a.localeCompare(b)));
    expectShape(res.body.agents[0], { last_used_at: "date-time|null", last_updated_at: "date-time" });
  });
});

describe("POST /agents (create_a_gumloop_agent)", () => {
  it("creates an agent: 201 with the full agent object", async () => {
    const res = await call(emulator, "POST", "/agents", {
      body: newAgent({ description: "d", system_prompt: "sp", metadata: { k: "v" }, folder_id: "folder_1" }),
    });
    expect(res.status).toBe(201);
    expectShape(res.body.agent, AGENT, "agent");
    expectShape(res.body.agent.creator, CREATOR, "creator");
    expect(res.body.agent).toMatchObject({
      name: "Test agent",
      model_name: "anthropic/claude-sonnet-4",
      description: "d",
      system_prompt: "sp",
      metadata: { k: "v" },
      folder_id: "folder_1",
      team_id: emulator.teamId,
      is_active: true,
      skill_ids: [],
      tools: [],
      resources: [],
    });
    expect(res.body.agent.creator.id).toBe(emulator.userId);
    const got = await call(emulator, "GET", `/agents/${res.body.agent.id}`);
    expect(got.body.agent).toEqual(res.body.agent);
  });

  it("requires name and model_name and checks types (400 with param)", async () => {
    const missing = await call(emulator, "POST", "/agents", { body: { name: "x" } });
    expectError(missing, 400, "invalid_request");
    expect(missing.body.error.param).toBe("model_name");
    const wrong = await call(emulator, "POST", "/agents", { body: newAgent({ tools: "gmail" }) });
    expectError(wrong, 400);
    expect(wrong.body.error.param).toBe("tools");
    expectError(await call(emulator, "POST", "/agents", { body: [1, 2] }), 400);
    expectError(await call(emulator, "POST", "/agents", { body: newAgent({ name: "   " }) }), 400);
  });

  it("honours a caller-supplied agent_id and refuses a duplicate with 400 (agents.yml declares no 409)", async () => {
    const first = await call(emulator, "POST", "/agents", { body: newAgent({ agent_id: "myAgent123" }) });
    expect(first.status).toBe(201);
    expect(first.body.agent.id).toBe("myAgent123");
    const duplicate = await call(emulator, "POST", "/agents", { body: newAgent({ agent_id: "myAgent123" }) });
    expectError(duplicate, 400, "agent_already_exists");
  });

  it("strips secret references and MCP server URLs from tools", async () => {
    const res = await call(emulator, "POST", "/agents", {
      body: newAgent({
        tools: [
          {
            type: "mcp_server",
            server_id: "srv",
            secret_id: "sec_1",
            mcp_server_url: "https://x.invalid/mcp",
          },
        ],
      }),
    });
    expect(res.body.agent.tools).toEqual([{ type: "mcp_server", server_id: "srv" }]);
  });

  it("creates in a named team, reads team_id from the body for team keys, and 403s a foreign team", async () => {
    const inSecond = await call(emulator, "POST", "/agents", {
      body: newAgent({ team_id: emulator.secondTeamId }),
    });
    expect(inSecond.body.agent.team_id).toBe(emulator.secondTeamId);
    const viaTeamKey = await call(emulator, "POST", "/agents", {
      auth: "team",
      body: newAgent({ team_id: emulator.teamId }),
    });
    expect(viaTeamKey.status).toBe(201);
    expect(viaTeamKey.body.agent.team_id).toBe(emulator.teamId);
    expectError(
      await call(emulator, "POST", "/agents", { body: newAgent({ team_id: emulator.otherUser.teamId }) }),
      403,
    );
    expectError(
      await call(emulator, "POST", "/agents", {
        auth: "team",
        body: newAgent({ team_id: emulator.secondTeamId }),
      }),
      403,
    );
  });
});

describe("GET /agents/{agent_id} (get_single_gumloop_agent_by_id)", () => {
  it("returns the full agent, with skill_ids as an array", async () => {
    const res = await call(emulator, "GET", `/agents/${SEED_AGENTS.research}`);
    expect(res.status).toBe(200);
    expectShape(res.body.agent, AGENT, "agent");
    expect(res.body.agent.skill_ids).toEqual([]);
    expect(res.body.agent.name).toBe("Deep Research Agent");
  });

  it("404s an unknown agent and 403s another user's", async () => {
    expectError(await call(emulator, "GET", "/agents/nope"), 404);
    expectError(await call(emulator, "GET", `/agents/${SEED_AGENTS.otherUsers}`), 403);
    expectError(await call(emulator, "GET", `/agents/${SEED_AGENTS.research}`, { auth: "other" }), 403);
  });
});

describe("PATCH /agents/{agent_id} (update_a_gumloop_agent_by_id)", () => {
  it("changes only the fields sent; tools and resources are replaced wholesale", async () => {
    const created = (
      await call(emulator, "POST", "/agents", {
        body: newAgent({ description: "before", tools: [{ a: 1 }] }),
      })
    ).body.agent;
    const res = await call(emulator, "PATCH", `/agents/${created.id}`, {
      body: { system_prompt: "new prompt", tools: [{ b: 2 }] },
    });
    expect(res.status).toBe(200);
    expectShape(res.body.agent, AGENT, "agent");
    expect(res.body.agent).toMatchObject({
      name: "Test agent",
      description: "before",
      system_prompt: "new prompt",
      tools: [{ b: 2 }],
    });
    const cleared = await call(emulator, "PATCH", `/agents/${created.id}`, {
      body: { description: null, name: null },
    });
    expect(cleared.body.agent.description).toBeNull();
    expect(cleared.body.agent.name).toBe("Test agent");
  });

  it("transfers ownership to another of the caller's teams, not to a foreign one", async () => {
    const created = (await call(emulator, "POST", "/agents", { body: newAgent() })).body.agent;
    const moved = await call(emulator, "PATCH", `/agents/${created.id}`, {
      body: { team_id: emulator.secondTeamId },
    });
    expect(moved.body.agent.team_id).toBe(emulator.secondTeamId);
    expectError(
      await call(emulator, "PATCH", `/agents/${created.id}`, {
        body: { team_id: emulator.otherUser.teamId },
      }),
      403,
    );
  });

  it("retires with is_active=false: then 404 on get/patch and gone from lists", async () => {
    const created = (await call(emulator, "POST", "/agents", { body: newAgent({ name: "Retire me" }) })).body
      .agent;
    const retired = await call(emulator, "PATCH", `/agents/${created.id}`, { body: { is_active: false } });
    expect(retired.status).toBe(200);
    expect(retired.body.agent.is_active).toBe(false);
    expectError(await call(emulator, "GET", `/agents/${created.id}`), 404);
    expectError(await call(emulator, "PATCH", `/agents/${created.id}`, { body: { is_active: true } }), 404);
    const list = await call(emulator, "GET", "/agents", { query: { search: "Retire me" } });
    expect(list.body.agents).toEqual([]);
    expectError(await call(emulator, "POST", `/agents/${created.id}/sessions`, { body: {} }), 404);
  });

  it("400s bad field types, 404s unknown agents, 403s another user's", async () => {
    const bad = await call(emulator, "PATCH", `/agents/${SEED_AGENTS.assistant}`, {
      body: { is_active: "no" },
    });
    expectError(bad, 400);
    expect(bad.body.error.param).toBe("is_active");
    expectError(await call(emulator, "PATCH", "/agents/nope", { body: { name: "x" } }), 404);
    expectError(
      await call(emulator, "PATCH", `/agents/${SEED_AGENTS.otherUsers}`, { body: { name: "x" } }),
      403,
    );
  });
});
