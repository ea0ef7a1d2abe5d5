/**
 * A Gumloop agent that asks before it acts (sends an email, writes a record) pauses its session until someone
 * answers. On a terminal we ask the person running the agent; elsewhere `--approve` answers yes, and without it
 * we say exactly how to answer later, instead of ending with a bare exit code.
 */
import { createInterface } from "node:readline/promises";
import type { PendingApproval } from "langchain-gumloop/graphs";
import type { ApprovalAnswer } from "./followSession.js";

/** One line per pending ask: what the agent wants to do, with its details. */
export function describeApprovals(pending: readonly PendingApproval[]): string[] {
  const lines: string[] = [];
  for (const approval of pending) {
    const title = String(approval["title"] ?? approval["tool_name"] ?? approval.action_request_id);
    const tool = approval["tool_name"] ? ` (${String(approval["tool_name"])})` : "";
    lines.push(`  - ${title}${tool}`);
    const fields = (approval["display_fields"] as [string, string][] | undefined) ?? [];
    for (const [label, value] of fields) lines.push(`      ${label}: ${value}`);
  }
  return lines;
}

/** How to answer later, when nobody could be asked now. */
export function approvalHint(sessionId: string): string {
  return (
    `To approve: npm run agent -- --resume ${sessionId} --approve (or run it on a terminal to be asked, or ` +
    `answer in Gumloop, then --resume ${sessionId} to collect the result).`
  );
}

export interface ApprovalPolicy {
  /** `--approve` was given. */
  readonly approve: boolean;
  /** Whether a person can be asked (stdin and stdout are a terminal). */
  readonly interactive: boolean;
  /** Prints a line (above the progress line). */
  readonly print: (line: string) => void;
  /** Called around the question, to stop and restart the progress line while the person types. */
  readonly pause: () => void;
  readonly resume: () => void;
  /** The run's signal (the question ends with it), and how Ctrl-C at the question stops the run. */
  readonly signal: AbortSignal;
  readonly interrupt: () => void;
}

/** Answers a pause: yes with --approve, the person's answer on a terminal, else leave it waiting. */
export async function decideApprovals(
  pending: readonly PendingApproval[],
  policy: ApprovalPolicy,
): Promise<ApprovalAnswer> {
  // Nobody to ask: the caller reports the pending asks with the way to answer them later.
  if (!policy.approve && !policy.interactive) return "leave";
  policy.print("The Gumloop agent asks for approval:");
  for (const line of describeApprovals(pending)) policy.print(line);
  if (policy.approve) {
    policy.print("Approved (--approve).");
    return "accept";
  }
  policy.pause();
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  // While the question is open, readline receives Ctrl-C instead of the process.
  prompt.on("SIGINT", policy.interrupt);
  try {
    const answer = await prompt.question("Approve? [y/N] ", { signal: policy.signal });
    return /^y(es)?$/i.test(answer.trim()) ? "accept" : "leave";
  } finally {
    prompt.close();
    policy.resume();
  }
}
