/** The slices of Gumloop's objects the graphs read. Everything else passes through untouched. */

// The session's bodies are declared beside the session definitions; the graphs read them from there.
import type { GumloopMessage, GumloopSession } from "../tools/responses.js";
export type { GumloopMessage, GumloopSession, PendingApproval, SessionEnvelope } from "../tools/responses.js";

/** A session artifact as the graph reports it. `bytes` is present when downloads are on. */
export interface SessionArtifact {
  readonly id: string;
  readonly filename: string | null;
  readonly mediaType: string | null;
  readonly size: number | null;
  readonly versionId: string | null;
  readonly bytes?: Uint8Array;
}

/** The text of a message, from `content` or from its `parts` (Gumloop sometimes fills only the parts). */
export function messageText(message: GumloopMessage): string {
  if (typeof message.content === "string" && message.content.length > 0) return message.content;
  const texts: string[] = [];
  for (const part of message.parts ?? []) {
    if (typeof part === "string") texts.push(part);
    else if (part && typeof part === "object") {
      const record = part as Record<string, unknown>;
      const text = record["text"] ?? record["content"] ?? record["delta"];
      if (typeof text === "string") texts.push(text);
    }
  }
  return texts.join("");
}

/** The agent's last reply in a session, or null when it has none. */
export function lastAssistantText(session: GumloopSession | null | undefined): string | null {
  const replies = (session?.messages ?? []).filter((message) => message.role === "assistant");
  for (let index = replies.length - 1; index >= 0; index--) {
    const text = messageText(replies[index]!);
    if (text) return text;
  }
  return null;
}
