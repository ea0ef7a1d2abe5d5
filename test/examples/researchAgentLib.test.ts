/**
 * The research agent's building blocks, in-process where a process cannot show them: the terminal's status line
 * (a pipe is never a TTY), and the checks of flags, output directory and printed text, case by case.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseOptions, UsageError } from "../../examples/lib/cliOptions.js";
import { redactSecrets } from "../../examples/lib/failures.js";
import { checkOutputDirectory } from "../../examples/lib/outputDirectory.js";
import { ProgressPrinter } from "../../examples/lib/progress.js";
import { Waits } from "../../examples/lib/waits.js";

/** A terminal that keeps what was written, and a clock the test moves. */
function terminal(isTTY: boolean) {
  const clock = { now: 1_000_000 };
  const written: string[] = [];
  const stream = { isTTY, write: (text: string) => written.push(text) };
  const waits = new Waits(() => clock.now);
  const printer = new ProgressPrinter({
    waits,
    deadlineAt: clock.now + 60_000,
    stream,
    now: () => clock.now,
  });
  /** The status line as last drawn. */
  const status = () => written.at(-1)!.replace("\r\x1b[2K", "");
  return { clock, written, waits, printer, status };
}

const event = {
  kind: "gumloop_progress",
  job: "session",
  id: "lc_1",
  state: "processing",
  queuePosition: null,
} as const;

describe("ProgressPrinter on a terminal", () => {
  it("keeps moving between polls: the spinner turns, elapsed time counts, the next check counts down", () => {
    const { clock, waits, printer, status } = terminal(true);
    printer.event({ ...event, polls: 2, elapsedMs: 3_000 });
    const done = waits.begin("check", "the session's next check", 4_000);
    printer.tick();
    const first = status();
    expect(first).toMatch(
      /session lc_1 · processing · poll 2 · queue - · 3\.0s · next check in 4 s · 60 s left$/,
    );
    clock.now += 1_500;
    printer.tick();
    const later = status();
    expect(later).toMatch(/· 4\.5s · next check in 3 s · 59 s left$/);
    expect(later[0]).not.toBe(first[0]);
    done();
  });

  it("says what it waits for when an answer is slow", () => {
    const { clock, waits, printer, status } = terminal(true);
    printer.event({ ...event, polls: 1, elapsedMs: 1_000 });
    waits.begin("check", "the session's next check", 10_000);
    waits.begin("request", "Gumloop at http://x/api/v1 to answer get_single_gumloop_session_by_id");
    printer.tick();
    expect(status()).toMatch(/ · checking · /);
    clock.now += 2_500;
    printer.tick();
    expect(status()).toMatch(
      /waiting for Gumloop at http:\/\/x\/api\/v1 to answer get_single_gumloop_session_by_id · 3 s · 58 s left$/,
    );
  });

  it("prints lines above the status line, redraws it, and clears it at the end", () => {
    const { waits, printer, written } = terminal(true);
    waits.begin("model", "the model to answer");
    printer.start();
    printer.line("→ list_all_gumloop_agents({})");
    expect(written.slice(-2, -1)).toEqual(["→ list_all_gumloop_agents({})\n"]);
    expect(written.at(-1)).toMatch(/waiting for the model to answer · 0 s · 60 s left$/);
    printer.stop();
    expect(written.at(-1)).toBe("\r\x1b[2K");
  });
});

describe("ProgressPrinter in a log", () => {
  it("prints a waiting line once an answer is slow, again after repeatMs, and nothing for scheduled checks", () => {
    const { clock, waits, printer, written } = terminal(false);
    const check = waits.begin("check", "the session's next check", 30_000);
    clock.now += 20_000;
    printer.tick();
    expect(written).toEqual([]);
    check();
    waits.begin("request", "Gumloop at http://x/api/v1 to answer list_all_gumloop_agents");
    clock.now += 1_000;
    printer.tick();
    clock.now += 1_500;
    printer.tick();
    printer.tick();
    clock.now += 10_000;
    printer.tick();
    expect(written).toEqual([
      "Waiting for Gumloop at http://x/api/v1 to answer list_all_gumloop_agents: 3 s so far; --timeout ends the run in 38 s.\n",
      "Waiting for Gumloop at http://x/api/v1 to answer list_all_gumloop_agents: 13 s so far; --timeout ends the run in 28 s.\n",
    ]);
  });
});

describe("parseOptions", () => {
  const usage = (argv: string[]) => {
    try {
      parseOptions(argv);
    } catch (error) {
      expect(error).toBeInstanceOf(UsageError);
      return (error as Error).message;
    }
    throw new Error(`accepted ${argv.join(" ")}`);
  };

  it("refuses timeouts that are not a positive number, in its own words", () => {
    for (const value of ["-5", "0", "soon", "", "-0.5"])
      expect(usage(["--timeout", value])).toBe(
        `--timeout must be a positive number of seconds (got "${value}")`,
      );
    expect(parseOptions(["--timeout", "0.5"]).timeoutSeconds).toBe(0.5);
  });

  it("takes --resume alone, with a session id", () => {
    expect(parseOptions(["--resume", "lc_abc", "--approve"])).toMatchObject({
      resume: "lc_abc",
      approve: true,
    });
    expect(usage(["--resume", "../x"])).toMatch(/^--resume needs a session id/);
    expect(usage(["--resume", "lc_abc", "--topic", "x"])).toMatch(/leave out --topic and --agent/);
  });
});

describe("checkOutputDirectory", () => {
  const root = mkdtempSync(join(tmpdir(), "out-check-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("accepts a directory to be created, refuses a file or a path through one", async () => {
    await expect(checkOutputDirectory(join(root, "new", "deeper"), "topic")).resolves.toBeUndefined();
    const file = join(root, "notes.md");
    writeFileSync(file, "x");
    await expect(checkOutputDirectory(file, "topic")).rejects.toThrow(/notes\.md is a file, not a directory/);
    await expect(checkOutputDirectory(join(file, "sub"))).rejects.toThrow(
      /notes\.md is a file, so the files cannot/,
    );
  });
});

describe("redactSecrets", () => {
  it("removes the credential variables' values and key-shaped text, masked or not", () => {
    const env = { GUMLOOP_API_KEY: "my-secret-key", GUMLOOP_USER_ID: "user_42xyz" };
    expect(redactSecrets("key my-secret-key for user_42xyz; sk-abc***wxyz. gl_live_123456", env)).toBe(
      "key [redacted] for [redacted]; [redacted key]. [redacted key]",
    );
  });
});
