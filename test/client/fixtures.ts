/** Request definitions and credentials shared by the client tests (the real catalogue lives in src/tools). */
import { inspect } from "node:util";
import type { RequestDefinition } from "../../src/client/definition.js";
import { GumloopClient, type GumloopClientOptions } from "../../src/client/client.js";
import type { Sleep } from "../../src/client/sleep.js";

export const API_KEY = "gl_test_key_7f3a9c2b41d0";
export const USER_ID = "user_9d8c7b6a5f4e";
export const TEAM_ID = "team_4f8c92ab";
export const OAUTH_TOKEN = "gl_oauth_token_51ce0b77aa";

export const getSession: RequestDefinition = {
  name: "get_single_gumloop_session_by_id",
  route: "GET /sessions/{session_id}",
};
export const createSession: RequestDefinition = {
  name: "create_a_gumloop_session",
  route: "POST /agents/{agent_id}/sessions",
};
export const cancelSession: RequestDefinition = {
  name: "delete_a_gumloop_session_by_id",
  route: "POST /sessions/{session_id}/cancel",
  idempotent: true,
};
export const listArtifacts: RequestDefinition = {
  name: "list_all_gumloop_artifacts",
  route: "GET /agents/{agent_id}/artifacts",
  pagination: {
    style: "cursor",
    cursorParam: "cursor",
    nextCursorField: "next_cursor",
    itemsField: "artifacts",
  },
};
export const auditLogs: RequestDefinition = {
  name: "list_all_gumloop_audit_logs",
  route: "GET /get_audit_logs",
  context: { user_id: "query" },
  pagination: { style: "page", pageParam: "page", totalPagesField: "total_pages", itemsField: "audit_logs" },
};
export const startPipeline: RequestDefinition = {
  name: "create_a_gumloop_flow_run",
  route: "POST /start_pipeline",
  context: { user_id: "body", project_id: "body" },
  reconcileHint: "List recent runs with list_all_gumloop_automation_runs before starting it again.",
};
export const createSkill: RequestDefinition = {
  name: "create_a_gumloop_skill",
  route: "POST /skills",
  encoding: "multipart",
  fileFields: ["files"],
  context: { team_id: "body" },
};
export const chat: RequestDefinition = {
  name: "create_a_gumloop_chat_completion",
  route: "POST /chat/completions",
  host: "stream",
};

/** A sleep that records the waits and returns at once. */
export function recordingSleep(): Sleep & { waits: number[] } {
  const waits: number[] = [];
  const sleep = (async (ms: number, signal?: AbortSignal) => {
    if (signal?.aborted) throw signal.reason;
    waits.push(ms);
  }) as Sleep & { waits: number[] };
  sleep.waits = waits;
  return sleep;
}

export function makeClient(baseUrl: string, options: GumloopClientOptions = {}): GumloopClient {
  return new GumloopClient({
    apiKey: API_KEY,
    userId: USER_ID,
    baseUrl,
    env: {},
    sleep: recordingSleep(),
    random: () => 0,
    ...options,
  });
}

/** Everything a careless logger could print about an error, for secret checks. */
export function everything(error: unknown): string {
  return [
    String(error),
    (error as Error)?.stack ?? "",
    inspect(error, { showHidden: true, depth: 10 }),
    JSON.stringify(error),
    JSON.stringify(Object.entries(error as object)),
  ].join("\n");
}
