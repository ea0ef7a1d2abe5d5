/**
 * The contract between the core and an API area (agents, sessions, flows, skills...). An area is one file that
 * exports an {@link EmulatorArea}: optional seed data, its routes, and optional `inspect()` counts. The core owns
 * HTTP, auth, faults, logging, the clock and the job scheduler; areas only read the request and the store.
 */
import type { Principal } from "./server/auth.js";
import type { EmulatorClock } from "./world/clock.js";
import type { Handler } from "./server/context.js";
import type { Identity } from "./world/identity.js";
import type { ResolvedOptions } from "./options.js";
import type { IdGenerator } from "./world/prng.js";
import type { RouteOptions } from "./server/router.js";
import type { Scheduler } from "./world/scheduler.js";
import type { UrlSigner } from "./server/signing.js";
import type { Store } from "./world/store.js";

/** Base URLs, known once the server listens. */
export interface EmulatorUrls {
  /** REST base, e.g. `http://127.0.0.1:8787/api/v1`. */
  readonly api: string;
  /** Streaming base (stands in for `https://ws.gumloop.com/api/v1`). */
  readonly stream: string;
  /** `http://127.0.0.1:8787`. */
  readonly origin: string;
}

/** Cross-area extension points, for checks one area needs from another that may not be loaded. */
export interface AreaHooks {
  /**
   * Returns the ids among `skillIds` that do not exist or that `principal` may not invoke (a team key: only its
   * team's skills). Set by the skills area; when unset, create-agent accepts any skill id.
   */
  invalidSkillIds?: (skillIds: readonly string[], principal: Principal) => string[];
  /**
   * Sorts `skillIds` into those that do not exist (or were deleted) and those `principal` may not invoke (a skill
   * of another team). Set by the skills area; when unset, attaching skills to an agent accepts any id.
   */
  skillAccess?: (skillIds: readonly string[], principal: Principal) => SkillAccess;
}

/** Skill ids an agent cannot be given, by reason. */
export interface SkillAccess {
  /** Unknown or deleted ids (400). */
  readonly missing: string[];
  /** Ids of skills the caller may not invoke (403). */
  readonly forbidden: string[];
}

/** Shared services handed to every area. */
export interface AreaEnv {
  readonly store: Store;
  readonly clock: EmulatorClock;
  readonly scheduler: Scheduler;
  readonly signer: UrlSigner;
  readonly ids: IdGenerator;
  readonly options: ResolvedOptions;
  /** The seeded users, teams and keys. */
  readonly identity: Identity;
  readonly urls: EmulatorUrls;
  readonly hooks: AreaHooks;
  /** Job duration for a kind (`research`, `session`, `flow`, `export`, ...), or `fallback` when unknown. */
  duration(kind: string, fallback?: number): number;
}

/** How an area adds routes. Paths are relative to the host base and use `{name}` placeholders. */
export interface RouteRegistrar {
  get(path: string, handler: Handler, options?: RouteOptions): void;
  post(path: string, handler: Handler, options?: RouteOptions): void;
  put(path: string, handler: Handler, options?: RouteOptions): void;
  patch(path: string, handler: Handler, options?: RouteOptions): void;
  delete(path: string, handler: Handler, options?: RouteOptions): void;
}

/** One API area. */
export interface EmulatorArea {
  /** Short unique name; also the key of its `inspect()` output. */
  readonly name: string;
  /** Adds default seed records (and reads its own keys of `env.options.seedData`). Runs once, in area order. */
  seed?(env: AreaEnv): void;
  /** Registers the area's routes. */
  routes(router: RouteRegistrar, env: AreaEnv): void;
  /** Read-only counts and snapshots for `emulator.inspect()`, under the area's name. Must not mutate state. */
  inspect?(env: AreaEnv): unknown;
}

/** Identity function that gives an area object literal its type. */
export function defineArea<T extends EmulatorArea>(area: T): T {
  return area;
}
