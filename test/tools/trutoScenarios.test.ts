/**
 * The scenarios of Truto's guides (truto-tools.md), end to end against the emulator with a scripted model that
 * uses only the plain tools, reading each result in the unified shape as a model would.
 */
import { createAgent } from "langchain";
import { HumanMessage } from "@langchain/core/messages";
import { afterEach, describe, expect, it } from "vitest";
import { SEED_SESSIONS, VirtualClock, type Emulator, type EmulatorOptions } from "gumloop-emulator";
import { GumloopClient } from "../../src/client/client.js";
import { GumloopToolManager } from "../../src/toolManager.js";
import { startTestEmulator } from "../helpers/emulator.js";
import { ScriptedModel, type Policy } from "../../bench/scriptedModel.js";

type Json = Record<string, any>;
const last = (results: Map<string, unknown[]>, name: string) => results.get(name)?.at(-1) as Json | undefined;

let emulator: Emulator;
afterEach(() => emulator?.close());

/** Runs `policy` as an agent over every plain tool; returns the tool results by name. */
async function run(policy: Policy, options: Omit<EmulatorOptions, "port" | "host"> = {}) {
  const clock = new VirtualClock({ autoAdvance: true });
  emulator = await startTestEmulator({ clock, ...options });
  const manager = new GumloopToolManager({ client: new GumloopClient(emulator.clientOptions()) });
  let seen = new Map<string, unknown[]>();
  const model = new ScriptedModel(
    (results) => {
      seen = results;
      return policy(results);
    },
    // A turn takes 2 s of the emulator's time, so a model that polls sees the job move on.
    (ms) => clock.sleep(ms),
  );
  const agent = createAgent({ model, tools: manager.getTools() });
  await agent.invoke({ messages: [new HumanMessage("Do as Truto's guide says.")] }, { recursionLimit: 100 });
  return seen;
}

