/**
 * A local HTTP server on port 0 that records every request and answers from a script. Client tests use it to
 * see exactly what went over the wire (real fetch, real headers, real abort) without any mocking of our code.
 */
import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo, Socket } from "node:net";

export interface RecordedRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: IncomingMessage["headers"];
  readonly body: Buffer;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  readonly json: unknown;
}

export type Reply =
  | { status: number; headers?: Record<string, string>; body?: string | Uint8Array | object }
  | { hang: true }
  | { drop: true }
  /** Starts a JSON body that promises more than it sends, then closes the connection. */
  | { cutMidBody: true };

export type Responder = (request: RecordedRequest) => Reply | Promise<Reply>;

export interface RecordingServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Connections from clients that are open right now. */
  readonly openConnections: number;
  /** Replies used in order, one per request; when they run out, `fallback` answers. */
  queue(...replies: Reply[]): void;
  fallback: Responder;
  /** Forgets recorded requests and queued replies, and restores the default fallback. */
  reset(): void;
  close(): Promise<void>;
}

export interface RecordingServerOptions {
  /** How long the server keeps an idle keep-alive connection open (Node's default is 5 s). */
  readonly keepAliveMs?: number;
  /** Serve https with this certificate and key (PEM); the URL then names `localhost`, the certificate's host. */
  readonly tls?: { readonly cert: string | Buffer; readonly key: string | Buffer };
}

export async function startRecordingServer(options: RecordingServerOptions = {}): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  const queued: Reply[] = [];
  const sockets = new Set<Socket>();
  const defaultFallback: Responder = () => ({ status: 200, body: { ok: true } });
  const handle = { fallback: defaultFallback };

  const handler = async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    let json: unknown;
    try {
      json = body.length ? JSON.parse(body.toString("utf8")) : undefined;
    } catch {
      json = undefined;
    }
    const recorded: RecordedRequest = {
      method: request.method ?? "GET",
      url: new URL(request.url ?? "/", "http://localhost"),
      headers: request.headers,
      body,
      json,
    };
    requests.push(recorded);
    const reply = queued.length ? queued.shift()! : await handle.fallback(recorded);
    if ("hang" in reply) return;
    if ("drop" in reply) {
      request.socket.destroy();
      return;
    }
    if ("cutMidBody" in reply) {
      response.writeHead(200, { "content-type": "application/json", "content-length": "1000" });
      response.write('{"session": {"id": "s1", "na');
      setTimeout(() => request.socket.destroy(), 20);
      return;
    }
    const headers: Record<string, string> = { ...reply.headers };
    let payload: string | Uint8Array = "";
    if (reply.body instanceof Uint8Array || typeof reply.body === "string") payload = reply.body;
    else if (reply.body !== undefined) {
      payload = JSON.stringify(reply.body);
      headers["content-type"] ??= "application/json";
    }
    response.writeHead(reply.status, headers);
    response.end(payload);
  };
  const server = options.tls ? createHttpsServer(options.tls, handler) : createServer(handler);
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  if (options.keepAliveMs !== undefined) server.keepAliveTimeout = options.keepAliveMs;
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;

  return {
    url: options.tls ? `https://localhost:${port}/api/v1` : `http://127.0.0.1:${port}/api/v1`,
    requests,
    get openConnections() {
      return sockets.size;
    },
    queue: (...replies) => queued.push(...replies),
    get fallback() {
      return handle.fallback;
    },
    set fallback(responder: Responder) {
      handle.fallback = responder;
    },
    reset: () => {
      requests.length = 0;
      queued.length = 0;
      handle.fallback = defaultFallback;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, "close").catch(() => undefined);
    },
  };
}

/** A base URL on a loopback port nobody listens on (connection refused). */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, "close");
  return `http://127.0.0.1:${port}/api/v1`;
}
