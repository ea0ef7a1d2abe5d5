/** Shapes and call helpers shared by the flow contract suites (flows.test.ts, flowRuns.test.ts). */
import type { Emulator } from "../src/index.js";
import { call, type CallOptions, type Shape } from "./helpers.js";

// data-access.yml / execution.yml response fields.
export const SAVED_ITEM: Shape = {
  saved_item_id: "string",
  name: "string",
  description: "string",
  created_ts: "date-time",
};
export const WORKBOOK: Shape = {
  workbook_id: "string",
  name: "string",
  description: "string",
  created_ts: "date-time",
  saved_items: "array",
};
export const INPUT: Shape = { data_type: ["string", "file"], description: "string|null", name: "string" };
export const STARTED: Shape = {
  run_id: "string",
  saved_item_id: "string",
  workbook_id: "string",
  url: "string",
};
export const RUN_STATES = ["RUNNING", "DONE", "TERMINATING", "FAILED", "TERMINATED", "QUEUED"] as const;
export const RUN: Shape = {
  user_id: "string",
  state: RUN_STATES,
  outputs: "object",
  created_ts: "date-time",
  // Documented as a date-time string (not nullable): absent until the run is terminal.
  finished_ts: "date-time?",
  log: "array",
};
export const KILLED: Shape = { success: "boolean", run_id: "string" };
/** get_plrun_saved_item_map per-run fields: undocumented, the emulator's inference. */
export const HISTORY_ITEM: Shape = {
  run_id: "string",
  state: RUN_STATES,
  created_ts: "date-time",
  finished_ts: "date-time?",
};

/** Options of {@link legacyCall}. */
export type LegacyCallOptions = CallOptions & { noUser?: boolean };

/**
 * A legacy call: the Bearer key without x-auth-key (as the legacy docs and SDK send it), with the default user's
 * `user_id` added to the query (GET) or body (other methods) unless `noUser` is set.
 */
export function legacyCall(
  emulator: Emulator,
  method: string,
  path: string,
  options: LegacyCallOptions = {},
) {
  const withUser = (o: Record<string, unknown> | undefined) =>
    options.noUser ? o : { user_id: emulator.userId, ...o };
  const { noUser: _ignored, ...rest } = options;
  return call(emulator, method, path, {
    auth: "none",
    ...rest,
    headers: { authorization: `Bearer ${emulator.apiKey}`, ...options.headers },
    ...(method === "GET"
      ? { query: withUser(options.query) as CallOptions["query"] }
      : { body: withUser((options.body as Record<string, unknown>) ?? {}) }),
  });
}
