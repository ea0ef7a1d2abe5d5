/**
 * Test helpers for the emulator suites: start an emulator, call it with plain `fetch` (never through our client),
 * and check response shapes against the field types of Gumloop's OpenAPI files.
 */
import { expect } from "vitest";
import { startEmulator, VirtualClock, type Emulator, type EmulatorOptions } from "../src/index.js";

/** A started emulator plus its virtual clock. */
export interface TestEmulator {
  emulator: Emulator;
  clock: VirtualClock;
}

/** Starts an emulator on port 0 with a virtual clock (unless one is given). */
export async function startTestEmulator(options: EmulatorOptions = {}): Promise<TestEmulator> {
  const clock = options.clock instanceof VirtualClock ? options.clock : new VirtualClock();
  const emulator = await startEmulator({ port: 0, ...options, clock });
  return { emulator, clock };
}

/** Which credentials to send. */
export type AuthKind = "personal" | "team" | "oauth" | "other" | "none";

/** Headers for a credential kind. */
export function authHeaders(emulator: Emulator, kind: AuthKind = "personal"): Record<string, string> {
  switch (kind) {
    case "personal":
      return { authorization: `Bearer ${emulator.apiKey}`, "x-auth-key": emulator.userId };
    case "team":
      return { authorization: `Bearer ${emulator.teamApiKey}` };
    case "oauth":
      return { authorization: `Bearer ${emulator.oauthToken}` };
    case "other":
      return {
        authorization: `Bearer ${emulator.otherUser.apiKey}`,
        "x-auth-key": emulator.otherUser.userId,
      };
    case "none":
      return {};
  }
}

/** Options of {@link call}. */
export interface CallOptions {
  /** JSON body (serialised) or a raw BodyInit. */
  body?: unknown;
  rawBody?: RequestInit["body"];
  headers?: Record<string, string>;
  auth?: AuthKind;
  query?: Record<string, string | number | boolean>;
  /** Base: REST (default) or the streaming host. */
  base?: "api" | "stream";
  signal?: AbortSignal;
}

