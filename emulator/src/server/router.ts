/**
 * Routing on find-my-way, one tree per face of the emulator. Areas write patterns in Gumloop's docs style
 * (`/agents/{agent_id}`); they are translated to find-my-way's `:agent_id` here, and the `{name}` form is what
 * the request log and fault matching report.
 */
import Router from "find-my-way";
import type { AuthMode } from "./auth.js";
import type { Handler, HostKind } from "./context.js";

/** Longest path parameter of a storage URL (see {@link RouteTable}). */
export const STORAGE_MAX_PARAM_LENGTH = 8192;

/** HTTP methods areas can register. */
export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

const METHODS: readonly Method[] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/** Per-route options. */
export interface RouteOptions {
  /** Which base the route lives under: REST (`/api/v1`), streaming (`/ws/api/v1`), or both. @default "api" */
  host?: "api" | "stream" | "both";
  /**
   * `"standard"`: Bearer key + `x-auth-key` for personal keys (newer routes). `"legacy"`: Bearer key only; the
   * handler checks `user_id` / `project_id` with `ctx.legacyScope()`. `"none"`: no credentials.
   * @default "standard"
   */
  auth?: AuthMode;
  /**
   * The statuses Gumloop's OpenAPI declares for the operation (see declared.ts): errors are answered within them.
   * @default undefined (no declaration: errors are answered as raised)
   */
  statuses?: readonly number[];
}

/** A registered route. */
export interface RouteEntry {
  method: Method;
  host: HostKind;
  /** `{name}` form, relative to the host base. */
  pattern: string;
  handler: Handler;
  auth: AuthMode;
  /** Declared statuses, when the operation is documented. */
  statuses: readonly number[] | undefined;
}

/** Result of a lookup. */
export type RouteMatch =
  | { kind: "found"; entry: RouteEntry; params: Record<string, string> }
  | { kind: "method_not_allowed"; allowed: Method[] }
  | { kind: "not_found" };

/** Translates `{name}` placeholders to find-my-way's `:name`. */
function toFindMyWay(pattern: string): string {
  return pattern.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, ":$1");
}

/** The emulator's route table. */
export class RouteTable {
  readonly #trees = new Map<HostKind, Router.Instance<Router.HTTPVersion.V1>>();
  readonly #entries: RouteEntry[] = [];

  /** Registers a route; throws on a duplicate (two areas claiming the same route is a bug). */
  add(
    host: HostKind,
    method: Method,
    pattern: string,
    handler: Handler,
    auth: AuthMode,
    statuses?: readonly number[],
  ): void {
    if (!pattern.startsWith("/")) throw new Error(`route pattern must start with "/": ${pattern}`);
    const tree = this.#tree(host);
    const entry: RouteEntry = { method, host, pattern, handler, auth, statuses };
    try {
      tree.on(method, toFindMyWay(pattern), () => undefined, entry);
    } catch (error) {
      throw new Error(`cannot register ${method} ${pattern} on ${host}: ${(error as Error).message}`);
    }
    this.#entries.push(entry);
  }

  /** Finds the route for a request path relative to the host base. */
  find(host: HostKind, method: string, path: string): RouteMatch {
    const tree = this.#trees.get(host);
    if (!tree) return { kind: "not_found" };
    const found = METHODS.includes(method as Method) ? tree.find(method as Method, path) : null;
    if (found) {
      const params: Record<string, string> = {};
      for (const [key, value] of Object.entries(found.params)) if (value !== undefined) params[key] = value;
      return { kind: "found", entry: found.store as RouteEntry, params };
    }
    const allowed = METHODS.filter((m) => m !== method && tree.find(m, path));
    return allowed.length ? { kind: "method_not_allowed", allowed } : { kind: "not_found" };
  }

  /** Every registered route (for docs and tests). */
  get entries(): readonly RouteEntry[] {
    return this.#entries;
  }

  #tree(host: HostKind): Router.Instance<Router.HTTPVersion.V1> {
    let tree = this.#trees.get(host);
    if (!tree) {
      // Storage URLs end in a file name derived from user input (a skill's name becomes `<name>.skill`, up to
      // hundreds of characters, tripled by percent-encoding); 500 made long names' signed URLs 404. Node's 16 KB
      // header limit bounds the URL anyway; API ids stay short, so their tree keeps the tighter limit.
      tree = Router({
        ignoreTrailingSlash: true,
        caseSensitive: true,
        maxParamLength: host === "storage" ? STORAGE_MAX_PARAM_LENGTH : 500,
      });
      this.#trees.set(host, tree);
    }
    return tree;
  }
}
