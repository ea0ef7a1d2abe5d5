/**
 * Shared by the client's stream suites: an emulator with its client, event collection that keeps the error a
 * stream ends with, and a proxy that strips Server-Sent Events (it forwards to the emulator's REST host without
 * `stream`, and returns the JSON answer), as a buffering corporate proxy would.
 */
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach } from "vitest";
import { startEmulator, VirtualClock, type Emulator, type EmulatorOptions } from "gumloop-emulator";
import { GumloopClient, type GumloopClientOptions } from "../../src/client/client.js";
import type { SessionEventStream } from "../../src/client/eventStream.js";
import type { SessionStreamEvent } from "../../src/client/sessionEvent.js";

/** An emulator on a virtual clock and a client pointed at it. */
export interface StreamWorld {
  readonly emulator: Emulator;
  readonly clock: VirtualClock;
  readonly client: GumloopClient;
}

/** Starts an emulator (auto-advancing clock unless told) and a client for it; close `emulator` after. */
export async function streamWorld(
  options: Omit<EmulatorOptions, "port" | "clock"> & { autoAdvance?: boolean } = {},
  clientOptions: GumloopClientOptions = {},
): Promise<StreamWorld> {
  const { autoAdvance = true, ...rest } = options;
  const clock = new VirtualClock({ autoAdvance });
  const emulator = await startEmulator({ ...rest, port: 0, clock });
  const client = new GumloopClient({ ...emulator.clientOptions(), ...clientOptions });
  return { emulator, clock, client };
}

/**
 * For a suite: `world()` starts a {@link streamWorld} that is closed after the test, and `defer()` adds other
 * clean-ups (a proxy) run then too.
 */
export function worldsPerTest(): {
  world: typeof streamWorld;
  defer(cleanup: () => Promise<void>): void;
} {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return {
    world: async (...args) => {
      const started = await streamWorld(...args);
      cleanups.push(() => started.emulator.close());
      return started;
    },
    defer: (cleanup) => cleanups.push(cleanup),
  };
}

/** Everything a stream hands out, and the error it ended with (undefined for a normal end). */
export async function drain(
  stream: SessionEventStream,
): Promise<{ events: SessionStreamEvent[]; error: unknown }> {
  const events: SessionStreamEvent[] = [];
  try {
    for await (const event of stream) events.push(event);
    return { events, error: undefined };
  } catch (error) {
    return { events, error };
  }
}

/** What two runs of the same agent and input have in common: the event types and the text deltas. */
export const shape = (events: readonly SessionStreamEvent[]) =>
  events.map((event) => (event.type === "text-delta" ? `delta:${String(event.raw["delta"])}` : event.type));

/** The text of a stream's deltas. */
export const textOf = (events: readonly SessionStreamEvent[]) =>
  events
    .filter((event) => event.type === "text-delta")
    .map((event) => String(event.raw["delta"]))
    .join("");

/** A proxy that answers stream requests from the emulator's REST host, as JSON. */
export async function sseStrippingProxy(
  emulator: Emulator,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString("utf8")) as object) : undefined;
    const url = new URL(request.url!, "http://proxy.invalid");
    url.searchParams.delete("stream");
    const path = url.pathname.replace(/^\/api\/v1/, "");
    const upstream = await fetch(`${emulator.url}${path}${url.search}`, {
      method: request.method!,
      headers: {
        authorization: request.headers.authorization ?? "",
        "x-auth-key": String(request.headers["x-auth-key"] ?? ""),
        "content-type": "application/json",
      },
      body: body ? JSON.stringify({ ...body, stream: undefined }) : null,
    });
    response.writeHead(upstream.status, { "content-type": "application/json" });
    response.end(await upstream.text());
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/v1`,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, "close").catch(() => undefined);
    },
  };
}
