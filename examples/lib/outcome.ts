/**
 * How a run of the research agent ends, as the user reads it: the session's files saved and a summary (exit 0),
 * or what went wrong and what to do next (exit 1; 130 after Ctrl-C). Failures go to stderr with secrets removed.
 */
import { join } from "node:path";
import { ENDPOINTS } from "langchain-gumloop";
import { type SessionGraphStateType } from "langchain-gumloop/graphs";
import { approvalHint, describeApprovals } from "./approvals.js";
import { saveArtifacts, slugify } from "./artifacts.js";
import { explainGumloopError, redactSecrets, type Explained } from "./failures.js";
import { followRunSession, isInteractive, resumeCommand, type Run } from "./run.js";

/** How long an answer may take before a timeout blames the server that owes it. */
const SLOW_ANSWER_MS = 2_000;

/** Prints a failure to stderr, secrets removed; returns the exit code. */
export function fail(explained: Explained | string): 1 {
  const lines = typeof explained === "string" ? [explained] : [explained.headline, ...explained.checks];
  for (const line of lines) console.error(redactSecrets(line, process.env));
  return 1;
}

/**
 * The session's end. A session paused for approval is followed on when someone can answer (`--approve`, or a
 * person at the terminal); otherwise the pending asks are listed with how to answer them. A completed session's
 * files go to `<out>/<topic-slug>/`.
 */
export async function finishSession(
  run: Run,
  ended: SessionGraphStateType,
  topic: string,
  summary: string | null,
): Promise<number> {
  let state = ended;
  if (state.status === "approval_required" && !run.flags.resume && (run.flags.approve || isInteractive())) {
    run.printer.start();
    state = (await followRunSession(run, state.sessionId!)).state;
    summary = null;
  }
  run.printer.stop();
  if (state.status === "approval_required") {
    return fail({
      headline: `The Gumloop session ${state.sessionId} is waiting for approval of:`,
      checks: [...describeApprovals(state.session?.pending_approvals ?? []), approvalHint(state.sessionId!)],
    });
  }
  if (state.status !== "completed") {
    const timedOut = state.status === "timed_out";
    const why = timedOut ? `timed out after ${run.flags.timeoutSeconds}s` : `ended as ${state.status}`;
    const again = timedOut ? ` To wait for it again: ${resumeCommand(state.sessionId!)}` : "";
    return fail(
      `The Gumloop session ${state.sessionId} ${why}. ${state.error ?? state.finalMessage ?? ""}${again}`,
    );
  }
  const offline = run.gumloop.emulator !== null;
  const saved = await saveArtifacts(state.artifacts, join(run.flags.out, slugify(topic)), offline);
  const reply = (state.finalMessage ?? "").split("\n").filter(Boolean).slice(0, 6).join("\n");
  console.log("\n" + (summary || `The agent's reply:\n${reply}`));
  console.log(`\nSession ${state.sessionId}: ${state.status} after ${state.polls} polls.`);
  if (saved.length === 0) console.log("The session produced no files.");
  else console.log(["Saved:", ...saved.map((path) => `  ${path}`)].join("\n"));
  if (offline) console.log("(Offline demo: the emulator answered with canned text, not real research.)");
  return 0;
}

/**
 * The run was stopped. Ctrl-C cancels the session this run started (one it only resumed keeps running); a
 * Gumloop failure is explained; --timeout says what the run was still waiting for and how to wait again.
 */
export async function reportStop(run: Run): Promise<number> {
  const reason = run.control.reason!;
  const { sessionId } = run;
  if (reason.kind === "interrupted") {
    if (sessionId && run.flags.resume) {
      console.error(
        `Stopped waiting (Ctrl-C). Session ${sessionId} goes on; to wait again: ${resumeCommand(sessionId)}`,
      );
      return 130;
    }
    if (sessionId) {
      await run.gumloop.client
        .call(ENDPOINTS.delete_a_gumloop_session_by_id, { session_id: sessionId })
        .then(() => console.error(`Cancelled Gumloop session ${sessionId}.`))
        .catch((error: Error) => fail(`Could not cancel session ${sessionId}: ${error.message}`));
    }
    console.error("Stopped (Ctrl-C).");
    return 130;
  }
  if (reason.kind === "gumloop") return fail(explainGumloopError(reason.error, run.gumloop.target));
  const wait = run.waitingAtStop;
  const checks: string[] = [];
  // An answer only just asked for (a routine poll) says nothing about the server; a long wait does.
  const slow = wait !== null && Date.now() - wait.since >= SLOW_ANSWER_MS;
  if (slow && wait.kind === "request")
    checks.push("Check that GUMLOOP_BASE_URL points at Gumloop's API and that the server answers.");
  if (slow && wait.kind === "model")
    checks.push("Check OPENAI_BASE_URL and that the model provider answers.");
  if (sessionId)
    checks.push(
      `The session may still be running on Gumloop. To wait for it again: ${resumeCommand(sessionId)}`,
    );
  return fail({
    headline:
      `The run timed out after ${run.control.timeoutSeconds}s (--timeout)` +
      (wait ? `, waiting for ${wait.what}.` : "."),
    checks,
  });
}
