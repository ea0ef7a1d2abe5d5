/**
 * Route expansion and field placement: turns a definition plus a flat input object into a URL and a body. Path
 * parameters are checked against the safe id alphabet (ids.ts) before encoding.
 */
import { parseRoute, type HttpMethod, type RequestDefinition } from "./definition.js";
import { appendFiles, jsonFiles } from "./fileEncoding.js";
import type { ValidationIssue } from "./errors.js";
import { checkId } from "../ids.js";

export interface BuiltRequest {
  readonly method: HttpMethod;
  /** The full URL, query string included. */
  readonly url: string;
  /** JSON text, FormData, or undefined for no body. */
  readonly body: string | FormData | undefined;
  readonly contentType: string | undefined;
}

/** Configured identity values that fill `definition.context` fields. */
export interface ContextValues {
  readonly userId?: string | undefined;
  readonly teamId?: string | undefined;
}

function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** Query-string form of a value: arrays comma-joined (Gumloop's list filters), objects as JSON. */
function queryValue(value: unknown): string {
  if (Array.isArray(value)) return value.map((item) => queryValue(item)).join(",");
  if (typeof value === "object" && value !== null) return JSON.stringify(value);
  return String(value);
}

/** A definition's placement facts, worked out once: this runs on every call. */
interface Placement {
  readonly queryKeys: ReadonlySet<string>;
  readonly contextFields: ReadonlyArray<readonly [string, "query" | "body"]>;
  readonly contextPlacement: ReadonlyMap<string, "query" | "body">;
  readonly fileFields: ReadonlySet<string>;
  readonly aliases: ReadonlyArray<readonly [string, string]>;
  readonly local: ReadonlySet<string>;
}

const placements = new WeakMap<RequestDefinition, Placement>();
const DEFAULT_CONTEXT = { team_id: "query" } as const;

function placementOf(definition: RequestDefinition): Placement {
  let placement = placements.get(definition);
  if (!placement) {
    const contextFields = Object.entries(definition.context ?? DEFAULT_CONTEXT) as [
      string,
      "query" | "body",
    ][];
    placement = {
      queryKeys: new Set(definition.query ?? []),
      contextFields,
      contextPlacement: new Map(contextFields),
      fileFields: new Set(definition.fileFields ?? []),
      aliases: Object.entries(definition.aliases ?? {}),
      local: new Set(definition.local ?? []),
    };
    placements.set(definition, placement);
  }
  return placement;
}

const baseUrls = new Map<string, string>();

/** The base URL's origin and path without a trailing slash, checked once per base (it throws if invalid). */
function baseUrlOf(baseUrl: string): string {
  let base = baseUrls.get(baseUrl);
  if (base === undefined) {
    const parsed = new URL(baseUrl);
    base = `${parsed.origin}${parsed.pathname.replace(/\/+$/, "")}`;
    baseUrls.set(baseUrl, base);
  }
  return base;
}

/**
 * Expands the route and places every input field. Returns the problems instead of throwing, so the caller can
 * raise one validation error naming every bad field.
 *
 * The URL is built as a string, with no parse-and-normalise step: every path parameter has passed
 * {@link checkId}, whose alphabet has no `/`, `\`, `%`, `?` or `#` and which rejects `.` and `..`, so each id
 * stays one segment that no URL parser can resolve upwards, and the request cannot leave the base path.
 */
export function buildRequest(
  definition: RequestDefinition,
  input: Readonly<Record<string, unknown>>,
  baseUrl: string,
  context: ContextValues,
): BuiltRequest | ValidationIssue[] {
  const { method, path, pathParams } = parseRoute(definition.route);
  const { queryKeys, contextFields, contextPlacement, fileFields, aliases, local } = placementOf(definition);
  // Null-prototype records and own keys only: input keys are arbitrary (a model writes them, flow inputs are
  // user-named), so "constructor" or "toString" must read as absent unless given, and an own "__proto__" key (as
  // JSON.parse makes) must stay a field rather than replace the prototype and smuggle in inherited keys.
  const values: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(input)) {
    const value = input[key];
    if (isPresent(value) && !local.has(key)) values[key] = value;
  }
  const issues: ValidationIssue[] = [];
  // Truto's argument names to Gumloop's (`id` to `session_id`); both given must agree.
  for (const [from, to] of aliases) {
    if (!isPresent(values[from])) continue;
    if (isPresent(values[to]) && values[to] !== values[from]) {
      issues.push({ field: from, message: `${from} and ${to} name the same field; give one` });
    } else values[to] = values[from];
    delete values[from];
  }

  // Identity fields from the client's configuration, unless the caller gave them.
  let contextGiven = false;
  for (const [field] of contextFields) {
    const configured = field === "user_id" ? context.userId : context.teamId;
    if (!isPresent(values[field]) && configured) values[field] = configured;
    if (isPresent(values[field])) contextGiven = true;
  }

  const required = definition.requiresContext;
  if (typeof required === "string" && !isPresent(values[required])) {
    const setting = required === "user_id" ? "userId (GUMLOOP_USER_ID)" : "teamId (GUMLOOP_TEAM_ID)";
    issues.push({
      field: required,
      message: `${required} is required by this Gumloop route even when a team is given: pass ${required}, or configure the client with ${setting}`,
    });
  } else if (required === true && !contextGiven) {
    const names = contextFields.map(([field]) => field).join(" or ");
    issues.push({
      field: contextFields[0]?.[0] ?? "",
      message: `${names} is required: pass ${names}, or configure the client with userId (GUMLOOP_USER_ID) or teamId (GUMLOOP_TEAM_ID)`,
    });
  }

  let expanded = path;
  for (const param of pathParams) {
    const problem = checkId(values[param]);
    if (problem) {
      issues.push({ field: param, message: values[param] === undefined ? "is required" : problem });
      continue;
    }
    expanded = expanded.replace(`{${param}}`, encodeURIComponent(values[param] as string));
  }
  if (issues.length) return issues;

  let query: URLSearchParams | undefined;
  let bodyValues: Record<string, unknown> | undefined;
  const sendsBody = method !== "GET" && method !== "DELETE";
  for (const key in values) {
    if (pathParams.includes(key)) continue;
    const value =
      fileFields.has(key) && definition.encoding !== "multipart" ? jsonFiles(values[key]) : values[key];
    const placement = contextPlacement.get(key) ?? (queryKeys.has(key) || !sendsBody ? "query" : "body");
    if (placement === "query") (query ??= new URLSearchParams()).set(key, queryValue(value));
    else if (key === definition.spread && typeof value === "object" && !Array.isArray(value)) {
      // Named values (e.g. a flow's inputs) go to the top level; fields the definition places win over them.
      bodyValues ??= Object.create(null) as Record<string, unknown>;
      for (const [name, item] of Object.entries(value as Record<string, unknown>)) {
        if (!Object.hasOwn(values, name)) bodyValues[name] = item;
      }
    } else (bodyValues ??= Object.create(null) as Record<string, unknown>)[key] = value;
  }

  const url = query ? `${baseUrlOf(baseUrl)}${expanded}?${query}` : `${baseUrlOf(baseUrl)}${expanded}`;
  if (!sendsBody) return { method, url, body: undefined, contentType: undefined };
  if (definition.encoding === "multipart") {
    const form = new FormData();
    for (const [key, value] of Object.entries(bodyValues ?? {})) {
      if (fileFields.has(key)) appendFiles(form, key, value);
      else form.append(key, typeof value === "string" ? value : JSON.stringify(value));
    }
    // fetch sets the multipart content type with its boundary.
    return { method, url, body: form, contentType: undefined };
  }
  return { method, url, body: JSON.stringify(bodyValues ?? {}), contentType: "application/json" };
}
