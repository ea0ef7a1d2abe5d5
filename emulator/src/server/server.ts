/**
 * The emulator's HTTP server.
 *
 * Design note: how an area plugs in
 * ---------------------------------
 * Each API area is one folder under `src/areas/` whose `routes.ts` exports `defineArea({ name, seed?, routes,
 * inspect? })` (see `area.ts`), and one line in `areas/index.ts` adds it to `AREAS`. At start-up the core seeds identities,
 * then calls every area's `seed(env)` in order, then its `routes(router, env)`:
 *
 *   routes(r, env) {
 *     r.get("/list_saved_items", listFlows, { auth: "legacy" });     // REST host, Bearer key + ctx.legacyScope()
 *     r.post("/chat/completions", chat, { host: "stream" });         // the ws.gumloop.com stand-in
 *     r.post("/skills", createSkill);                                // standard auth; ctx.multipart() for files
 *   }
 *
 * A handler gets a `RequestContext`: `ctx.params`, `ctx.query`, `ctx.jsonObject()`, `ctx.multipart()`,
 * `ctx.caller` (the authenticated principal), `ctx.teamScope()`, `ctx.legacyScope()`, `ctx.canAccessTeam()`, and
 * `ctx.env` (store, clock, scheduler, signer, ids, options, identity, urls). It returns `json(status, body)` /
 * `raw(...)` or throws `ApiError` (envelope + error type by status). Long-running work goes through
 * `startJob(env, spec)` (plan slots, 429 or queueing) or `env.scheduler.at(time, fn)` (timed transitions); both
 * are settled lazily, in time order, before each request. Downloads: `putBlob()` then `env.signer.sign()`.
 *
 * The core does the rest for every route: `x-request-id`, faults (before auth), the optional rate limit, the
 * optional latency, settling jobs, authentication, body parsing, the request log, and error envelopes.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { handleAdmin } from "../admin.js";
import type { AreaEnv, EmulatorArea } from "../area.js";
import { authenticate } from "./auth.js";
import { bodyForLog, parseBody, readRawBody, type ParsedBody } from "./body.js";
import type { EmulatorClock } from "../world/clock.js";
import { RequestContext, json, type Handler, type HostKind, type Reply } from "./context.js";
import { ApiError, errorEnvelope } from "./errors.js";
import { sendFault, type FaultController } from "./faults.js";
import type { ResolvedOptions } from "../options.js";
import { RateLimiter } from "./rateLimit.js";
import { maskHeaders, queryObject, type RequestLog } from "./requestLog.js";
import type { IdGenerator } from "../world/prng.js";
import { RouteTable, type Method, type RouteOptions } from "./router.js";
import type { Scheduler } from "../world/scheduler.js";
import { STORAGE_ROUTE, storageHandler, type UrlSigner } from "./signing.js";
import type { Store } from "../world/store.js";

/** URL prefixes of the emulator's faces. */
export const PREFIXES = { api: "/api/v1", stream: "/ws/api/v1", admin: "/__emulator" } as const;

/** Everything the request pipeline needs. */
export interface ServerDeps {
  options: ResolvedOptions;
  clock: EmulatorClock;
  store: Store;
  scheduler: Scheduler;
  signer: UrlSigner;
  ids: IdGenerator;
  faults: FaultController;
  log: RequestLog;
  env: AreaEnv;
  areas: readonly EmulatorArea[];
  inspect(): unknown;
}

