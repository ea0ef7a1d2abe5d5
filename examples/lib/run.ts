/**
 * One run of the research agent: what its parts share (flags, backends, the stop signal, the terminal), the
 * session it works on, and how it follows a session that already exists (after a pause for approval, or with
 * `--resume`), answering approvals as the flags and the terminal allow.
 */
import type { AgentOptions } from "./cliOptions.js";
import { decideApprovals } from "./approvals.js";
import type { GumloopBackend } from "./backends.js";
import { followSession, type FollowedSession } from "./followSession.js";
import type { ProgressPrinter } from "./progress.js";
import type { RunControl } from "./runControl.js";
import type { Wait, Waits } from "./waits.js";

export interface Run {
  readonly flags: AgentOptions;
  readonly gumloop: GumloopBackend;
  readonly control: RunControl;
  readonly waits: Waits;
  readonly printer: ProgressPrinter;
  /** The session this run created or resumes, as soon as it is known. */
  sessionId: string | null;
  /** The last Gumloop failure, typed, whatever a tool turned it into for the model. */
  lastFailure: unknown;
  /** What the run was waiting for when it was stopped. */
  waitingAtStop: Wait | null;
}

/** The command that waits again for a session. */
export const resumeCommand = (sessionId: string) => `npm run agent -- --resume ${sessionId}`;

/** Whether a person is there to answer a question (stdin and stdout are a terminal). */
export const isInteractive = () => Boolean(process.stdin.isTTY && process.stdout.isTTY);

/** The poll sleep of this run's session graphs: it tells the terminal when the next check is due. */
export const sessionSleep = (run: Run) =>
  run.waits.sleepAs("the session's next check", run.gumloop.client.sleep);

/** Waits for an existing session until it ends, its time is up, or it waits for an approval left unanswered. */
export function followRunSession(run: Run, sessionId: string): Promise<FollowedSession> {
  const { flags, gumloop, control, printer } = run;
  return followSession({
    client: gumloop.client,
    sessionId,
    deadlineMs: control.remainingMs(),
    sleep: sessionSleep(run),
    signal: control.signal,
    onProgress: (event) => printer.event(event),
    decide: (pending) =>
      decideApprovals(pending, {
        approve: flags.approve,
        interactive: isInteractive(),
        print: (line) => printer.line(line),
        pause: () => printer.stop(),
        resume: () => printer.start(),
        signal: control.signal,
        interrupt: () => control.stop({ kind: "interrupted" }),
      }),
  });
}
