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
    const run = spawnSync(process.execPath, ["quickstart.mjs"], {
      cwd: app,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('"name":"Deep Research Agent"');

    const entries = spawnSync(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        'const g = await import("langchain-gumloop/graphs"); const m = await import("langchain-gumloop/mcp");' +
          'const a = await import("langchain-gumloop/agent");' +
          "console.log(typeof g.createSessionGraph, typeof m.createGumloopMcpServer, typeof a.gumloopToolRetryMiddleware)",
      ],
      { cwd: app, encoding: "utf8", timeout: 60_000 },
    );
    expect(entries.status, entries.stderr).toBe(0);
    expect(entries.stdout.trim()).toBe("function function function");
  }, 240_000);
});
