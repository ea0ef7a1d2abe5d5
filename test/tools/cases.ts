/**
 * One call per tool with only its required fields and one with all of them, plus where each field must end up
 * on the wire. The table-driven emulator test and the property tests share it; the cases live by area.
 */
import type { ToolName } from "../../src/tools/index.js";
import { adminCases } from "./adminCases.js";
import { agentCases } from "./agentCases.js";
import type { DynamicIds, ToolCase } from "./caseTypes.js";
import { flowCases } from "./flowCases.js";

export type { DynamicIds, ToolCase } from "./caseTypes.js";

/** Fields the `all` call leaves out, and why (everything else a schema has must be in it). */
export const NOT_IN_ALL: Readonly<Record<string, string>> = {
  cursor: "needs the next_cursor of an earlier page (the pagination tests cover it)",
  version_id: "needs a version id from an earlier call (the emulator tests cover it)",
};

export function toolCases(ids: DynamicIds): Record<ToolName, ToolCase> {
  return { ...agentCases(ids), ...flowCases(ids), ...adminCases(ids) };
}
