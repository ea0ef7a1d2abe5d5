/** Options of {@link startEmulator} and their defaults. */
import type { EmulatorClock } from "./world/clock.js";
import type { Overflow, PoolName } from "./world/scheduler.js";
import type { SeedData } from "./seedTypes.js";

/** Gumloop plans, which set concurrency slots and what happens past them. */
export type Plan = "free" | "pro" | "enterprise";

/**
 * Concurrent slots per plan, from Gumloop's rate-limit docs: agent interactions Free 5 / Pro 25 / Enterprise 100,
 * flow runs Free 2 / Pro 5 / Enterprise 15.
 */
export const PLAN_SLOTS: Readonly<Record<Plan, Readonly<Record<PoolName, number>>>> = {
  free: { agents: 5, flows: 2 },
  pro: { agents: 25, flows: 5 },
  enterprise: { agents: 100, flows: 15 },
};

/** Past the limit, Enterprise queues and Free/Pro reject (Gumloop docs). */
export const PLAN_OVERFLOW: Readonly<Record<Plan, Overflow>> = {
  free: "reject",
  pro: "reject",
  enterprise: "queue",
};

/**
 * Job durations in clock ms, by kind. Known kinds: `research` (the research agent), `session` (other agents),
 * `flow` (flow runs), `export` (data exports). Areas may read other kinds, with their own defaults.
 */
export interface Durations {
  /** @default 8000 */
  research?: number;
  /** @default 3000 */
  session?: number;
  /** @default 5000 */
  flow?: number;
  /** @default 20000 */
  export?: number;
  [kind: string]: number | undefined;
}

/** The defaults of {@link Durations}. */
export const DEFAULT_DURATIONS: Readonly<Record<string, number>> = {
  research: 8000,
  session: 3000,
  flow: 5000,
  export: 20000,
};

/** A request-rate limit (Gumloop documents none; this simulates a gateway in front of it, e.g. Truto's). */
export interface RateLimitOptions {
  /** Requests allowed per window. */
  limit: number;
  /** Window length in clock ms (windows are aligned to multiples of it). */
  windowMs: number;
}

/** Options of {@link startEmulator}. Every field is optional. */
export interface EmulatorOptions {
  /** TCP port; 0 picks a free one. @default 0 */
  port?: number;
  /** Interface to listen on. @default "127.0.0.1" */
  host?: string;
  /** Clock the emulator runs on; omit for real time. Pass a `VirtualClock` to control time in tests. @default real time */
  clock?: EmulatorClock;
  /** Plan: concurrency slots and overflow behaviour (see {@link PLAN_SLOTS}). @default "pro" */
  plan?: Plan;
  /** Overrides the plan's slot counts. @default the plan's */
  slots?: { agents?: number; flows?: number };
  /** Job durations in clock ms. @default { research: 8000, session: 3000, flow: 5000, export: 20000 } */
  durations?: Durations;
  /** Request-rate limit answered with 429 and IETF RateLimit headers. @default undefined (no limit) */
  rateLimit?: RateLimitOptions;
  /**
   * Add `Retry-After` (whole seconds until the earliest running job ends) to concurrency-limit 429s. Gumloop
   * documents no header there, hence off.
   * @default false
   */
  concurrencyRetryAfter?: boolean;
  /** Real milliseconds added before every response (not virtual time: it models the network). @default 0 */
  latencyMs?: number;
  /**
   * Clock ms between `: keep-alive` comments on a session stream that has nothing else to send (Gumloop's
   * interval is not documented). @default 15000
   */
  streamKeepAliveMs?: number;
  /** Seed for generated ids and probabilistic faults, so runs repeat exactly. @default "gumloop-emulator" */
  seed?: string | number;
  /** Records merged into the default seed (extra agents, artifacts, and keys other areas define). @default {} */
  seedData?: SeedData;
  /** Lifetime of signed download URLs, in clock ms. @default 900000 (15 minutes) */
  signedUrlTtlMs?: number;
  /** Serve the `/__emulator/*` admin routes (faults, request log, clock). @default false */
  admin?: boolean;
  /** The personal API key of the default user. @default a fixed test key */
  apiKey?: string;
  /** The default user's id. @default "user_2b9d71f0" */
  userId?: string;
  /** The default user's team id. @default "team_4f8c92ab" */
  teamId?: string;
}

/** Options with defaults applied. */
export interface ResolvedOptions {
  port: number;
  host: string;
  plan: Plan;
  slots: Record<PoolName, number>;
  overflow: Overflow;
  durations: Readonly<Record<string, number>>;
  rateLimit: RateLimitOptions | null;
  concurrencyRetryAfter: boolean;
  latencyMs: number;
  streamKeepAliveMs: number;
  seed: string | number;
  seedData: SeedData;
  signedUrlTtlMs: number;
  admin: boolean;
  apiKey: string | undefined;
  userId: string | undefined;
  teamId: string | undefined;
}

/** Applies defaults and checks values; throws a TypeError naming the bad option. */
export function resolveOptions(options: EmulatorOptions): ResolvedOptions {
  const plan = options.plan ?? "pro";
  if (!(plan in PLAN_SLOTS)) throw new TypeError(`startEmulator: unknown plan "${String(plan)}"`);
  const slots = { ...PLAN_SLOTS[plan], ...definedOnly(options.slots ?? {}) };
  for (const [pool, n] of Object.entries(slots)) {
    if (!Number.isInteger(n) || n < 0)
      throw new TypeError(`startEmulator: slots.${pool} must be an integer >= 0`);
  }
  const durations = { ...DEFAULT_DURATIONS, ...definedOnly(options.durations ?? {}) };
  for (const [kind, ms] of Object.entries(durations)) {
    if (!(ms >= 0)) throw new TypeError(`startEmulator: durations.${kind} must be >= 0`);
  }
  const streamKeepAliveMs = options.streamKeepAliveMs ?? 15_000;
  if (!(streamKeepAliveMs >= 1 && Number.isFinite(streamKeepAliveMs))) {
    throw new TypeError("startEmulator: streamKeepAliveMs must be a finite number >= 1");
  }
  const rateLimit = options.rateLimit ?? null;
  if (rateLimit && !(rateLimit.limit >= 1 && rateLimit.windowMs >= 1)) {
    throw new TypeError("startEmulator: rateLimit needs limit >= 1 and windowMs >= 1");
  }
  return {
    port: options.port ?? 0,
    host: options.host ?? "127.0.0.1",
    plan,
    slots,
    overflow: PLAN_OVERFLOW[plan],
    durations,
    rateLimit,
    concurrencyRetryAfter: options.concurrencyRetryAfter ?? false,
    latencyMs: Math.max(0, options.latencyMs ?? 0),
    streamKeepAliveMs,
    seed: options.seed ?? "gumloop-emulator",
    seedData: options.seedData ?? {},
    signedUrlTtlMs: options.signedUrlTtlMs ?? 15 * 60 * 1000,
    admin: options.admin ?? false,
    apiKey: options.apiKey,
    userId: options.userId,
    teamId: options.teamId,
  };
}

function definedOnly<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}
