/**
 * An agent's skills and MCP servers (agents.yml): `PATCH /agents/{agent_id}/skills` deltas, and
 * `GET|PUT|DELETE /agents/{agent_id}/mcp-servers[/{server_id}]` with catalogue-derived identity fields.
 */
import { describe, expect, it } from "vitest";
import { SEED_AGENTS, SEED_MCP_SERVERS, SEED_SKILLS } from "../src/index.js";
import { call, expectError, expectShape } from "./helpers.js";
import { emulator, start } from "./fixture.js";

const SKILL_DELTA = {
  agent_id: "string",
  skill_ids: "array",
  attached: "array",
  detached: "array",
  already_attached: "array",
  already_detached: "array",
} as const;

const patchSkills = (agentId: string, body: unknown) =>
  call(emulator, "PATCH", `/agents/${agentId}/skills`, { body });
const mcp = (method: "GET" | "PUT" | "DELETE", agentId: string, serverId?: string, body?: unknown) =>
  call(emulator, method, `/agents/${agentId}/mcp-servers${serverId ? `/${serverId}` : ""}`, { body });

describe("PATCH /agents/{agent_id}/skills", () => {
  it("attaches and detaches by deltas, reports no-ops, and leaves other skills alone", async () => {
    await start();
    const agent = SEED_AGENTS.assistant;
    const first = await patchSkills(agent, {
      attach: [SEED_SKILLS.leadEnrichment, SEED_SKILLS.ticketTriage],
    });
    expect(first.status).toBe(200);
    expectShape(first.body, SKILL_DELTA);
    expect(first.body).toEqual({
      agent_id: agent,
      skill_ids: [SEED_SKILLS.leadEnrichment, SEED_SKILLS.ticketTriage],
      attached: [SEED_SKILLS.leadEnrichment, SEED_SKILLS.ticketTriage],
      detached: [],
      already_attached: [],
      already_detached: [],
    });
    const second = await patchSkills(agent, {
      attach: [SEED_SKILLS.leadEnrichment],
      detach: [SEED_SKILLS.ticketTriage, SEED_SKILLS.meetingNotes],
    });
    expect(second.body).toEqual({
      agent_id: agent,
      skill_ids: [SEED_SKILLS.leadEnrichment],
      attached: [],
      detached: [SEED_SKILLS.ticketTriage],
      already_attached: [SEED_SKILLS.leadEnrichment],
      already_detached: [SEED_SKILLS.meetingNotes],
    });
    const read = await call(emulator, "GET", `/agents/${agent}`);
    expect(read.body.agent.skill_ids).toEqual([SEED_SKILLS.leadEnrichment]);
  });

  it("400 for an id in both lists, over 100 ids, or an unknown skill; 403 for another team's; 404 unknown agent", async () => {
    await start();
    const agent = SEED_AGENTS.assistant;
    const both = await patchSkills(agent, { attach: ["s1"], detach: ["s1"] });
    expectError(both, 400);
    expect(both.body.error.details).toEqual({ skill_ids: ["s1"] });
    const many = Array.from({ length: 101 }, (_, i) => `skill_${i}`);
    expectError(await patchSkills(agent, { detach: many }), 400);
    const unknown = await patchSkills(agent, { attach: ["skill_nope", SEED_SKILLS.leadEnrichment] });
    expectError(unknown, 400);
    expect(unknown.body.error.details).toEqual({ skill_ids: ["skill_nope"] });
    const foreign = await patchSkills(agent, { attach: [SEED_SKILLS.otherUsers] });
    expectError(foreign, 403);
    expect(foreign.body.error.details).toEqual({ skill_ids: [SEED_SKILLS.otherUsers] });
    expectError(await patchSkills(agent, { attach: "x" }), 400);
    expectError(await patchSkills("agtNope", { attach: [] }), 404);
    expectError(await patchSkills(SEED_AGENTS.otherUsers, { attach: [] }), 403);
    // Nothing was attached by the refused requests; detaching a stale id is always allowed.
    expect((await call(emulator, "GET", `/agents/${agent}`)).body.agent.skill_ids).toEqual([]);
    expect((await patchSkills(agent, { detach: ["skill_gone"] })).body.already_detached).toEqual([
      "skill_gone",
    ]);
  });
});

