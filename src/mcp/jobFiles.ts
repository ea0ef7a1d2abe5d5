/**
 * The files a finished job hands back over MCP: a session's text artifacts (the report, a CSV) and an export's CSV
 * as embedded text resources, capped; binary artifacts only by name, type and size, which the text already lists.
 */
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { SessionArtifact } from "../graphs/types.js";
import { textResource } from "./results.js";

type Block = CallToolResult["content"][number];

/** Resource blocks for the final state of the job tool `tool`. */
export function jobFiles(tool: string, state: unknown, maxChars: number): Block[] {
  if (!state || typeof state !== "object") return [];
  const values = state as Record<string, unknown>;
  if (tool === "run_gumloop_agent_session") {
    const sessionId = String(values["sessionId"] ?? "session");
    const artifacts = (values["artifacts"] ?? []) as SessionArtifact[];
    return artifacts.flatMap((artifact) => {
      if (!artifact.bytes) return [];
      const uri = `gumloop://sessions/${sessionId}/artifacts/${artifact.id}/${encodeURIComponent(artifact.filename ?? "artifact")}`;
      const block = textResource(uri, artifact.mediaType, artifact.bytes, maxChars);
      return block ? [block] : [];
    });
  }
  if (tool === "export_gumloop_data" && typeof values["csv"] === "string") {
    const block = textResource(
      `gumloop://exports/${String(values["exportId"])}.csv`,
      "text/csv",
      values["csv"],
      maxChars,
    );
    return block ? [block] : [];
  }
  return [];
}
