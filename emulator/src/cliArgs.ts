/** Command-line flags of `gumloop-emulator`, parsed with `node:util` parseArgs into emulator options. */
import { parseArgs } from "node:util";
import type { EmulatorOptions, Plan } from "./options.js";

/** A usage error: the CLI prints it to stderr and exits with code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** What the CLI should do. */
export interface CliConfig {
  help: boolean;
  /** Print one JSON line with the connection details instead of the human-readable banner. */
  json: boolean;
  /** Run on a virtual clock (moved with `POST /__emulator/clock/advance`). */
  virtualClock: boolean;
  options: EmulatorOptions;
}

/** Text of `--help`. */
export const HELP = `Usage: gumloop-emulator [options]

Serves a local emulator of the Gumloop REST API (api.gumloop.com/api/v1 and the
ws.gumloop.com streaming host) until stopped with Ctrl+C or SIGTERM.

Options:
  --port <n>                 TCP port; 0 picks a free one (default 8787)
  --host <address>           Interface to listen on (default 127.0.0.1)
  --plan <free|pro|enterprise>
                             Concurrency slots and overflow: free/pro reject with 429,
                             enterprise queues (default pro)
  --slots <pool=n>           Override slots for a pool: agents=<n> or flows=<n> (repeatable)
  --duration <kind=ms>       Job duration in ms: research, session, flow, export, ...
                             (repeatable; defaults research=8000 session=3000 flow=5000 export=20000)
  --research-seconds <n>     Shortcut for --duration research=<n*1000>
  --latency-ms <n>           Real milliseconds added to every response (default 0)
  --rate-limit <n>/<seconds> Request-rate limit, e.g. 100/60: 429 with Retry-After and
                             RateLimit-* headers when exceeded (default: none)
  --concurrency-retry-after  Add Retry-After to concurrency-limit 429s (default off)
  --signed-url-ttl-ms <n>    Lifetime of signed download URLs (default 900000)
  --seed <value>             Seed for ids and probabilistic faults (default fixed)
  --virtual-clock            Run on a virtual clock; advance it with
                             POST /__emulator/clock/advance {"ms": n} (turns on --admin:
                             without it, nothing could move the clock)
  --admin                    Serve /__emulator/* (faults, request log, clock, inspect)
  --api-key <key>            Personal API key of the default user
  --user-id <id>             Id of the default user
  --team-id <id>             Id of the default user's team
  --json                     Print one JSON line {"url","streamUrl","apiKey","userId","teamId"}
                             on stdout once listening, and nothing else on stdout
  -h, --help                 Show this help

Exit codes: 0 on SIGTERM/SIGINT, 1 if the server cannot start, 2 on bad flags.
`;

function integer(value: string, flag: string, min = 0): number {
  if (!/^\d+$/.test(value) || Number(value) < min)
    throw new UsageError(`${flag} must be an integer >= ${min}, got "${value}"`);
  return Number(value);
}

function keyValue(value: string, flag: string): [string, number] {
  const match = /^([A-Za-z_][\w-]*)=(\d+)$/.exec(value);
  if (!match) throw new UsageError(`${flag} expects <name>=<integer>, got "${value}"`);
  return [match[1]!, Number(match[2])];
}

/** Parses argv (without the node and script paths). Throws {@link UsageError} on bad flags or values. */
export function parseCliArgs(argv: readonly string[]): CliConfig {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: "string" },
        host: { type: "string" },
        plan: { type: "string" },
        slots: { type: "string", multiple: true },
        duration: { type: "string", multiple: true },
        "research-seconds": { type: "string" },
        "latency-ms": { type: "string" },
        "rate-limit": { type: "string" },
        "concurrency-retry-after": { type: "boolean" },
        "signed-url-ttl-ms": { type: "string" },
        seed: { type: "string" },
        "virtual-clock": { type: "boolean" },
        admin: { type: "boolean" },
        "api-key": { type: "string" },
        "user-id": { type: "string" },
        "team-id": { type: "string" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }

  const options: EmulatorOptions = {
    port: values.port === undefined ? 8787 : integer(values.port, "--port"),
  };
  if (options.port! > 65535) throw new UsageError("--port must be at most 65535");
  if (values.host !== undefined) options.host = values.host;
  if (values.plan !== undefined) {
    if (!["free", "pro", "enterprise"].includes(values.plan)) {
      throw new UsageError(`--plan must be free, pro or enterprise, got "${values.plan}"`);
    }
    options.plan = values.plan as Plan;
  }
  for (const entry of values.slots ?? []) {
    const [pool, n] = keyValue(entry, "--slots");
    if (pool !== "agents" && pool !== "flows")
      throw new UsageError(`--slots pool must be agents or flows, got "${pool}"`);
    options.slots = { ...options.slots, [pool]: n };
  }
  const durations: Record<string, number> = {};
  for (const entry of values.duration ?? []) {
    const [kind, ms] = keyValue(entry, "--duration");
    durations[kind] = ms;
  }
  if (values["research-seconds"] !== undefined) {
    durations.research = integer(values["research-seconds"], "--research-seconds") * 1000;
  }
  if (Object.keys(durations).length) options.durations = durations;
  if (values["latency-ms"] !== undefined) options.latencyMs = integer(values["latency-ms"], "--latency-ms");
  if (values["rate-limit"] !== undefined) {
    const match = /^(\d+)\/(\d+)$/.exec(values["rate-limit"]);
    if (!match || Number(match[1]) < 1 || Number(match[2]) < 1) {
      throw new UsageError(
        `--rate-limit expects <requests>/<seconds>, e.g. 100/60, got "${values["rate-limit"]}"`,
      );
    }
    options.rateLimit = { limit: Number(match[1]), windowMs: Number(match[2]) * 1000 };
  }
  if (values["concurrency-retry-after"]) options.concurrencyRetryAfter = true;
  if (values["signed-url-ttl-ms"] !== undefined) {
    options.signedUrlTtlMs = integer(values["signed-url-ttl-ms"], "--signed-url-ttl-ms", 1);
  }
  if (values.seed !== undefined) options.seed = values.seed;
  // A virtual clock only moves through the admin routes: without them every job would wait forever.
  if (values.admin || values["virtual-clock"]) options.admin = true;
  if (values["api-key"] !== undefined) options.apiKey = values["api-key"];
  if (values["user-id"] !== undefined) options.userId = values["user-id"];
  if (values["team-id"] !== undefined) options.teamId = values["team-id"];
  return {
    help: values.help ?? false,
    json: values.json ?? false,
    virtualClock: values["virtual-clock"] ?? false,
    options,
  };
}
