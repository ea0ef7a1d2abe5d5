import { describe, expect, it } from "vitest";
import { GumloopError } from "../../src/client/errors.js";
import { GumloopToolManager } from "../../src/toolManager.js";

const manager = new GumloopToolManager({ apiKey: "test-key", userId: "user_1", env: {} });
const names = (filter: Parameters<GumloopToolManager["getTools"]>[0]) =>
  manager.getTools(filter).map((tool) => tool.name);

describe("getTools filters", () => {
  it("returns all 38 in catalogue order without a filter", () => {
    expect(names({})).toHaveLength(38);
    expect(names({})[0]).toBe("create_a_gumloop_agent");
    expect(names({}).at(-1)).toBe("create_a_gumloop_session_message");
  });

  it("filters by method class", () => {
    expect(names({ methods: ["read"] })).toHaveLength(21);
    expect(names({ methods: ["write"] })).toHaveLength(15);
    expect(names({ methods: ["custom"] })).toEqual([
      "gumloop_files_bulk_create",
      "gumloop_workspace_users_bulk_update",
    ]);
    expect(names({ methods: ["read", "custom"] })).toHaveLength(23);
  });

  it("filters by tag, any of the given tags", () => {
    expect(names({ tags: ["sessions"] })).toHaveLength(4);
    expect(names({ tags: ["sessions", "artifacts"] })).toHaveLength(6);
    expect(names({ tags: ["admin"] })).toHaveLength(5);
    expect(names({ tags: ["flows"] })).toHaveLength(7);
  });

  it("combines parts with AND", () => {
    expect(names({ tags: ["sessions"], methods: ["read"] })).toEqual(["get_single_gumloop_session_by_id"]);
    expect(names({ tags: ["skills"], readOnly: true })).toEqual([
      "get_single_gumloop_skill_by_id",
      "list_all_gumloop_skills",
    ]);
    expect(names({ names: ["list_all_gumloop_teams", "create_a_gumloop_agent"], readOnly: true })).toEqual([
      "list_all_gumloop_teams",
    ]);
  });

  it("has a read-only preset of the 21 read tools", () => {
    expect(names({ readOnly: true })).toEqual(names({ methods: ["read"] }));
  });

  it("rejects unknown names, tags and methods with the valid values, and empty matches", () => {
    expect(() => manager.getTools({ names: ["delete_everything"] })).toThrow(
      /Valid names: create_a_gumloop_agent/,
    );
    expect(() => manager.getTools({ tags: ["billing"] })).toThrow(/Valid tags: agents, artifacts/);
    expect(() => manager.getTools({ methods: ["delete" as never] })).toThrow(/Valid: read, write, custom/);
    expect(() => manager.getTools({ tags: ["teams"], methods: ["write"] })).toThrow(GumloopError);
    expect(() => manager.getTool("nope")).toThrow(/Unknown Gumloop tool "nope"/);
    for (const inherited of ["constructor", "toString", "__proto__"])
      expect(() => manager.getTool(inherited)).toThrow(`Unknown Gumloop tool "${inherited}"`);
  });

  it("caches tools and returns strict variants on request", () => {
    expect(manager.getTool("list_all_gumloop_teams")).toBe(manager.getTool("list_all_gumloop_teams"));
    expect(manager.getTool("list_all_gumloop_teams", { strict: true })).not.toBe(
      manager.getTool("list_all_gumloop_teams"),
    );
    expect(manager.getDefinitions({ tags: ["mcp"] }).map((d) => d.route)).toContain("POST /mcp/tools/call");
  });
});