describe("the agent's MCP servers", () => {
  it("lists the agent's MCP entries with secrets and server URLs scrubbed", async () => {
    await start();
    const res = await mcp("GET", SEED_AGENTS.approval);
    expect(res.status).toBe(200);
    expectShape(res.body, { agent_id: "string", mcp_servers: "array" });
    expect(res.body.mcp_servers).toEqual([
      { type: "gumcp_server", server: "gmail", approval_mode: "always" },
    ]);
    expect((await mcp("GET", SEED_AGENTS.assistant)).body.mcp_servers).toEqual([]);
  });

  it("PUT attaches (created), then updates in place; identity comes from the catalogue, never the body", async () => {
    await start();
    const agent = SEED_AGENTS.assistant;
    const attached = await mcp("PUT", agent, SEED_MCP_SERVERS.weather, {
      approval_mode: "always",
      type: "spoofed",
      server_id: "evil",
      mcp_server_url: "https://evil.example/mcp",
    });
    expect(attached.status).toBe(200);
    expectShape(attached.body, {
      agent_id: "string",
      mcp_server: "object",
      created: "boolean",
      auth_status: "string|null",
    });
    expect(attached.body).toEqual({
      agent_id: agent,
      mcp_server: { approval_mode: "always", type: "mcp_server", server_id: SEED_MCP_SERVERS.weather },
      created: true,
      auth_status: "authenticated",
    });
    const updated = await mcp("PUT", agent, SEED_MCP_SERVERS.weather, { approval_mode: "never" });
    expect(updated.body).toMatchObject({ created: false, mcp_server: { approval_mode: "never" } });
    const gmail = await mcp("PUT", agent, SEED_MCP_SERVERS.gmail);
    expect(gmail.body).toMatchObject({ created: true, auth_status: "unauthenticated" });
    const list = (await mcp("GET", agent)).body.mcp_servers;
    expect(list.map((s: { server_id: string }) => s.server_id)).toEqual([
      SEED_MCP_SERVERS.weather,
      SEED_MCP_SERVERS.gmail,
    ]);
    expect(JSON.stringify(list)).not.toMatch(/secret|mcp_server_url/);
    // The agent object shows them among its tools, scrubbed the same way.
    const tools = (await call(emulator, "GET", `/agents/${agent}`)).body.agent.tools;
    expect(tools).toEqual(list);
  });

  it("PUT: 404 mcp_server_not_found, 403 mcp_server_restricted, 409 ambiguous_mcp_server", async () => {
    await start();
    const agent = SEED_AGENTS.assistant;
    expectError(await mcp("PUT", agent, "srv_nope"), 404, "mcp_server_not_found");
    expectError(await mcp("PUT", agent, SEED_MCP_SERVERS.github), 403, "mcp_server_restricted");
    const doubled = [
      { type: "gumcp_server", server_id: SEED_MCP_SERVERS.slack },
      { type: "gumcp_server", server: SEED_MCP_SERVERS.slack },
    ];
    await call(emulator, "PATCH", `/agents/${agent}`, { body: { tools: doubled } });
    expectError(await mcp("PUT", agent, SEED_MCP_SERVERS.slack), 409, "ambiguous_mcp_server");
    expectError(await mcp("PUT", "agtNope", SEED_MCP_SERVERS.slack), 404);
    expectError(await mcp("PUT", SEED_AGENTS.otherUsers, SEED_MCP_SERVERS.slack), 403);
  });

  it("DELETE detaches (every entry for the server) and is idempotent", async () => {
    await start();
    const agent = SEED_AGENTS.assistant;
    await mcp("PUT", agent, SEED_MCP_SERVERS.crm);
    const first = await mcp("DELETE", agent, SEED_MCP_SERVERS.crm);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ agent_id: agent, server_id: SEED_MCP_SERVERS.crm, detached: true });
    expect((await mcp("DELETE", agent, SEED_MCP_SERVERS.crm)).body.detached).toBe(false);
    expect((await mcp("GET", agent)).body.mcp_servers).toEqual([]);
    expectError(await mcp("DELETE", "agtNope", SEED_MCP_SERVERS.crm), 404);
  });
});
