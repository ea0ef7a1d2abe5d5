/**
 * Fault injection. A fault matches requests by `"METHOD /route/{pattern}"` (or `"*"`) and replaces the normal
 * answer with an error status, extra latency, a hang, a malformed or truncated body, or a dropped connection.
 * Faults are checked before authentication (phase "before", the default), so they hit bad requests too; phase
 * "after" lets the handler run first (its side effects happen) and then spoils its response, which is how a
 * client meets an ambiguous outcome; phase "stream" strikes an open Server-Sent Events stream after `afterEvents`
 * events: `drop` cuts the connection, `hang` stalls it (nothing more is sent, keep-alives included, and the
 * connection stays open), `malformed` sends one event whose data is not JSON and goes on, `truncated` sends half
 * of the next event and cuts the connection.
 */
import type { ServerResponse } from "node:http";
import type { HostKind } from "./context.js";
import { errorEnvelope } from "./errors.js";
import { createRandom, type Random } from "../world/prng.js";

/** What a fault does. */
export type FaultKind = "status" | "latency" | "hang" | "malformed" | "truncated" | "drop";

/** A fault to add. */
export interface FaultSpec {
  /**
   * Which requests: `"GET /sessions/{session_id}"` (method + route pattern relative to the host base, `{name}`
   * matching one path segment and a trailing `*` anything), `"* /agents"` for any method, or `"*"` for everything.
   */
  route: string;
  kind: FaultKind;
  /** Status for `kind: "status"`. @default 500 */
  status?: number;
  /** Extra response headers (e.g. `{ "Retry-After": "2" }` with a 429 or 503). @default {} */
  headers?: Record<string, string>;
  /** Body for `kind: "status"`. @default Gumloop's error envelope for the status */
  body?: unknown;
  /** Delay for `kind: "latency"`, in real milliseconds (not virtual time: it models the network). @default 1000 */
  latencyMs?: number;
  /** How many matching requests it applies to; 1 = one-off. @default unlimited */
  times?: number;
  /** Chance (0..1) of applying to a matching request, drawn from the seeded PRNG. @default 1 */
  probability?: number;
  /** Only requests to this face of the emulator. @default any */
  host?: HostKind;
  /**
   * Before the handler runs (no side effects), or after (the handler's effects happen, its answer is spoiled), or
   * inside an open event stream (session streams; kinds `drop`, `hang`, `malformed`, `truncated` only). "after"
   * applies to every reply the core writes: on a live event stream, `status`, `drop`, `hang` and `latency` act
   * before its headers, `malformed` and `truncated` as in phase "stream" with `afterEvents: 0`. @default "before"
   */
  phase?: "before" | "after" | "stream";
  /** Phase "stream": how many events are sent before the fault strikes (keep-alives do not count). @default 1 */
  afterEvents?: number;
}

/** A registered fault, as {@link FaultController.list} reports it. */
export interface FaultInfo extends FaultSpec {
  readonly id: string;
  /** Applications left; null = unlimited. */
  readonly remaining: number | null;
  /** How many requests it has been applied to. */
  readonly hits: number;
}

interface Entry {
  id: string;
  spec: FaultSpec;
  method: string;
  pattern: RegExp;
  remaining: number | null;
  hits: number;
}

/** What applies to one request. */
export interface FaultMatch {
  /** Summed delay of matching latency faults (real ms). */
  latencyMs: number;
  /** The first matching non-latency fault, if any. */
  fault: FaultSpec | null;
}

const KINDS: readonly FaultKind[] = ["status", "latency", "hang", "malformed", "truncated", "drop"];

/** What can happen to a stream once it is open. */
const STREAM_KINDS: readonly FaultKind[] = ["drop", "hang", "malformed", "truncated"];

/** Adds, removes and matches faults. Reachable as `emulator.faults`. */
export class FaultController {
  readonly #entries: Entry[] = [];
  readonly #random: Random;
  #next = 1;

  constructor(seed: string | number) {
    this.#random = createRandom(seed, "faults");
  }

  /** Registers a fault and returns its id. Throws a TypeError on an invalid spec. */
  add(spec: FaultSpec): string {
    validate(spec);
    const { method, pattern } = compileRoute(spec.route);
    const id = `fault_${this.#next++}`;
    this.#entries.push({ id, spec: { ...spec }, method, pattern, remaining: spec.times ?? null, hits: 0 });
    return id;
  }

  /** Removes one fault; false if there was none with that id. */
  remove(id: string): boolean {
    const i = this.#entries.findIndex((entry) => entry.id === id);
    if (i < 0) return false;
    this.#entries.splice(i, 1);
    return true;
  }

  /** Removes every fault; returns how many there were. */
  clear(): number {
    const n = this.#entries.length;
    this.#entries.length = 0;
    return n;
  }

  /** The registered faults, oldest first. */
  list(): FaultInfo[] {
    return this.#entries.map((e) => ({ ...e.spec, id: e.id, remaining: e.remaining, hits: e.hits }));
  }

