/** A virtual-clock emulator plus a client and graph seams that share its clock: nothing waits in real time. */
import { GumloopClient, type GumloopClientOptions } from "../../src/client/client.js";
import { VirtualClock, type Emulator, type EmulatorOptions } from "gumloop-emulator";
import { startTestEmulator } from "../helpers/emulator.js";

export interface Harness {
  readonly emulator: Emulator;
  readonly clock: VirtualClock;
  readonly client: GumloopClient;
  /** Seams for graph params: the same virtual clock, and downloads allowed from the emulator's storage host. */
  readonly seams: {
    sleep: VirtualClock["sleep"];
    now: VirtualClock["now"];
    random: () => number;
  };
  readonly downloads: { insecureHosts: string[] };
  close(): Promise<void>;
}

export async function startHarness(
  options: Omit<EmulatorOptions, "clock"> = {},
  client: GumloopClientOptions = {},
): Promise<Harness> {
  const clock = new VirtualClock({ autoAdvance: true });
  const emulator = await startTestEmulator({ ...options, clock });
  return {
    emulator,
    clock,
    client: new GumloopClient({ ...emulator.clientOptions(), ...client }),
    seams: { sleep: clock.sleep, now: clock.now, random: () => 0.5 },
    downloads: { insecureHosts: [emulator.host] },
    close: () => emulator.close(),
  };
}

/** A small, valid export request (agents, all workspaces) used across the graph tests. */
export const AGENTS_EXPORT = {
  data_type: "agents",
  export_fields: ["agent_id", "agent_name"],
  start_date: "2026-01-01T00:00:00Z",
  end_date: "2026-12-31T00:00:00Z",
  include_all_workspaces: true,
} as const satisfies Record<string, unknown>;

/**
 * Session creates the emulator accepted: 202 on the REST host, or an opened stream (200) on the streaming host.
 * Each is one session started.
 */
export function acceptedCreates(emulator: Emulator): Emulator["requests"][number][] {
  return emulator.requests.filter(
    (request) =>
      request.method === "POST" &&
      request.route === "/agents/{agent_id}/sessions" &&
      (request.host === "stream" ? request.status === 200 : request.status === 202),
  );
}
