/**
 * What GumloopClient needs to know about one Gumloop operation, as data.
 *
 * Every tool and every graph node passes one of these to `client.call()`; the client reads it and never branches
 * on operation names. Placement rule (after octokit's): `{vars}` in the route go to the path; keys listed in
 * `query` go to the query string; the remaining keys go to the query for GET/DELETE and to the body otherwise.
 */

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** Octokit-style route, e.g. `"POST /agents/{agent_id}/sessions"`, relative to the API base. */
export type Route = `${HttpMethod} /${string}`;

/** Where a field is sent. For multipart bodies, `"body"` means a form field. */
export type Placement = "query" | "body";

/** Cursor pagination: `page_size` + opaque `cursor` in, `next_cursor` out (null on the last page). */
export interface CursorPagination {
  readonly style: "cursor";
  /** Input key that carries the cursor, e.g. `"cursor"`. */
  readonly cursorParam: string;
  /** Response key that holds the next cursor, e.g. `"next_cursor"`. */
  readonly nextCursorField: string;
  /** Response key that holds the page's items, e.g. `"artifacts"`. */
  readonly itemsField: string;
}

/** Page-number pagination: `page` / `page_size` in, `total_pages` out. */
export interface PageNumberPagination {
  readonly style: "page";
  /** Input key of the 1-based page number, e.g. `"page"`. */
  readonly pageParam: string;
  /** Response key with the number of pages, e.g. `"total_pages"`. */
  readonly totalPagesField: string;
  /** Response key that holds the page's items, e.g. `"audit_logs"`. */
  readonly itemsField: string;
}

/** How a list operation pages: by cursor or by page number. */
export type Pagination = CursorPagination | PageNumberPagination;

/**
 * Identity fields the client fills in from its own configuration when the input leaves them out:
 * `user_id` from `userId`, `team_id` and `project_id` from `teamId`. Gumloop's older routes (flows, files,
 * organisation) take these as parameters; the newer ones read `team_id` for team keys.
 */
export interface ContextFields {
  readonly user_id?: Placement;
  readonly team_id?: Placement;
  readonly project_id?: Placement;
}

/**
 * Type-only key of the body a definition's 2xx answer carries: `client.call` infers its result type from it.
 * Nothing is stored under it at run time; {@link responds} sets it in the type alone.
 */
declare const RESPONSE: unique symbol;

/**
 * What the client needs to send one operation: route, host, field placement, encoding, retry safety, paging; and,
 * as a type, the body of its 2xx answer (`TResponse`, `unknown` when the definition declares none).
 */
export interface RequestDefinition<TResponse = unknown> {
  /** Type-only: the 2xx body (see {@link responds}); never present at run time. */
  readonly [RESPONSE]?: TResponse;
  /** Operation name used in error messages and hooks, e.g. `"create_a_gumloop_session"`. */
  readonly name: string;
  readonly route: Route;
  /**
   * Which Gumloop host serves the route: the REST host, or the streaming host (`ws.gumloop.com`), which alone
   * serves chat completions.
   * @default "api"
   */
  readonly host?: "api" | "stream";
  /** Input keys sent in the query string whatever the method. */
  readonly query?: readonly string[];
  /**
   * Body encoding for POST/PUT/PATCH.
   * @default "json"
   */
  readonly encoding?: "json" | "multipart";
  /**
   * Input keys (after {@link RequestDefinition.aliases}) whose values are files ({@link FileInput} or arrays of
   * them): multipart parts, or for JSON bodies Gumloop's `{file_name, file_content}` objects with base64 content.
   */
  readonly fileFields?: readonly string[];
  /**
   * Input keys the client renames to Gumloop's before placing them, e.g. `{ id: "session_id" }`: tools take
   * Truto's argument names, the wire keeps Gumloop's. Gumloop's own name is accepted too (programmatic callers).
   */
  readonly aliases?: Readonly<Record<string, string>>;
  /** Input keys that are options of the tool, never sent to Gumloop (e.g. `include_content`). */
  readonly local?: readonly string[];
  /**
   * Safe to send twice with the same input: the client may retry it after a connection error or a 5xx.
   * @default true for GET, false otherwise
   */
  readonly idempotent?: boolean;
  /**
   * Input key of a caller-chosen id that makes a repeated call harmless (Gumloop answers a duplicate with 409),
   * e.g. `"session_id"`: when the input carries it, the client may retry the call like an idempotent one.
   */
  readonly idempotencyKey?: string;
  /**
   * Identity fields the client fills in when the input omits them.
   * @default { team_id: "query" }
   */
  readonly context?: ContextFields;
  /**
   * `true`: the call needs at least one of its `context` fields (e.g. `user_id` or `project_id` on flow routes).
   * A field name: the call needs that one, whatever else is given (`start_pipeline` requires `user_id` even with
   * a `project_id`). Without it, the client refuses the call before sending anything.
   */
  readonly requiresContext?: boolean | keyof ContextFields;
  /**
   * Input key whose object value is spread into the top level of the JSON body, e.g. a flow's named inputs
   * (`{"topic": "tides"}` becomes `"topic": "tides"` beside `saved_item_id`).
   */
  readonly spread?: string;
  /** How the list operation pages, for `client.paginate()`. */
  readonly pagination?: Pagination;
  /** For calls that may do work: how to find out whether a call whose answer was lost took effect. */
  readonly reconcileHint?: string;
  /** `Accept` header to send, e.g. `"text/csv, application/json"`. @default "application/json" */
  readonly accept?: string;
}

