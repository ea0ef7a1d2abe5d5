/** What a route handler receives, and the replies it can return. */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AreaEnv } from "../area.js";
import { canAccessTeam, legacyScope, resolveTeamScope, type LegacyScope, type Principal } from "./auth.js";
import type { MultipartBody, ParsedBody } from "./body.js";
import { invalidRequest } from "./errors.js";
import type { StreamPump } from "./sse.js";

/** Which of the emulator's three faces a request hit. */
export type HostKind = "api" | "stream" | "storage";

/** A response a handler returns. JSON unless `raw` is set. */
export interface Reply {
  status: number;
  /** Serialised as JSON (ignored when `raw` is set). */
  body?: unknown;
  /** Bytes or text sent as is, with `contentType`. */
  raw?: Uint8Array | string;
  /** @default "application/json" for `body`, "application/octet-stream" for `raw` */
  contentType?: string;
  /** Extra headers. @default {} */
  headers?: Record<string, string>;
  /** A live `text/event-stream` body, written by the pump as events happen (see sse.ts); `body`/`raw` unused. */
  stream?: StreamPump;
}

/** A JSON reply. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return { status, body, headers };
}

/** A raw reply (file bytes, CSV, XML...). */
export function raw(
  status: number,
  bytes: Uint8Array | string,
  contentType: string,
  headers: Record<string, string> = {},
): Reply {
  return { status, raw: bytes, contentType, headers };
}

/** A live Server-Sent Events reply (`text/event-stream`), written by `pump` as its events happen. */
export function eventStream(pump: StreamPump, status = 200, headers: Record<string, string> = {}): Reply {
  return { status, stream: pump, headers };
}

/**
 * A handler. Return a {@link Reply}, throw an `ApiError`, or write `ctx.res` yourself (for SSE) and return
 * `undefined`.
 */
export type Handler = (ctx: RequestContext) => Reply | undefined | Promise<Reply | undefined>;

/** Everything a handler knows about the request, plus the shared services in `env`. */
export class RequestContext {
  /** Value of the `x-request-id` response header. */
  readonly id: string;
  readonly method: string;
  /** Full URL path, e.g. `/api/v1/agents/abc`. */
  readonly path: string;
  /** Route pattern relative to the host base, e.g. `/agents/{agent_id}`. */
  readonly route: string;
  readonly host: HostKind;
  /** Path parameters, decoded. */
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly env: AreaEnv;
  /** The parsed body. */
  readonly body: ParsedBody;
  /** The caller; null only on routes registered with `auth: "none"`. */
  readonly principal: Principal | null;

  constructor(init: {
    id: string;
    method: string;
    path: string;
    route: string;
    host: HostKind;
    params: Record<string, string>;
    query: URLSearchParams;
    req: IncomingMessage;
    res: ServerResponse;
    env: AreaEnv;
    body: ParsedBody;
    principal: Principal | null;
  }) {
    this.id = init.id;
    this.method = init.method;
    this.path = init.path;
    this.route = init.route;
    this.host = init.host;
    this.params = init.params;
    this.query = init.query;
    this.req = init.req;
    this.res = init.res;
    this.env = init.env;
    this.body = init.body;
    this.principal = init.principal;
  }

  /** Current clock time (epoch ms). */
  get now(): number {
    return this.env.clock.now();
  }

  /** A path parameter (always present for a matched route). */
  param(name: string): string {
    return this.params[name] ?? "";
  }

  /** A query parameter, or undefined when absent. */
  queryParam(name: string): string | undefined {
    return this.query.get(name) ?? undefined;
  }

  /** The caller; throws if the route was registered without auth (a programming error). */
  get caller(): Principal {
    if (!this.principal) throw new Error(`${this.method} ${this.route} was registered with auth "none"`);
    return this.principal;
  }

  /**
   * The JSON body as an object. No body → `{}`. A body that is not a JSON object (form-encoded included: every
   * Gumloop route that takes a body documents `application/json`, or multipart for skills) → 400
   * `invalid_request`, as is a body that could not be read.
   */
  jsonObject(): Record<string, unknown> {
    if (this.body.kind === "none") return {};
    if (this.body.kind === "invalid") throw this.body.error;
    if (this.body.kind === "json" && isPlainObject(this.body.value)) return this.body.value;
    if (this.body.kind === "form") {
      throw invalidRequest("Request body must be JSON (Content-Type: application/json), not a form");
    }
    throw invalidRequest("Request body must be a JSON object");
  }

  /** The multipart body; 400 when the request was not multipart/form-data. */
  multipart(): MultipartBody {
    if (this.body.kind === "multipart") return this.body.value;
    throw invalidRequest("Request must be multipart/form-data");
  }

  /** A named field from the body (JSON key, or first multipart field value). */
  bodyField(name: string): unknown {
    if (this.body.kind === "invalid") throw this.body.error;
    if (this.body.kind === "json" && isPlainObject(this.body.value)) return this.body.value[name];
    if (this.body.kind === "multipart") return this.body.value.fields[name]?.[0];
    return undefined;
  }

  /**
   * The team this request is scoped to, validated against the caller (403 when not allowed). Reads `team_id`
   * from the query, or from the body for the routes where Gumloop reads it there (`POST /agents`, `POST /skills`,
   * `POST /mcp/tools/call`); `from: "any"` takes the query first, then the body. Null = user scope.
   */
  teamScope(from: "query" | "body" | "any" = "query"): string | null {
    const fromQuery = from === "body" ? undefined : this.queryParam("team_id");
    const fromBody = from === "query" ? undefined : this.bodyField("team_id");
    return resolveTeamScope(this.caller, this.env.store, fromQuery ?? fromBody);
  }

  /** True when the caller may act on objects owned by `teamId`. */
  canAccessTeam(teamId: string): boolean {
    return canAccessTeam(this.caller, this.env.store, teamId);
  }

  /**
   * For legacy routes: checks `user_id` / `project_id` (query first, then body) against the key. 400 when both
   * are missing, 403 "API key does not match" when they do not belong to the caller.
   */
  legacyScope(): LegacyScope {
    return legacyScope(this.caller, this.env.store, {
      user_id: this.queryParam("user_id") ?? this.bodyField("user_id"),
      project_id: this.queryParam("project_id") ?? this.bodyField("project_id"),
    });
  }
}

/** True for `{...}` (not arrays, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