/** Sorts a path into a face and the path relative to that face's base. */
function classify(pathname: string): { host: HostKind | "admin" | null; rel: string } {
  const under = (prefix: string) => pathname === prefix || pathname.startsWith(`${prefix}/`);
  if (under(PREFIXES.stream)) return { host: "stream", rel: pathname.slice(PREFIXES.stream.length) || "/" };
  if (under(PREFIXES.api)) return { host: "api", rel: pathname.slice(PREFIXES.api.length) || "/" };
  if (under("/__storage")) return { host: "storage", rel: pathname };
  if (under(PREFIXES.admin)) return { host: "admin", rel: pathname.slice(PREFIXES.admin.length) || "/" };
  return { host: null, rel: pathname };
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Serialises a reply to bytes plus the headers that describe them. */
function serialise(reply: Reply): { bytes: Buffer; contentType: string } {
  if (reply.raw !== undefined) {
    const bytes = typeof reply.raw === "string" ? Buffer.from(reply.raw, "utf8") : Buffer.from(reply.raw);
    return { bytes, contentType: reply.contentType ?? "application/octet-stream" };
  }
  return {
    bytes: Buffer.from(reply.body === undefined ? "" : JSON.stringify(reply.body), "utf8"),
    contentType: reply.contentType ?? "application/json",
  };
}

function writeReply(res: ServerResponse, reply: Reply): void {
  if (res.headersSent || res.destroyed) return;
  const { bytes, contentType } = serialise(reply);
  res.writeHead(reply.status, {
    ...reply.headers,
    "content-type": contentType,
    "content-length": String(bytes.length),
  });
  res.end(bytes);
}

function errorReply(error: ApiError): Reply {
  return json(error.status, error.toEnvelope(), error.headers);
}

/** Builds the route table from the areas. */
export function buildRoutes(deps: Pick<ServerDeps, "areas" | "env" | "signer" | "store">): RouteTable {
  const table = new RouteTable();
  for (const area of deps.areas) {
    const add =
      (method: Method) =>
      (path: string, handler: Handler, options: RouteOptions = {}) => {
        const host = options.host ?? "api";
        const auth = options.auth ?? "standard";
        if (host === "api" || host === "both") table.add("api", method, path, handler, auth);
        if (host === "stream" || host === "both") table.add("stream", method, path, handler, auth);
      };
    area.routes(
      { get: add("GET"), post: add("POST"), put: add("PUT"), patch: add("PATCH"), delete: add("DELETE") },
      deps.env,
    );
  }
  table.add("storage", "GET", STORAGE_ROUTE, storageHandler(deps.signer, deps.store), "none");
  return table;
}

/** Creates the HTTP server (not yet listening). */
export function createEmulatorServer(deps: ServerDeps): { server: Server; routes: RouteTable } {
  const routes = buildRoutes(deps);
  const limiter = deps.options.rateLimit ? new RateLimiter(deps.options.rateLimit, deps.clock) : null;
  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      // Last resort: a bug in the pipeline itself. Keep the process alive and answer 500.
      process.stderr.write(`gumloop-emulator: ${(error as Error)?.stack ?? String(error)}\n`);
      writeReply(res, json(500, errorEnvelope(500, "internal_error", "Emulator error")));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const release = deps.clock.hold();
    const requestId = deps.ids.requestId();
    const arrivedAt = deps.clock.now();
    const method = (req.method ?? "GET").toUpperCase();
    const url = new URL(req.url ?? "/", "http://emulator.invalid");
    const { host, rel } = classify(url.pathname);
    res.setHeader("x-request-id", requestId);

    let raw: Buffer = Buffer.alloc(0);
    let parsed: ParsedBody | null = null;
    let routePattern: string | null = null;
    res.once("close", () => {
      release();
      if (host === "admin" || host === null) return;
      deps.log.append({
        id: requestId,
        time: arrivedAt,
        method,
        path: url.pathname,
        route: routePattern,
        host,
        query: queryObject(url.searchParams),
        headers: maskHeaders(req.headers),
        body: bodyForLog(parsed, raw),
        status: res.headersSent ? res.statusCode : 0,
      });
    });

    try {
      raw = await readRawBody(req);
    } catch (error) {
      writeReply(
        res,
        errorReply(error instanceof ApiError ? error : new ApiError(400, "invalid_request", "Bad body")),
      );
      return;
    }

    if (host === "admin") {
      const reply = deps.options.admin
        ? await handleAdmin(method, rel, raw, deps)
        : json(
            404,
            errorEnvelope(
              404,
              "not_found",
              "Admin routes are off; start gumloop-emulator with --admin (or pass admin: true to startEmulator)",
            ),
          );
      writeReply(res, reply);
      return;
    }
    if (host === null) {
      writeReply(res, json(404, errorEnvelope(404, "not_found", `No route for ${method} ${url.pathname}`)));
      return;
    }

    const match = routes.find(host, method, rel);
    if (match.kind === "found") routePattern = match.entry.pattern;

    // Faults come first: they model the network and gateways, so they hit even unauthenticated requests.
    const before = deps.faults.match(method, rel, host, "before");
    if (before.latencyMs > 0) await delay(before.latencyMs);
    if (before.fault) {
      if (sendFault(res, before.fault) === "hang") release(); // a hung request must not freeze auto-advance
      return;
    }

    if (limiter && host !== "storage") {
      const verdict = limiter.take();
      for (const [name, value] of Object.entries(verdict.headers)) res.setHeader(name, value);
      if (!verdict.allowed) {
        const error = new ApiError(
          429,
          "rate_limit_exceeded",
          "Too many requests; retry after the reset time.",
        );
        writeReply(res, errorReply(error));
        return;
      }
    }
    if (deps.options.latencyMs > 0) await delay(deps.options.latencyMs);

    // Replay every job transition due by now, in time order, before looking at any state.
    deps.scheduler.settle(deps.clock.now());

    let reply: Reply | undefined;
    try {
      if (match.kind === "not_found")
        throw new ApiError(404, "not_found", `No route for ${method} ${url.pathname}`);
      if (match.kind === "method_not_allowed") {
        throw new ApiError(405, "method_not_allowed", `Method ${method} not allowed on ${url.pathname}`, {
          headers: { allow: match.allowed.join(", ") },
        });
      }
      const { entry, params } = match;
      const principal = entry.auth === "none" ? null : authenticate(req.headers, deps.store, entry.auth);
      parsed = await parseBody(raw, req.headers);
      const ctx = new RequestContext({
        id: requestId,
        method,
        path: url.pathname,
        route: entry.pattern,
        host,
        params,
        query: url.searchParams,
        req,
        res,
        env: deps.env,
        body: parsed,
        principal,
      });
      reply = await entry.handler(ctx);
    } catch (error) {
      if (!(error instanceof ApiError)) {
        process.stderr.write(
          `gumloop-emulator: ${method} ${url.pathname}: ${(error as Error)?.stack ?? String(error)}\n`,
        );
      }
      reply = errorReply(
        error instanceof ApiError ? error : new ApiError(500, "internal_error", "Internal server error"),
      );
    }
    // The handler wrote the response itself. No built-in handler does (SSE is returned as a raw reply so that it
    // gets faulted too); phase-"after" faults cannot reach such a response, which faults.ts documents.
    if (reply === undefined) return;

    const after = deps.faults.match(method, rel, host, "after");
    if (after.latencyMs > 0) await delay(after.latencyMs);
    if (after.fault) {
      const { bytes, contentType } = serialise(reply);
      if (sendFault(res, after.fault, bytes, { status: reply.status, contentType }) === "hang") release();
      return;
    }
    writeReply(res, reply);
  }

  return { server, routes };
}

/** Starts listening; resolves with the bound address. */
export function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve(server.address() as AddressInfo);
    });
  });
}
