#!/usr/bin/env node
/**
 * A throwaway PostgreSQL server for the tests: `start <dir>` creates a cluster in <dir> (initdb, trust auth,
 * fsync off), starts it on a free loopback port and prints its URL; `stop <dir>` stops it; `which` prints where
 * initdb is (exit 1 when PostgreSQL is not installed); `ensure` installs Debian's package when it is missing. As root it runs the
 * server as the `postgres` user (initdb refuses root). The binaries come from PATH or Debian's
 * /usr/lib/postgresql/<version>/bin; `.ci/run` installs the Debian package first when they are missing.
 */
import { execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdirSync, readdirSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

const [command, dir] = process.argv.slice(2);
if (
  !["start", "stop", "which", "ensure"].includes(command ?? "") ||
  (["start", "stop"].includes(command) && !dir)
) {
  console.error("usage: node scripts/postgres.mjs start|stop <dir> | which | ensure");
  process.exit(2);
}

function binary(name) {
  for (const candidate of (process.env.PATH ?? "").split(":")) {
    if (existsSync(join(candidate, name))) return join(candidate, name);
  }
  const debian = "/usr/lib/postgresql";
  const versions = existsSync(debian) ? readdirSync(debian).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) {
    const path = join(debian, version, "bin", name);
    if (existsSync(path)) return path;
  }
  throw new Error(
    `PostgreSQL's ${name} was not found: install PostgreSQL (Debian: apt-get install postgresql)`,
  );
}

const asRoot = process.getuid?.() === 0;
/** Runs a server binary, as the postgres user when we are root. */
function run(name, args) {
  const [file, argv] = asRoot
    ? ["runuser", ["-u", "postgres", "--", binary(name), ...args]]
    : [binary(name), args];
  return execFileSync(file, argv, { stdio: ["ignore", "pipe", "pipe"] }).toString();
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

if (command === "which") {
  process.stdout.write(`${binary("initdb")}\n`);
  process.exit(0);
}
if (command === "ensure") {
  // Installs Debian's package when the binaries are missing and we may (root, apt-get): a fresh machine of the
  // kind CI runs on has neither, and the tests that need a server fail rather than skip.
  try {
    binary("initdb");
  } catch {
    if (!asRoot || !existsSync("/usr/bin/apt-get"))
      throw new Error("PostgreSQL is not installed; install it (e.g. apt-get install postgresql)");
    process.stderr.write("PostgreSQL is not installed: installing Debian's postgresql package (once)...\n");
    const apt = (args) =>
      execFileSync("apt-get", args, {
        stdio: ["ignore", "ignore", "inherit"],
        env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
      });
    try {
      apt(["install", "-y", "-q", "postgresql"]);
    } catch {
      apt(["update", "-q"]);
      apt(["install", "-y", "-q", "postgresql"]);
    }
    binary("initdb");
  }
  process.exit(0);
}
const data = join(dir, "data");
if (command === "start") {
  mkdirSync(data, { recursive: true });
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString());
    chownSync(dir, uid, gid);
    chownSync(data, uid, gid);
  }
  run("initdb", ["-D", data, "--auth=trust", "--username=postgres", "--no-sync", "--encoding=UTF8"]);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  run("pg_ctl", ["-D", data, "-o", options, "-l", join(dir, "server.log"), "-w", "start"]);
  process.stdout.write(`postgresql://postgres@127.0.0.1:${port}/postgres\n`);
} else if (existsSync(data)) {
  run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
}
