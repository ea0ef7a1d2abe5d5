/** `startEmulator()`: wires the core services, seeds the areas, and listens. */
import { createHash } from "node:crypto";
import type { Server } from "node:http";
import type { AreaEnv, EmulatorArea, EmulatorUrls } from "./area.js";
import { AREAS } from "./areas/index.js";
import type { AgentsSnapshot } from "./areas/agents/routes.js";
import type { ArtifactsSnapshot } from "./areas/artifacts/routes.js";
import type { SessionsSnapshot } from "./areas/sessions/routes.js";
import { RealClock, type EmulatorClock } from "./world/clock.js";
import { FaultController } from "./server/faults.js";
import { attachEnv } from "./internals.js";
import { seedIdentity, type UserCredentials } from "./world/identity.js";
import { resolveOptions, type EmulatorOptions, type Plan } from "./options.js";
import { IdGenerator } from "./world/prng.js";
import { RequestLog, type RequestLogEntry } from "./server/requestLog.js";
import { Scheduler, type PoolStats } from "./world/scheduler.js";
import { createEmulatorServer, listen, PREFIXES } from "./server/server.js";
import { UrlSigner } from "./server/signing.js";
import { Store } from "./world/store.js";

/** Connection options for a client (structurally a `GumloopClientOptions`; the emulator does not import the client). */
export interface EmulatorClientOptions {
  readonly apiKey: string;
  readonly userId: string;
  readonly baseUrl: string;
  readonly streamBaseUrl: string;
  /** Empty, so no GUMLOOP_* variable of the environment overrides these. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly now?: () => number;
}

/** What `inspect()` returns: core counts plus one entry per area, keyed by area name. */
export interface EmulatorSnapshot {
  /** Clock time of the snapshot (jobs are settled to it first). */
  time: number;
  plan: Plan;
  concurrency: { agents: PoolStats; flows: PoolStats };
  /** Entries in the request log. */
  requests: number;
  /** Registered faults. */
  faults: number;
  agents: AgentsSnapshot;
  sessions: SessionsSnapshot;
  artifacts: ArtifactsSnapshot;
  [area: string]: unknown;
}

/** A running emulator. */
export interface Emulator {
  /** REST base, `http://127.0.0.1:<port>/api/v1`. */
  readonly url: string;
  /** Streaming base standing in for `https://ws.gumloop.com/api/v1`: `http://127.0.0.1:<port>/ws/api/v1`. */
  readonly streamUrl: string;
  /** `http://127.0.0.1:<port>`. */
  readonly origin: string;
  /** The bound TCP port. */
  readonly port: number;
  /** Personal API key of the default user (send with `x-auth-key: userId`). */
  readonly apiKey: string;
  /** Id of the default user (the `x-auth-key` value for `apiKey`). */
  readonly userId: string;
  /** The default user's team; agents created without `team_id` land here. */
  readonly teamId: string;
  /** A second team in the default user's organization (seeded as "Sales"), for team-scope tests. */
  readonly secondTeamId: string;
  /** A team API key for `teamId`. */
  readonly teamApiKey: string;
  /** OAuth access token of the default user (Bearer only). */
  readonly oauthToken: string;
  /** A second user in another organization, for 403 tests. */
  readonly otherUser: UserCredentials;
  /** The clock in use. */
  readonly clock: EmulatorClock;
  /** The request log, oldest first. */
  readonly requests: readonly RequestLogEntry[];
  /** Empties the request log. */
  clearRequests(): void;
  /** Fault injection. */
  readonly faults: FaultController;
  /** `host:port` that serves signed URLs. */
  readonly host: string;
  /** Hosts that serve signed URLs (for a client's download allow-list). */
  readonly storageHosts: readonly string[];
  /** Settles due jobs and returns counts and snapshots for assertions. */
  inspect(): EmulatorSnapshot;
  /**
   * Options that point a client at this emulator, as the default user: `new GumloopClient(emulator.clientOptions())`.
   * With a virtual clock they also carry its `sleep` and `now`, so the client (and graphs built on it) wait on it.
   */
  clientOptions(): EmulatorClientOptions;
  /** Closes every socket (hung requests included); resolves when the server is closed. */
  close(): Promise<void>;
}

function formatHost(address: string): string {
  return address.includes(":") ? `[${address}]` : address;
}

/**
 * Starts a Gumloop emulator and resolves once it listens.
 *
 * @example
 * const emulator = await startEmulator({ port: 0, clock: new VirtualClock() });
 * const res = await fetch(`${emulator.url}/agents`, {
 *   headers: { authorization: `Bearer ${emulator.apiKey}`, "x-auth-key": emulator.userId },
 * });
 * await emulator.close();
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const resolved = resolveOptions(options);
  const clock = options.clock ?? new RealClock();
  const store = new Store();
  const ids = new IdGenerator(resolved.seed);
  const scheduler = new Scheduler(resolved.slots, resolved.overflow);
  const secret = createHash("sha256").update(`gumloop-emulator-signing:${resolved.seed}`).digest("hex");
  const signer = new UrlSigner(secret, clock, resolved.signedUrlTtlMs);
  const faults = new FaultController(resolved.seed);
  const log = new RequestLog();
  const identity = seedIdentity(store, resolved);
  const urls: { -readonly [K in keyof EmulatorUrls]: string } = { api: "", stream: "", origin: "" };
  const env: AreaEnv = {
    store,
    clock,
    scheduler,
    signer,
    ids,
    options: resolved,
    identity,
    urls,
    hooks: {},
    duration: (kind, fallback) => resolved.durations[kind] ?? fallback ?? resolved.durations.session ?? 3000,
  };
  const areas: readonly EmulatorArea[] = AREAS;
  for (const area of areas) area.seed?.(env);

  const inspect = (): EmulatorSnapshot => {
    scheduler.settle(clock.now());
    const snapshot: Record<string, unknown> = {
      time: clock.now(),
      plan: resolved.plan,
      concurrency: { agents: scheduler.stats("agents"), flows: scheduler.stats("flows") },
      requests: log.entries.length,
      faults: faults.list().length,
    };
    for (const area of areas) if (area.inspect) snapshot[area.name] = area.inspect(env);
    return snapshot as EmulatorSnapshot;
  };

  const { server } = createEmulatorServer({
    options: resolved,
    clock,
    store,
    scheduler,
    signer,
    ids,
    faults,
    log,
    env,
    areas,
    inspect,
  });
  const address = await listen(server, resolved.port, resolved.host);
  const hostPort = `${formatHost(address.address)}:${address.port}`;
  urls.origin = `http://${hostPort}`;
  urls.api = `${urls.origin}${PREFIXES.api}`;
  urls.stream = `${urls.origin}${PREFIXES.stream}`;
  signer.setOrigin(urls.origin);

  let closing: Promise<void> | null = null;
  const emulator: Emulator = {
    url: urls.api,
    streamUrl: urls.stream,
    origin: urls.origin,
    port: address.port,
    apiKey: identity.apiKey,
    userId: identity.userId,
    teamId: identity.teamId,
    secondTeamId: identity.secondTeamId,
    teamApiKey: identity.teamApiKey,
    oauthToken: identity.oauthToken,
    otherUser: {
      apiKey: identity.otherUser.apiKey,
      userId: identity.otherUser.userId,
      teamId: identity.otherUser.teamId,
    },
    clock,
    get requests() {
      return log.entries;
    },
    clearRequests: () => log.clear(),
    faults,
    host: hostPort,
    storageHosts: [hostPort],
    inspect,
    clientOptions: () => ({
      apiKey: identity.apiKey,
      userId: identity.userId,
      baseUrl: urls.api,
      streamBaseUrl: urls.stream,
      env: {},
      ...(clock.virtual ? { sleep: clock.sleep, now: clock.now } : {}),
    }),
    close: () => (closing ??= closeServer(server)),
  };
  return attachEnv(emulator, env);
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    // Hung and keep-alive connections would hold close() open forever.
    server.closeAllConnections();
  });
}