describe("Truto's guide scenarios with the plain tools", () => {
  it("research session → poll → artifacts → read the report's text", async () => {
    const topic = "Quantum Computing Startups";
    const results = await run((r) => {
      const agents = last(r, "list_all_gumloop_agents");
      if (!agents) return [{ name: "list_all_gumloop_agents", args: { search: "research" } }];
      const agentId = agents["result"][0].id;
      const created = last(r, "create_a_gumloop_session");
      if (!created) return [{ name: "create_a_gumloop_session", args: { agent_id: agentId, input: topic } }];
      const polled = last(r, "get_single_gumloop_session_by_id") ?? created;
      if (!["completed", "failed", "approval_required"].includes(polled["result"].state))
        return [{ name: "get_single_gumloop_session_by_id", args: { id: created["result"].id } }];
      const listed = last(r, "list_all_gumloop_artifacts");
      if (!listed)
        return [
          {
            name: "list_all_gumloop_artifacts",
            args: { agent_id: agentId, session_id: created["result"].id },
          },
        ];
      if (!last(r, "get_single_gumloop_artifact_by_id")) {
        const report = listed["result"].find((a: Json) => /\.md$/.test(a.filename)) ?? listed["result"][0];
        return [
          { name: "get_single_gumloop_artifact_by_id", args: { id: report.id, include_content: true } },
        ];
      }
      return null;
    });
    expect(last(results, "get_single_gumloop_session_by_id")!["result"].state).toBe("completed");
    const report = last(results, "get_single_gumloop_artifact_by_id")!["result"];
    expect(report.content).toContain(topic);
  });

  it("find a flow by name → read its inputs → run it → poll → outputs", async () => {
    const seedData = {
      flows: [{ name: "Competitor Pricing Scraper", inputs: [{ name: "target_url", data_type: "string" }] }],
    };
    const results = await run(
      (r) => {
        const flows = last(r, "list_all_gumloop_flows");
        if (!flows) return [{ name: "list_all_gumloop_flows", args: { user_id: emulator.userId } }];
        const flow = flows["result"].find((f: Json) => f.name === "Competitor Pricing Scraper");
        const inputs = last(r, "get_single_gumloop_automation_by_id");
        if (!inputs)
          return [
            { name: "get_single_gumloop_automation_by_id", args: { saved_item_id: flow.saved_item_id } },
          ];
        const started = last(r, "create_a_gumloop_flow_run");
        if (!started) {
          const name = inputs["result"][0].name;
          const args = { saved_item_id: flow.saved_item_id, inputs: { [name]: "competitor.com/pricing" } };
          return [{ name: "create_a_gumloop_flow_run", args }];
        }
        const polled = last(r, "get_single_gumloop_run_by_id");
        if (!polled || !["DONE", "FAILED", "TERMINATED"].includes(polled["result"].state))
          return [{ name: "get_single_gumloop_run_by_id", args: { run_id: started["result"].run_id } }];
        return null;
      },
      { seedData },
    );
    const finished = last(results, "get_single_gumloop_run_by_id")!["result"];
    expect(finished.state).toBe("DONE");
    expect(finished.outputs.target_url).toBe("competitor.com/pricing");
  });

  it("conversation: start a session with a prompt → poll → the agent's final answer", async () => {
    const prompt = "Format this raw CRM export as a table: acme,12;globex,7";
    const results = await run((r) => {
      const agents = last(r, "list_all_gumloop_agents");
      if (!agents) return [{ name: "list_all_gumloop_agents", args: { search: "assistant" } }];
      const created = last(r, "create_a_gumloop_session");
      if (!created)
        return [
          { name: "create_a_gumloop_session", args: { agent_id: agents["result"][0].id, input: prompt } },
        ];
      const polled = last(r, "get_single_gumloop_session_by_id") ?? created;
      if (!["completed", "failed", "approval_required"].includes(polled["result"].state))
        return [{ name: "get_single_gumloop_session_by_id", args: { id: created["result"].id } }];
      return null;
    });
    const session = last(results, "get_single_gumloop_session_by_id")!["result"];
    expect(session.state).toBe("completed");
    const reply = (session.messages as Json[]).filter((message) => message.role === "assistant").at(-1)!;
    expect(reply.content.length).toBeGreaterThan(0);
  });

  it("export credit logs and agent interactions for the whole organization, and their status", async () => {
    const range = { start_date: "2026-01-01T00:00:00Z", end_date: "2026-06-01T00:00:00Z" };
    const results = await run(
      (r) => {
        const started = r.get("create_a_gumloop_export_datum") ?? [];
        if (started.length === 0)
          return [
            { name: "create_a_gumloop_export_datum", args: { data_type: "credit_logs", ...range } },
            {
              name: "create_a_gumloop_export_datum",
              args: { data_type: "agent_interactions", include_all_workspaces: true, ...range },
            },
          ];
        if (!r.get("get_single_gumloop_data_export_by_id"))
          return (started as Json[]).map((export_) => ({
            name: "get_single_gumloop_data_export_by_id",
            args: { data_export_id: export_["result"].data_export_id },
          }));
        return null;
      },
      { plan: "enterprise" },
    );
    const states = (results.get("get_single_gumloop_data_export_by_id") as Json[]).map(
      (s) => s["result"].state,
    );
    expect(states).toHaveLength(2);
    for (const state of states) expect(["REQUESTED", "IN_PROGRESS", "COMPLETED"]).toContain(state);
  });

  it("list a team's skills, and send a follow-up message to a session", async () => {
    const results = await run((r) => {
      if (!r.get("list_all_gumloop_teams")) return [{ name: "list_all_gumloop_teams", args: {} }];
      const teams = last(r, "list_all_gumloop_teams")!["result"] as Json[];
      if (!r.get("list_all_gumloop_skills"))
        return teams.map((team) => ({ name: "list_all_gumloop_skills", args: { team_id: team.id } }));
      if (!r.get("create_a_gumloop_session_message"))
        return [
          {
            name: "create_a_gumloop_session_message",
            args: { session_id: SEED_SESSIONS.quantum, input: "Which startups lead?" },
          },
        ];
      return null;
    });
    const names = (results.get("list_all_gumloop_skills") as Json[]).flatMap((page) =>
      page["result"].map((skill: Json) => skill.name),
    );
    expect(names).toContain("Sales playbook");
    expect(last(results, "create_a_gumloop_session_message")!["result"].state).toMatch(/processing|queued/);
  });
});
