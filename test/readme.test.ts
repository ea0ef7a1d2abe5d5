/** The README's quickstart, run as written (octokit's "README example" test). */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { startTestEmulator } from "./helpers/emulator.js";
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

  it("runs the createAgent example as written, with a scripted model in place of ChatOpenAI", () => {
    const block = /```ts\n(\/\/ createAgent[\s\S]*?)```/.exec(readme)?.[1];
    expect(block, "README has a ts block starting with // createAgent").toBeTruthy();
    const model = 'new ChatOpenAI({ model: "gpt-4o-mini" })';
    expect(block).toContain(model);
    const file = new URL(`../examples/.readme-create-agent-${process.pid}.ts`, import.meta.url).pathname;
    writeFileSync(file, SCRIPTED_MODEL + block!.replace(model, "scriptedModel()"));
    try {
      const run = spawnSync(process.execPath, [...TS_NODE_FLAGS, file], {
        encoding: "utf8",
        timeout: 60_000,
      });
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^approval asked for: .*run_gumloop_agent_session/m);
      expect(run.stdout).toMatch(/^General Assistant \(completed\): .*haiku about the tide/m);
    } finally {
      rmSync(file, { force: true });
    }
  }, 60_000);

  it("runs its curl example against the emulator, with both headers of a personal key", async () => {
    const block = /```bash\n# emulator curl[^\n]*\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block, "README has a bash block starting with # emulator curl").toBeTruthy();
    const command = block!.replace(/\\\n\s*/g, " ");
    const url = /curl -s "([^"]+)"/.exec(command)![1]!;
    const headers = Object.fromEntries(
      [...command.matchAll(/-H "([^:]+): ([^"]+)"/g)].map((match) => [match[1]!, match[2]!]),
    );
    expect(Object.keys(headers)).toEqual(["Authorization", "x-auth-key"]);
    // The README's port is the CLI's default; the test's emulator listens on a free one, with its default keys.
    const emulator = await startTestEmulator();
    try {
      const response = await fetch(url.replace("http://127.0.0.1:8787/api/v1", emulator.url), { headers });
      expect(response.status).toBe(200);
      expect(JSON.stringify(await response.json())).toContain("Deep Research Agent");
      expect(headers["Authorization"]).toBe(`Bearer ${emulator.apiKey}`);
      expect(headers["x-auth-key"]).toBe(emulator.userId);
    } finally {
      await emulator.close();
    }
  });

  it("documents every environment variable the package reads, and how to run every example", () => {
    const sources = (folder: string): string[] =>
      readdirSync(new URL(folder, import.meta.url), { recursive: true, encoding: "utf8" })
        .filter((name) => name.endsWith(".ts"))
        .map((name) => readFileSync(new URL(`${folder}${name}`, import.meta.url), "utf8"));
    const variables = new Set(
      [...sources("../src/"), ...sources("../examples/")].flatMap((text) =>
        [...text.matchAll(/env(?:\.|\[")((?:GUMLOOP|OPENAI)_[A-Z_]+)/g)].map((match) => match[1]!),
      ),
    );
    expect(variables.size).toBeGreaterThan(5);
    for (const variable of variables) expect(readme, variable).toContain(`\`${variable}\``);
    const examples = readdirSync(new URL("../examples/", import.meta.url)).filter((name) =>
      name.endsWith(".ts"),
    );
    for (const example of examples) {
      if (example === "research-agent.ts") expect(readme).toContain("`npm run agent`");
      else if (example.endsWith(".test.ts"))
        expect(readme).toContain(`\`npx vitest run examples/${example}\``);
      else expect(readme).toContain(`\`npm run example -- examples/${example}\``);
    }
  });

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

/** What a model would do with the createAgent example's request: find the agent, run it, report its answer. */
const SCRIPTED_MODEL = `
import { AIMessage as ScriptedAIMessage, ToolMessage as ScriptedToolMessage } from "@langchain/core/messages";
import { fakeModel as scriptedFakeModel } from "@langchain/core/testing";
function scriptedModel() {
  const last = (messages: unknown[]) => JSON.parse(String((messages.filter((m) => ScriptedToolMessage.isInstance(m)).at(-1) as ScriptedToolMessage).content));
  const toolCall = (name: string, args: Record<string, unknown>) =>
    new ScriptedAIMessage({ content: "", tool_calls: [{ name, args, id: \`call_\${name}\`, type: "tool_call" }] });
  return scriptedFakeModel()
    .respond(() => toolCall("list_all_gumloop_agents", { search: "General Assistant" }))
    .respond((messages) =>
      toolCall("run_gumloop_agent_session", { agent_id: last(messages).result[0].id, input: "A haiku about the tide" }),
    )
    .respond((messages) => {
      const run = last(messages);
      return new ScriptedAIMessage(\`General Assistant (\${run.status}): \${String(run.final_message).replace(/\\s+/g, " ")}\`);
    });
}
`;
