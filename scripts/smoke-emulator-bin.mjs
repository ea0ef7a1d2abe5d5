// CI smoke test of the gumloop-emulator workspace's bin, as npm installed it into node_modules/.bin:
// `npx gumloop-emulator --json` prints one JSON line, serves, and stops on SIGTERM.
import { spawn } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { createInterface } from "node:readline";

// npm 10's `npx` executes the bin file directly, so a file without the executable bit fails with "Permission denied".
const emulatorPackage = new URL("../emulator/", import.meta.url);
const { bin } = JSON.parse(readFileSync(new URL("package.json", emulatorPackage), "utf8"));
const binPath = new URL(bin["gumloop-emulator"], emulatorPackage);
const binName = `emulator/${bin["gumloop-emulator"]}`;
if ((statSync(binPath).mode & 0o111) === 0) {
  throw new Error(
    `${binName} is not executable: the build must mark it (emulator/scripts/mark-bin-executable.mjs)`,
  );
}
if (!readFileSync(binPath, "utf8").startsWith("#!/usr/bin/env node\n")) {
  throw new Error(`${binName} does not start with a node shebang`);
}

const child = spawn("npx", ["--no-install", "gumloop-emulator", "--json", "--port", "0"], {
  stdio: ["ignore", "pipe", "inherit"],
  detached: true,
});
const timer = setTimeout(() => {
  console.error("gumloop-emulator did not print its JSON line within 30 s");
  process.kill(-child.pid, "SIGKILL");
  process.exit(1);
}, 30_000);
const lines = createInterface({ input: child.stdout });
const first = await lines[Symbol.asyncIterator]().next();
if (first.done) throw new Error("gumloop-emulator exited without printing its JSON line (see stderr above)");
const info = JSON.parse(first.value);
for (const key of ["url", "streamUrl", "apiKey", "userId", "teamId"]) {
  if (typeof info[key] !== "string") throw new Error(`--json line lacks ${key}: ${first.value}`);
}
const response = await fetch(`${info.url}/agents`, {
  headers: { authorization: `Bearer ${info.apiKey}`, "x-auth-key": info.userId },
});
if (response.status !== 200) throw new Error(`GET /agents answered ${response.status}`);
const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
process.kill(-child.pid, "SIGTERM");
const { code, signal } = await exited;
clearTimeout(timer);
if (code !== 0 && signal !== "SIGTERM") throw new Error(`gumloop-emulator exited with ${code ?? signal}`);
console.log(`gumloop-emulator bin: ok (${info.url})`);