  /** Finds what applies to a request in `phase`, consuming `times` and rolling `probability`. */
  match(method: string, path: string, host: HostKind, phase: "before" | "after" | "stream"): FaultMatch {
    const result: FaultMatch = { latencyMs: 0, fault: null };
    for (const entry of [...this.#entries]) {
      const { spec } = entry;
      if ((spec.phase ?? "before") !== phase) continue;
      if (spec.host && spec.host !== host) continue;
      if (entry.method !== "*" && entry.method !== method) continue;
      if (!entry.pattern.test(path)) continue;
      if (spec.kind !== "latency" && result.fault) continue;
      if (spec.probability !== undefined && this.#random.next() >= spec.probability) continue;
      entry.hits++;
      if (entry.remaining !== null && --entry.remaining <= 0) this.remove(entry.id);
      if (spec.kind === "latency") result.latencyMs += spec.latencyMs ?? 1000;
      else result.fault = spec;
    }
    return result;
  }
}

function validate(spec: FaultSpec): void {
  if (!spec || typeof spec.route !== "string" || !spec.route.trim())
    throw new TypeError("fault: route is required");
  if (!KINDS.includes(spec.kind)) throw new TypeError(`fault: kind must be one of ${KINDS.join(", ")}`);
  if (
    spec.status !== undefined &&
    !(Number.isInteger(spec.status) && spec.status >= 200 && spec.status <= 599)
  ) {
    // 1xx are interim responses: Node cannot send one as the final answer and the client would hang or crash.
    throw new TypeError("fault: status must be an integer from 200 to 599");
  }
  if (spec.times !== undefined && !(Number.isInteger(spec.times) && spec.times >= 1)) {
    throw new TypeError("fault: times must be an integer >= 1");
  }
  if (spec.probability !== undefined && !(spec.probability >= 0 && spec.probability <= 1)) {
    throw new TypeError("fault: probability must be between 0 and 1");
  }
  if (spec.latencyMs !== undefined && !(spec.latencyMs >= 0))
    throw new TypeError("fault: latencyMs must be >= 0");
  if (spec.phase !== undefined && !["before", "after", "stream"].includes(spec.phase)) {
    throw new TypeError('fault: phase must be "before", "after" or "stream"');
  }
  if (spec.phase === "stream" && !STREAM_KINDS.includes(spec.kind)) {
    throw new TypeError(`fault: phase "stream" takes kind ${STREAM_KINDS.join(", ")}`);
  }
  if (spec.afterEvents !== undefined && !(Number.isInteger(spec.afterEvents) && spec.afterEvents >= 0)) {
    throw new TypeError("fault: afterEvents must be an integer >= 0");
  }
}

/** Parses `"GET /sessions/{id}"` / `"*"` into a method and an anchored path regex. */
function compileRoute(route: string): { method: string; pattern: RegExp } {
  const trimmed = route.trim();
  if (trimmed === "*") return { method: "*", pattern: /^/ };
  const space = trimmed.indexOf(" ");
  const method = space < 0 ? "*" : trimmed.slice(0, space).toUpperCase();
  let path = (space < 0 ? trimmed : trimmed.slice(space + 1)).trim();
  if (path.length > 1) path = path.replace(/\/+$/, "");
  if (path === "*") return { method, pattern: /^/ };
  const source = path
    .split(/(\{[^}/]+\}|:[A-Za-z_][A-Za-z0-9_]*|\*$)/)
    .map((piece) => {
      if (piece === "*") return ".*";
      if (/^\{[^}/]+\}$/.test(piece) || /^:[A-Za-z_]/.test(piece)) return "[^/]+";
      return piece.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("");
  return { method, pattern: new RegExp(`^${source}/?$`) };
}

/** Default error codes for injected statuses (inference: what a gateway in front of Gumloop would say). */
function faultCode(status: number): string {
  const codes: Record<number, string> = {
    429: "rate_limit_exceeded",
    500: "internal_error",
    502: "bad_gateway",
    503: "service_unavailable",
    504: "gateway_timeout",
  };
  return codes[status] ?? (status >= 500 ? "internal_error" : "injected_error");
}

/**
 * Answers (or refuses to answer) with a fault. `realBody` is the handler's serialised answer in phase "after",
 * so malformed/truncated bodies are cut from real output. Returns "hang" when nothing will be sent.
 */
export function sendFault(
  res: ServerResponse,
  fault: FaultSpec,
  realBody: Buffer | null = null,
  real: { status: number; contentType: string } | null = null,
): "sent" | "hang" | "dropped" {
  // malformed/truncated spoil the body, not the status line: in phase "after" they keep the handler's status and
  // content type (a spoiled 202 or 404 is still a 202 or 404); before the handler there is none, so 200 JSON.
  const status = real?.status ?? 200;
  const contentType = real?.contentType ?? "application/json";
  switch (fault.kind) {
    case "status": {
      const status = fault.status ?? 500;
      const body =
        fault.body !== undefined
          ? fault.body
          : errorEnvelope(status, faultCode(status), `Injected fault: HTTP ${status}`, null, {
              injected: true,
            });
      const bytes = Buffer.from(JSON.stringify(body));
      res.writeHead(status, {
        ...fault.headers,
        "content-type": "application/json",
        "content-length": String(bytes.length),
      });
      res.end(bytes);
      return "sent";
    }
    case "hang":
      return "hang";
    case "drop":
      res.socket?.destroy();
      return "dropped";
    case "malformed": {
      const bytes = realBody
        ? realBody.subarray(0, Math.max(1, Math.floor(realBody.length / 2)))
        : Buffer.from('{"session": {');
      res.writeHead(status, {
        ...fault.headers,
        "content-type": contentType,
        "content-length": String(bytes.length),
      });
      res.end(bytes);
      return "sent";
    }
    case "truncated": {
      const full =
        realBody ??
        Buffer.from('{"session": {"id": "sess_truncated", "state": "processing", "messages": []}}');
      const part = full.subarray(0, Math.max(1, Math.floor(full.length / 2)));
      res.writeHead(status, {
        ...fault.headers,
        "content-type": contentType,
        "content-length": String(full.length),
      });
      // Send the first half, then cut the connection: the client sees a short body for the declared length.
      res.write(part, () => res.socket?.destroy());
      return "dropped";
    }
    case "latency":
      return "sent";
  }
}