/** A decoded response. `body` is parsed JSON when the body is JSON, else text. */
export interface CallResult<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** Calls the emulator with plain fetch. */
export async function call<T = any>(
  emulator: Emulator,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<CallResult<T>> {
  const base = options.base === "stream" ? emulator.streamUrl : emulator.url;
  const url = new URL(`${base}${path}`);
  for (const [key, value] of Object.entries(options.query ?? {})) url.searchParams.set(key, String(value));
  const headers: Record<string, string> = {
    ...authHeaders(emulator, options.auth ?? "personal"),
    ...options.headers,
  };
  let body: RequestInit["body"] = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  const res = await fetch(url, { method, headers, body, signal: options.signal ?? null });
  const text = await res.text();
  let parsed: unknown = text;
  if ((res.headers.get("content-type") ?? "").includes("json") && text) parsed = JSON.parse(text);
  return { status: res.status, headers: res.headers, body: parsed as T, text };
}

/** A field type as the OpenAPI files describe it; `"x|null"` marks nullable fields. */
export type FieldType =
  | "string"
  | "integer"
  | "number"
  | "boolean"
  | "array"
  | "object"
  | "date-time"
  | "string|null"
  | "integer|null"
  | "number|null"
  | "boolean|null"
  | "array|null"
  | "object|null"
  | "date-time|null"
  /** Absent until it exists (a string-typed field the spec does not make nullable), never null. */
  | "date-time?"
  | readonly string[];

/** Field name → type. */
export type Shape = Readonly<Record<string, FieldType>>;

function typeOk(value: unknown, type: FieldType): boolean {
  if (Array.isArray(type)) return typeof value === "string" && type.includes(value);
  const [base, nullable] = (type as string).split("|");
  if (value === null) return nullable === "null";
  switch (base) {
    case "string":
      return typeof value === "string";
    case "integer":
      return Number.isInteger(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "boolean":
      return typeof value === "boolean";
    case "array":
      return Array.isArray(value);
    case "object":
      return typeof value === "object" && value !== null && !Array.isArray(value);
    case "date-time":
      return typeof value === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(value);
    default:
      return false;
  }
}

/** Asserts every field of `shape` is present on `value` with the right type (extra fields are allowed). */
export function expectShape(value: unknown, shape: Shape, where = "value"): void {
  expect(typeof value === "object" && value !== null, `${where} is an object`).toBe(true);
  const record = value as Record<string, unknown>;
  for (const [field, type] of Object.entries(shape)) {
    if (type === "date-time?") {
      if (!(field in record)) continue;
      expect(typeOk(record[field], "date-time"), `${where}.${field} = ${JSON.stringify(record[field])}`).toBe(
        true,
      );
      continue;
    }
    expect(record, `${where} has ${field}`).toHaveProperty(field);
    expect(
      typeOk(record[field], type),
      `${where}.${field} = ${JSON.stringify(record[field])} should be ${String(type)}`,
    ).toBe(true);
  }
}

/** Asserts Gumloop's error envelope with the given status-derived type and (optionally) code. */
export function expectError(result: CallResult, status: number, code?: string): void {
  expect(result.status, result.text).toBe(status);
  expect(result.headers.get("content-type")).toContain("application/json");
  const error = (result.body as { error: unknown }).error;
  expectShape(
    error,
    { code: "string", message: "string", type: "string", param: "string|null", details: "object" },
    "error",
  );
  const type =
    status === 401
      ? "authentication_error"
      : status === 403
        ? "permission_error"
        : status === 404
          ? "not_found_error"
          : status === 429
            ? "rate_limit_error"
            : status >= 500
              ? "api_error"
              : "invalid_request_error";
  expect((error as { type: string }).type).toBe(type);
  if (code) expect((error as { code: string }).code).toBe(code);
}

/** `creator` objects (agents, sessions, artifacts). */
export const CREATOR: Shape = {
  id: "string|null",
  first_name: "string|null",
  last_name: "string|null",
  email: "string|null",
  profile_picture: "string|null",
};

/** agents.yml: the agent object of create / retrieve / update. */
export const AGENT: Shape = {
  id: "string",
  name: "string",
  description: "string|null",
  team_id: "string",
  is_active: "boolean",
  tools: "array",
  metadata: "object",
  model_name: "string|null",
  system_prompt: "string|null",
  resources: "array",
  skill_ids: "array|null",
  folder_id: "string|null",
  type: "string|null",
  created_at: "date-time|null",
  active_trigger_count: "integer|null",
  creator: "object|null",
};

/** agents.yml: list items of `GET /agents`. */
export const AGENT_LIST_ITEM: Shape = {
  id: "string",
  name: "string",
  description: "string|null",
  team_id: "string",
  is_active: "boolean",
  model_name: "string|null",
  system_prompt: "string|null",
  tools: "array",
  resources: "array",
  metadata: "object",
  folder_id: "string|null",
  created_at: "date-time",
  active_trigger_count: "integer",
};

/** Session states across both spec captures. */
export const SESSION_STATES = [
  "processing",
  "completed",
  "failed",
  "queued",
  "idle",
  "approval_required",
] as const;

/** sessions.yml: the full session object. */
export const SESSION: Shape = {
  id: "string",
  agent_id: "string",
  messages: "array",
  created_at: "date-time|null",
  state: SESSION_STATES,
  agent_name: "string|null",
  agent_team_id: "string|null",
  agent_creator_user_id: "string|null",
  agent_icon_url: "string|null",
  agent_tools: "array",
  participants: "object",
  creator: "object|null",
  usage: "object",
  pending_approvals: "array",
};

/** sessions.yml: a message. */
export const MESSAGE: Shape = {
  id: "string|null",
  role: "string|null",
  content: "string|null",
  created_at: "date-time|null",
  creator_id: "string|null",
  parts: "array|null",
};

/** Oct spec: session usage. */
export const USAGE: Shape = {
  credit_cost: "number|null",
  tool_credit_cost: "number|null",
  flow_credit_cost: "number|null",
  input_tokens: "integer|null",
  cached_input_tokens: "integer|null",
  cache_write_input_tokens: "integer|null",
  output_tokens: "integer|null",
  reasoning_tokens: "integer|null",
};

/** Oct spec: a pending approval. */
export const PENDING_APPROVAL: Shape = {
  action_request_id: "string|null",
  type: "string",
  title: "string|null",
  reason: "string|null",
  recipient_user_id: "string|null",
  tool_name: "string|null",
  server_label: "string|null",
  display_fields: "array|null",
  questions: "array|null",
};

/** artifacts.yml: list items. */
export const ARTIFACT_LIST_ITEM: Shape = {
  id: "string",
  version_id: "string|null",
  major_version: "integer|null",
  agent_id: "string|null",
  session_id: "string|null",
  filename: "string|null",
  created_at: "date-time|null",
  metadata: "object",
  url: "string|null",
  creator: "object|null",
};

/** artifacts.yml: the download response. */
export const ARTIFACT_DOWNLOAD: Shape = {
  download_url: "string",
  filename: "string|null",
  media_type: "string|null",
  size: "integer|null",
};

/** Checks a full `{session, queue_position}` envelope, every message, usage and pending approvals. */
export function expectSessionEnvelope(body: any): void {
  expectShape(body, { session: "object", queue_position: "integer|null" }, "envelope");
  expectShape(body.session, SESSION, "session");
  body.session.messages.forEach((m: unknown, i: number) => expectShape(m, MESSAGE, `messages[${i}]`));
  expectShape(body.session.usage, USAGE, "usage");
  body.session.pending_approvals.forEach((p: unknown, i: number) =>
    expectShape(p, PENDING_APPROVAL, `pending_approvals[${i}]`),
  );
  if (body.session.creator !== null) expectShape(body.session.creator, CREATOR, "creator");
}
