import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { HELP } from "../src/cliArgs.js";

const PACKAGE_ROOT = fileURLToPath(new URL("../", import.meta.url));
const children: ChildProcessWithoutNullStreams[] = [];

/** Runs the CLI under tsx, as the package bin would run the compiled file. */
function runCli(args: string[]): {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
  firstLine: Promise<string>;
} {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli.ts", ...args], {
    cwd: PACKAGE_ROOT,
  });
  children.push(child);
  let out = "";
  let err = "";
  let resolveLine: (line: string) => void;
  const firstLine = new Promise<string>((resolve) => (resolveLine = resolve));
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString("utf8");
    const newline = out.indexOf("\n");
    if (newline >= 0) resolveLine(out.slice(0, newline));
  });
  child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString("utf8")));
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exit, firstLine };
}

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

describe("gumloop-emulator CLI", () => {
  it("--json prints exactly one JSON line, serves it, and exits 0 on SIGTERM", async () => {
    const cli = runCli(["--json", "--port", "0"]);
    const info = JSON.parse(await cli.firstLine) as Record<string, string>;
    expect(Object.keys(info).sort()).toEqual(["apiKey", "streamUrl", "teamId", "url", "userId"]);
    expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
    const res = await fetch(`${info.url}/agents`, {
      headers: { authorization: `Bearer ${info.apiKey}`, "x-auth-key": info.userId! },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { agents: unknown[] }).agents.length).toBeGreaterThan(0);
    cli.child.kill("SIGTERM");
    expect(await cli.exit).toBe(0);
    expect(cli.stdout()).toBe(`${JSON.stringify(info)}\n`);
  });

  it("prints URLs and credentials for humans, takes options, and exits 0 on SIGINT", async () => {
    const cli = runCli([
      "--port",
      "0",
      "--plan",
      "enterprise",
      "--admin",
      "--virtual-clock",
      "--duration",
      "session=1000",
    ]);
    await cli.firstLine;
    await new Promise<void>((resolve) => {
      const check = () => (cli.stdout().includes("Ctrl+C") ? resolve() : setTimeout(check, 5));
      check();
    });
    const out = cli.stdout();
    const url = /REST base URL:\s+(\S+)/.exec(out)![1]!;
    expect(out).toMatch(/Streaming base URL:\s+http:\/\/127\.0\.0\.1:\d+\/ws\/api\/v1/);
    expect(out).toMatch(/API key:\s+\S+/);
    expect(out).toContain("Plan:               enterprise (virtual clock)");
    const origin = new URL(url).origin;
    const advanced = await fetch(`${origin}/__emulator/clock/advance`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ms: 1000 }),
    });
    expect(((await advanced.json()) as { now: number }).now).toBe(Date.parse("2026-06-01T12:00:01Z"));
    cli.child.kill("SIGINT");
    expect(await cli.exit).toBe(0);
  });

  it("--virtual-clock turns the admin routes on (the clock moves only through them); without either, the 404 names --admin", async () => {
    const clocked = runCli(["--json", "--port", "0", "--virtual-clock"]);
    const plain = runCli(["--json", "--port", "0"]);
    const clockedOrigin = new URL((JSON.parse(await clocked.firstLine) as { url: string }).url).origin;
    const plainOrigin = new URL((JSON.parse(await plain.firstLine) as { url: string }).url).origin;
    const advance = (origin: string) =>
      fetch(`${origin}/__emulator/clock/advance`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ms: 1000 }),
      });
    expect((await advance(clockedOrigin)).status).toBe(200);
    const refused = await advance(plainOrigin);
    expect(refused.status).toBe(404);
    expect(JSON.stringify(await refused.json())).toContain("gumloop-emulator with --admin");
  });

  it("--help explains every flag and exits 0", async () => {
    const cli = runCli(["--help"]);
    expect(await cli.exit).toBe(0);
    const help = cli.stdout();
    expect(help).toBe(HELP);
    for (const flag of [
      "--port",
      "--host",
      "--plan",
      "--slots",
      "--duration",
      "--research-seconds",
      "--latency-ms",
      "--rate-limit",
      "--concurrency-retry-after",
      "--signed-url-ttl-ms",
      "--seed",
      "--virtual-clock",
      "--admin",
      "--api-key",
      "--user-id",
      "--team-id",
      "--json",
      "--help",
    ]) {
      expect(help).toContain(flag);
    }
  });

  it.each([
    [["--bogus"], /Unknown option '--bogus'/],
    [["--plan", "gold"], /--plan must be free, pro or enterprise/],
    [["--rate-limit", "100"], /--rate-limit expects/],
    [["--port", "-1"], /port/],
    [["--duration", "research"], /--duration expects/],
  ])("rejects %j with a message on stderr and exit code 2", async (args, message) => {
    const cli = runCli(args);
    expect(await cli.exit).toBe(2);
    expect(cli.stderr()).toMatch(message);
    expect(cli.stdout()).toBe("");
  });
});
