/**
 * `/__emulator/*`: fault injection, the request log and the clock over HTTP, for tests in another process (the
 * CLI). Served only with `admin: true`; never logged, never faulted, no credentials.
 */
import { parseJsonBounded } from "./server/body.js";
import { json, type Reply } from "./server/context.js";
import { errorEnvelope } from "./server/errors.js";
import type { FaultController, FaultSpec } from "./server/faults.js";
import type { EmulatorClock, VirtualClock } from "./world/clock.js";
import type { RequestLog } from "./server/requestLog.js";

/** What the admin routes operate on. */
export interface AdminDeps {
  faults: FaultController;
  log: RequestLog;
  clock: EmulatorClock;
  /** Settles jobs and returns the snapshot `inspect()` gives. */
  inspect(): unknown;
}

function bad(status: number, message: string): Reply {
  return json(status, errorEnvelope(status, status === 404 ? "not_found" : "invalid_request", message));
}

function parseJson(raw: Buffer): unknown {
  if (raw.length === 0) return {};
  try {
    return parseJsonBounded(raw.toString("utf8"));
  } catch {
    return undefined;
  }
}

/** Answers an admin request (`path` is relative to `/__emulator`). */
export async function handleAdmin(
  method: string,
  path: string,
  raw: Buffer,
  deps: AdminDeps,
): Promise<Reply> {
  const route = `${method} ${path.replace(/\/+$/, "") || "/"}`;
  if (route === "GET /faults") return json(200, { faults: deps.faults.list() });
  if (route === "POST /faults") {
    const body = parseJson(raw);
    if (typeof body !== "object" || body === null || Array.isArray(body))
      return bad(400, "Body must be a fault object");
    try {
      return json(201, { id: deps.faults.add(body as FaultSpec) });
    } catch (error) {
      return bad(400, (error as Error).message);
    }
  }
  if (route === "DELETE /faults") return json(200, { cleared: deps.faults.clear() });
  const one = /^DELETE \/faults\/([^/]+)$/.exec(route);
  if (one) {
    let id: string;
    try {
      id = decodeURIComponent(one[1]!);
    } catch {
      // A malformed percent-escape (`%ZZ`) is the caller's mistake, not an emulator error.
      return bad(400, `Fault id is not valid percent-encoding: ${one[1]}`);
    }
    return deps.faults.remove(id) ? json(200, { removed: true }) : bad(404, `No fault ${one[1]}`);
  }
  if (route === "GET /requests") return json(200, { requests: deps.log.entries });
  if (route === "DELETE /requests") {
    deps.log.clear();
    return json(200, { cleared: true });
  }
  if (route === "GET /clock") return json(200, { now: deps.clock.now(), virtual: deps.clock.virtual });
  if (route === "POST /clock/advance") {
    if (!deps.clock.virtual) return bad(400, "The emulator runs on real time; start it with a VirtualClock");
    const body = parseJson(raw) as { ms?: unknown } | undefined;
    const ms = body?.ms;
    if (typeof ms !== "number" || !(ms >= 0)) return bad(400, 'Body must be {"ms": <number >= 0>}');
    await (deps.clock as VirtualClock).advance(ms);
    return json(200, { now: deps.clock.now() });
  }
  if (route === "GET /inspect") return json(200, deps.inspect());
  return bad(404, `Unknown admin route ${route}`);
}
