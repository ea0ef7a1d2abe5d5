/**
 * The offline stand-in for a real model: it makes the tool calls a real model makes for "research <topic> with
 * the Gumloop agent named <agent>" (find the agent, run it once, summarise), reading each tool result as a model
 * would. Its steps are fixed, so the example runs the same way everywhere without an API key; its tool-call ids
 * are new on every call, as a real model's are, because the run tool derives the Gumloop session from them: fixed
 * ids made a second run on the same topic silently adopt the first run's session.
 */
import { randomBytes } from "node:crypto";
import { AIMessage, ToolMessage, type BaseMessage } from "@langchain/core/messages";
import { fakeModel } from "@langchain/core/testing";

interface AgentRow {
  readonly id: string;
  readonly name: string;
}

function lastToolResult(messages: BaseMessage[], name: string): unknown {
  const message = [...messages].reverse().find((m) => ToolMessage.isInstance(m) && m.name === name) as
    ToolMessage | undefined;
  if (!message) return undefined;
  try {
    return JSON.parse(String(message.content));
  } catch {
    return { error: String(message.content) };
  }
}

/** A tool-call id shaped like OpenAI's, unique per call. */
const callId = () => `call_${randomBytes(12).toString("base64url")}`;

/** A failed tool call's text, as the model reads it: the error line without the tool node's advice. */
function errorOf(result: unknown): string | null {
  const error = (result as { error?: unknown } | undefined)?.error;
  return typeof error === "string" ? error.split("\n")[0]!.replace(/^Error: /, "") : null;
}

export function scriptedResearchModel(options: { topic: string; agent: string }) {
  const looksLikeId = /^[A-Za-z0-9_-]{12,}$/.test(options.agent) && !/\s/.test(options.agent);
  return fakeModel()
    .respond(
      () =>
        new AIMessage({
          content: "",
          tool_calls: [
            looksLikeId
              ? {
                  name: "get_single_gumloop_agent_by_id",
                  args: { id: options.agent },
                  id: callId(),
                  type: "tool_call",
                }
              : {
                  name: "list_all_gumloop_agents",
                  args: { search: options.agent },
                  id: callId(),
                  type: "tool_call",
                },
          ],
        }),
    )
    .respond((messages) => {
      const listed = lastToolResult(messages, "list_all_gumloop_agents") as
        { result?: AgentRow[] } | undefined;
      const single = lastToolResult(messages, "get_single_gumloop_agent_by_id") as
        { result?: AgentRow } | undefined;
      const failed = errorOf(single) ?? errorOf(listed);
      if (failed) return new AIMessage(`Looking up the Gumloop agent failed: ${failed}`);
      const agent = single?.result ?? listed?.result?.[0];
      if (!agent) return new AIMessage(`I could not find a Gumloop agent matching "${options.agent}".`);
      return new AIMessage({
        content: "",
        tool_calls: [
          {
            name: "run_gumloop_agent_session",
            args: { agent_id: agent.id, input: options.topic },
            id: callId(),
            type: "tool_call",
          },
        ],
      });
    })
    .respond((messages) => {
      const run = lastToolResult(messages, "run_gumloop_agent_session") as
        | {
            status?: string;
            final_message?: string | null;
            artifacts?: { filename: string }[];
            error?: string;
          }
        | undefined;
      if (!run || run.status !== "completed") {
        return new AIMessage(`The research run did not complete (status: ${run?.status ?? "unknown"}).`);
      }
      const firstLines = (run.final_message ?? "").split("\n").filter(Boolean).slice(0, 4).join("\n");
      const files = (run.artifacts ?? []).map((artifact) => artifact.filename).join(", ");
      return new AIMessage(
        `Summary of the research on ${options.topic}:\n${firstLines}\n\n` +
          (files ? `Files produced: ${files}.` : "It produced no files."),
      );
    });
}
