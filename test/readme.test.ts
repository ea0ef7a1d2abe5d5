/** The README's quickstart, run as written (octokit's "README example" test). */
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { TS_NODE_FLAGS } from "./helpers/tsNode.js";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

describe("README", () => {
  it("starts with the two commands that set up and test the package", () => {
    const head = readme.split("\n").slice(0, 6).join("\n");
    expect(head).toContain("npm ci && npm run agent");
    expect(head).toContain("npm test");
  });

  it("runs the quickstart as written", () => {
    const block = /```ts\n(\/\/ quickstart[\s\S]*?)```/.exec(readme)?.[1];
    expect(block, "README has a ts block starting with // quickstart").toBeTruthy();
    // Written beside the examples so the package names resolve as they do for them (to the sources).
    const file = new URL(`../examples/.readme-quickstart-${process.pid}.ts`, import.meta.url).pathname;
    writeFileSync(file, block!);
    try {
      const run = spawnSync(process.execPath, [...TS_NODE_FLAGS, file], {
        encoding: "utf8",
        timeout: 60_000,
      });
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toContain("list_all_gumloop_agents");
      expect(run.stdout).toContain("create_a_gumloop_session");
      expect(run.stdout).toContain('"name":"Deep Research Agent"');
    } finally {
      rmSync(file, { force: true });
    }
  }, 60_000);

  it("lists all 38 tools with their method class and tags", async () => {
    const { ALL_ENDPOINTS } = await import("../src/tools/index.js");
    for (const definition of ALL_ENDPOINTS) {
      const row = new RegExp(
        `^\\| ${definition.name} +\\| ${definition.method} +\\| ${definition.tags.join(", ")} +\\|`,
        "m",
      );
      expect(readme, definition.name).toMatch(row);
    }
  });
});
