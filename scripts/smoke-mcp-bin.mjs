// CI smoke test of the published MCP bin: executable with a node shebang; `npx gumloop-mcp serve --json` prints one
// JSON line with its URL, answers an unknown token with 401, and stops on SIGTERM.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

const { bin } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const binPath = new URL(`../${bin["gumloop-mcp"]}`, import.meta.url);
if ((statSync(binPath).mode & 0o111) === 0) {
  throw new Error(
    `${bin["gumloop-mcp"]} is not executable: the build must mark it (scripts/mark-bin-executable.mjs)`,
  );
}
if (!readFileSync(binPath, "utf8").startsWith("#!/usr/bin/env node\n")) {
  throw new Error(`${bin["gumloop-mcp"]} does not start with a node shebang`);
}

const store = join(mkdtempSync(join(tmpdir(), "gumloop-mcp-smoke-")), "servers.json");
// The client needs credentials to start; nothing is sent to Gumloop here.
const env = { ...process.env, GUMLOOP_API_KEY: "smoke-test-key", GUMLOOP_USER_ID: "smoke-user" };
const child = spawn(
  "npx",
  ["--no-install", "gumloop-mcp", "serve", "--port", "0", "--store", store, "--json"],
  {
    stdio: ["ignore", "pipe", "inherit"],
    detached: true,
    env,
  },
);
const timer = setTimeout(() => {
  console.error("gumloop-mcp serve did not print its JSON line within 30 s");
  process.kill(-child.pid, "SIGKILL");
  process.exit(1);
}, 30_000);
const first = await createInterface({ input: child.stdout })[Symbol.asyncIterator]().next();
if (first.done) throw new Error("gumloop-mcp serve exited without printing its JSON line (see stderr above)");
const { url } = JSON.parse(first.value);
if (typeof url !== "string") throw new Error(`--json line lacks url: ${first.value}`);
const response = await fetch(`${url}/mcp/not-a-token`, { method: "POST", body: "{}" });
if (response.status !== 401) throw new Error(`an unknown token got ${response.status}, not 401`);
const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
process.kill(-child.pid, "SIGTERM");
const { code, signal } = await exited;
clearTimeout(timer);
if (code !== 0 && signal !== "SIGTERM") throw new Error(`gumloop-mcp exited with ${code ?? signal}`);
console.log(`gumloop-mcp bin: ok (${url})`);
