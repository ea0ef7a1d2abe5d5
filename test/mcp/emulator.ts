/**
 * The emulator for the MCP tests. A virtual clock drives the emulator, the client and the jobs, so nothing waits in
 * real time.
 */
import { GumloopClient } from "../../src/client/client.js";
import { SEED_AGENTS, SEED_FLOWS, VirtualClock, type Emulator } from "gumloop-emulator";
import { startTestEmulator, type TestEmulatorOptions } from "../helpers/emulator.js";
import type { GumloopMcpJobsOptions } from "../../src/mcp/jobs.js";

export { SEED_AGENTS, SEED_FLOWS, startTestEmulator };
export type { Emulator };

export interface McpHarness {
  readonly emulator: Emulator;
  /** The virtual clock everything runs on (auto-advancing). */
  readonly clock: VirtualClock;
  readonly client: GumloopClient;
  /** Job settings on the same virtual clock, with downloads allowed from the emulator's storage host. */
  readonly jobOptions: GumloopMcpJobsOptions;
  close(): Promise<void>;
}

/** A virtual-clock emulator, a client on it, and job settings for MCP servers built on that client. */
export async function startMcpHarness(options: Omit<TestEmulatorOptions, "clock"> = {}): Promise<McpHarness> {
  const clock = new VirtualClock({ autoAdvance: true });
  const emulator = await startTestEmulator({ ...options, clock });
  return {
    emulator,
    clock,
    client: new GumloopClient(emulator.clientOptions()),
    jobOptions: {
      sleep: clock.sleep,
      now: clock.now,
      random: () => 0.5,
      download: { insecureHosts: [emulator.host] },
    },
    close: () => emulator.close(),
  };
}

/** Requests the emulator answered for one route, e.g. `"POST /agents/{agent_id}/sessions"`. */
export function answered(emulator: Emulator, route: string, statuses: readonly number[] = [200, 201, 202]) {
  const [method, pattern] = route.split(" ");
  return emulator.requests.filter(
    (request) => request.method === method && request.route === pattern && statuses.includes(request.status),
  );
}

/** Environment for a `gumloop-mcp` child process: Gumloop credentials pointing at `emulator`, and PATH. */
export function cliEnvironment(emulator: Emulator): Record<string, string> {
  const options = emulator.clientOptions();
  return {
    PATH: process.env["PATH"] ?? "",
    GUMLOOP_API_KEY: options.apiKey,
    GUMLOOP_USER_ID: options.userId,
    GUMLOOP_BASE_URL: options.baseUrl,
    GUMLOOP_STREAM_BASE_URL: options.streamBaseUrl,
  };
}
