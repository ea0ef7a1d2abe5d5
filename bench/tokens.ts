/** Tool-definition footprint: o200k tokens of the tools as OpenAI tool JSON (what bindTools sends). */
import { convertToOpenAITool } from "@langchain/core/utils/function_calling";
import { getEncoding } from "js-tiktoken";
import { GumloopToolManager } from "../src/toolManager.js";
import type { BenchRow } from "./table.js";

/** Measured for a Truto-length set of the same 38 tools (reliability.md §0, §7.1): the bar to beat. */
export const TRUTO_LENGTH_TOKENS = 5_285;

export function tokenFootprint(): BenchRow[] {
  const encoder = getEncoding("o200k_base");
  const manager = new GumloopToolManager({ apiKey: "bench", env: {} });
  const pinned = new GumloopToolManager({ apiKey: "bench", env: {}, pinIdentity: true });
  const count = (filter: Parameters<GumloopToolManager["getTools"]>[0], strict = false, from = manager) =>
    from
      .getTools(filter)
      .reduce(
        (sum, tool) =>
          sum +
          encoder.encode(JSON.stringify(convertToOpenAITool(tool, strict ? { strict } : undefined))).length,
        0,
      );
  const all = count({});
  const readOnly = count({ readOnly: true });
  const strict = count({ strict: true }, true);
  const discovery = count({ exposure: "discovery" });
  const pinnedAll = count({}, false, pinned);
  return [
    {
      name: "tokens: all 38 tools (OpenAI JSON, o200k)",
      value: `${all}`,
      ratio: all / TRUTO_LENGTH_TOKENS,
      goal: "≤ 4,200 (Truto-length set: 5,285)",
      pass: all <= 4_200,
    },
    {
      name: "tokens: 21 read-only tools",
      value: `${readOnly}`,
      ratio: null,
      goal: "≤ 2,000",
      pass: readOnly <= 2_000,
    },
    {
      name: "tokens: discovery exposure (search_tools, get_tool_schema, call_tool)",
      value: `${discovery}`,
      ratio: discovery / all,
      goal: "≤ 700",
      pass: discovery <= 700,
    },
    {
      name: "tokens: all 38, strict-mode variants",
      value: `${strict}`,
      ratio: strict / all,
      goal: "(for information)",
      pass: null,
    },
    {
      name: "tokens: all 38, identity pinned (no user_id / team_id / project_id)",
      value: `${pinnedAll}`,
      ratio: pinnedAll / all,
      goal: "(for information)",
      pass: null,
    },
  ];
}
