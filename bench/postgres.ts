/**
 * A PostgreSQL server for the benchmarks that need one: GUMLOOP_TEST_POSTGRES_URL when set, else a throwaway one
 * (scripts/postgres.mjs), stopped when the process exits.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const SCRIPT = new URL("../scripts/postgres.mjs", import.meta.url).pathname;

export function benchPostgresUrl(): string {
  const given = process.env["GUMLOOP_TEST_POSTGRES_URL"];
  if (given) return given;
  execFileSync(process.execPath, [SCRIPT, "ensure"], { stdio: ["ignore", "ignore", "inherit"] });
  const dir = mkdtempSync(join(tmpdir(), "gumloop-bench-pg-"));
  chmodSync(dir, 0o755);
  const url = execFileSync(process.execPath, [SCRIPT, "start", dir]).toString().trim();
  process.once("exit", () => {
    execFileSync(process.execPath, [SCRIPT, "stop", dir], { stdio: "ignore" });
    rmSync(dir, { recursive: true, force: true });
  });
  process.env["GUMLOOP_TEST_POSTGRES_URL"] = url;
  return url;
}
