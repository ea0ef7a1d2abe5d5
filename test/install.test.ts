/**
 * The README's install path, as a newcomer follows it: pack both packages from this checkout, install the tarballs
 * with the peers into an empty project, and run the README's quickstart there against the installed `dist/` (no
 * sources, no aliases, no TypeScript).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const readme = readFileSync(join(ROOT, "README.md"), "utf8");
const work = mkdtempSync(join(tmpdir(), "lg-install-"));

afterAll(() => rmSync(work, { recursive: true, force: true }));

function npm(args: string[], cwd: string): string {
  return execFileSync("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd,
    encoding: "utf8",
  });
}

/** Node in the installed project, as its user runs it. */
function nodeIn(app: string, args: string[]) {
  return spawnSync(process.execPath, args, { cwd: app, encoding: "utf8", timeout: 60_000 });
}

/** An ES module `script` run by Node in the installed project. */
const moduleIn = (app: string, script: string) => nodeIn(app, ["--input-type=module", "-e", script]);

describe("installed from the packed tarballs, as the README says", () => {
  it("runs the quickstart and loads every entry point", () => {
    // Scripts off: the tarballs ship the dist/ that `npm ci` built here.
    npm(["pack", "--ignore-scripts", "--pack-destination", work], ROOT);
    npm(["pack", "-w", "gumloop-emulator", "--ignore-scripts", "--pack-destination", work], ROOT);
    const app = join(work, "app");
    mkdirSync(app);
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
    const install = readme.match(/^npm install .*$/gm)!;
    expect(install.length).toBeGreaterThanOrEqual(3);
    for (const line of install) {
      // The README's lines, with the tarball paths pointed at this test's folder (the cache serves the registry's).
      const args = line
        .replace(/#.*$/, "")
        .trim()
        .split(/\s+/)
        .slice(2)
        .map((arg) => arg.replace(/^\.\.\/langchain-gumloop\//, `${work}/`));
      npm(["install", "--prefer-offline", ...args], app);
    }
    const manifest = JSON.parse(readFileSync(join(app, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(Object.keys(manifest.dependencies).sort()).toEqual([
      "@langchain/core",
      "@langchain/langgraph",
      "langchain",
      "langchain-gumloop",
    ]);
    expect(Object.keys(manifest.devDependencies)).toEqual(["gumloop-emulator"]);

    const quickstart = /```ts\n(\/\/ quickstart[\s\S]*?)```/.exec(readme)![1]!;
    writeFileSync(join(app, "quickstart.mjs"), quickstart);
    const run = nodeIn(app, ["quickstart.mjs"]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('"name":"Deep Research Agent"');

    const entries = moduleIn(
      app,
      'const g = await import("langchain-gumloop/graphs"); const m = await import("langchain-gumloop/mcp");' +
        'const a = await import("langchain-gumloop/agent");' +
        "console.log(typeof g.createSessionGraph, typeof m.createGumloopMcpServer, typeof a.gumloopToolRetryMiddleware)",
    );
    expect(entries.status, entries.stderr).toBe(0);
    expect(entries.stdout.trim()).toBe("function function function");

    // The built root, bundled into chunks: a process that only uses it loads no LangGraph and no MCP SDK.
    const hook = `data:text/javascript,${encodeURIComponent(
      'export async function load(url, context, next) { process.stderr.write("LOADED " + url + "\\n"); return next(url, context); }',
    )}`;
    const rootOnly = moduleIn(
      app,
      `(await import("node:module")).register(${JSON.stringify(hook)});` +
        'const r = await import("langchain-gumloop");' +
        'console.log(new r.GumloopToolManager({ apiKey: "k", userId: "u", env: {} }).getTools().length);',
    );
    expect(rootOnly.status, rootOnly.stderr).toBe(0);
    expect(rootOnly.stdout.trim()).toBe("38");
    expect(rootOnly.stderr).toContain("langchain-gumloop/dist/index.js");
    expect(rootOnly.stderr).not.toMatch(/@langchain\/langgraph|@modelcontextprotocol|gumloop-emulator/);

    // ./graphs shares the root's classes: an error a graph throws is the root's GumloopValidationError.
    const shared = moduleIn(
      app,
      'const r = await import("langchain-gumloop"); const g = await import("langchain-gumloop/graphs");' +
        'const client = new r.GumloopClient({ apiKey: "k", userId: "u", baseUrl: "http://127.0.0.1:9" });' +
        'const failed = await g.createSessionGraph({ client }).invoke({ agentId: "a1" }).catch((error) => error);' +
        "console.log(failed instanceof r.GumloopValidationError)",
    );
    expect(shared.status, shared.stderr).toBe(0);
    expect(shared.stdout.trim()).toBe("true");
  }, 240_000);
});
