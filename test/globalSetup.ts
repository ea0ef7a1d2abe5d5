/**
 * Starts a throwaway PostgreSQL server for the tests that need one (the shared gate, the Postgres checkpointer),
 * unless GUMLOOP_TEST_POSTGRES_URL already names one (`.ci/run` starts its own), and stops it afterwards. Tests that
 * need it fail, rather than skip, when there is none.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const SCRIPT = new URL("../scripts/postgres.mjs", import.meta.url).pathname;

export default function setup(): () => void {
  if (process.env["GUMLOOP_TEST_POSTGRES_URL"]) return () => undefined;
  const dir = mkdtempSync(join(tmpdir(), "gumloop-pg-"));
  chmodSync(dir, 0o755);
  try {
    execFileSync(process.execPath, [SCRIPT, "ensure"], { stdio: ["ignore", "ignore", "inherit"] });
    const url = execFileSync(process.execPath, [SCRIPT, "start", dir], { stdio: ["ignore", "pipe", "pipe"] });
    process.env["GUMLOOP_TEST_POSTGRES_URL"] = url.toString().trim();
  } catch (error) {
    // Recorded for the tests that need it: they fail with this reason; the rest run as usual.
    process.env["GUMLOOP_TEST_POSTGRES_ERROR"] = String((error as { stderr?: Buffer }).stderr ?? error).slice(
      0,
      500,
    );
    rmSync(dir, { recursive: true, force: true });
    return () => undefined;
  }
  return () => {
    execFileSync(process.execPath, [SCRIPT, "stop", dir], { stdio: "ignore" });
    rmSync(dir, { recursive: true, force: true });
  };
}