/**
 * Declares the body type of a definition's 2xx answer, for `client.call` to infer (no cast at call sites). Returns
 * the definition itself, unchanged: the declaration exists only in the type.
 *
 * @example
 * ```ts
 * export const get_single_gumloop_run_by_id = responds<FlowRunBody>()(defineEndpoint({ ... }));
 * const { data } = await client.call(ENDPOINTS.get_single_gumloop_run_by_id, { run_id }); // data: FlowRunBody
 * ```
 */
export function responds<TResponse>(): <D extends RequestDefinition>(
  definition: D,
) => D & RequestDefinition<TResponse> {
  return (definition) => definition as typeof definition & RequestDefinition<TResponse>;
}

/**
 * A file as tools and callers hand it to the client: a name (`name`, as the tools take it, or `file_name`) and
 * exactly one of `content` or `content_base64`. Only these bytes are sent: nothing is ever read from a path.
 */
export interface FileInput {
  /** File name as it should be stored, e.g. `"SKILL.md"` (the tools' spelling). */
  readonly name?: string;
  /** The same, in Gumloop's spelling; used when `name` is absent. */
  readonly file_name?: string;
  /** Text content (UTF-8). */
  readonly content?: string;
  /** Binary content, base64-encoded. */
  readonly content_base64?: string;
  /** Media type. @default guessed from the file name */
  readonly media_type?: string;
}

export interface ParsedRoute {
  readonly method: HttpMethod;
  readonly path: string;
  readonly pathParams: readonly string[];
}

const parsedRoutes = new Map<string, ParsedRoute>();

/** Splits `"POST /agents/{agent_id}"` into its method and path template (memoised: routes are a fixed set). */
export function parseRoute(route: Route): ParsedRoute {
  let parsed = parsedRoutes.get(route);
  if (!parsed) {
    const space = route.indexOf(" ");
    const path = route.slice(space + 1);
    parsed = {
      method: route.slice(0, space) as HttpMethod,
      path,
      pathParams: [...path.matchAll(/\{([A-Za-z0-9_]+)\}/g)].map((match) => match[1]!),
    };
    parsedRoutes.set(route, parsed);
  }
  return parsed;
}

/**
 * The one idempotency rule: whether the operation itself is harmless to repeat, whatever its input (a read, or a
 * write marked `idempotent`). Everything else may do work each time it reaches the server.
 */
export function idempotentByDefinition(definition: RequestDefinition): boolean {
  return definition.idempotent ?? parseRoute(definition.route).method === "GET";
}

/** Whether the input carries the definition's idempotency key (e.g. a caller-chosen `session_id`). */
export function carriesIdempotencyKey(
  definition: RequestDefinition,
  input: Readonly<Record<string, unknown>>,
): boolean {
  return definition.idempotencyKey !== undefined && typeof input[definition.idempotencyKey] === "string";
}

/**
 * Whether the client may send the call again on its own: the rule above, or an input carrying the idempotency key,
 * with which a duplicate is refused (409) instead of doing the work twice. The key makes a repeat safe; it does
 * not undo what an earlier sending may have done, which is why the outcome decision (outcome.ts) asks
 * {@link idempotentByDefinition} alone.
 */
export function retrySafe(definition: RequestDefinition, input: Readonly<Record<string, unknown>>): boolean {
  return idempotentByDefinition(definition) || carriesIdempotencyKey(definition, input);
}
