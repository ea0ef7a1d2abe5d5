/**
 * The MCP servers a `gumloop-mcp serve` process serves, kept in one JSON file, as Truto's admin API keeps them: a
 * name, a filter, a tool exposure, an optional expiry and second factor, and the hash of the token (the token
 * itself is printed once, at creation). The file is written atomically (a temporary file, renamed) with owner-only
 * permissions, and read again whenever it changes on disk, so `servers create` in one shell reaches a running
 * `serve` in another.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { GumloopError } from "../client/errors.js";
import type { MethodClass } from "../tools/types.js";
import { validateFilter } from "./catalogue.js";
import { hashToken, newToken, tokenMatches } from "./tokens.js";

/** A server's filter, as stored. */
export interface StoredFilter {
  methods?: MethodClass[];
  tags?: string[];
  names?: string[];
  readOnly?: boolean;
}

/** One configured server. */
export interface StoredServer {
  readonly id: string;
  readonly name: string;
  readonly tokenHash: string;
  readonly filter: StoredFilter;
  readonly toolExposure: "all" | "discovery";
  /** ISO time after which the server answers 401 and is removed; null for never. */
  readonly expiresAt: string | null;
  /** Requests must also carry `Authorization: Bearer <api token>` (the token given to `serve`). */
  readonly requireApiTokenAuth: boolean;
  /**
   * `user_id` / `team_id` / `project_id` only from the server's credentials, out of every schema. Absent in store
   * files written before it existed: off.
   */
  readonly pinIdentity?: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A server as listed: everything but the token hash. */
export type ServerInfo = Omit<StoredServer, "tokenHash">;

/** What `create` and `update` accept. */
export interface ServerSettings {
  name?: string;
  filter?: StoredFilter;
  toolExposure?: "all" | "discovery";
  /** ISO date-time at least 60 s ahead, or null to remove the expiry. */
  expiresAt?: string | null;
  requireApiTokenAuth?: boolean;
  /** Identity fields only from the server's credentials (see {@link StoredServer.pinIdentity}). */
  pinIdentity?: boolean;
}

/** What `authenticate` finds for a token. */
export type Lookup = { readonly server: StoredServer } | { readonly server: null; readonly expired: boolean };

/** Truto's rule: an expiry must be at least this far ahead when set. */
export const MIN_EXPIRY_MS = 60_000;

interface StoreFile {
  version: 1;
  servers: StoredServer[];
}

/** Everything but the hash. */
export function serverInfo(server: StoredServer): ServerInfo {
  const { tokenHash: _hash, ...info } = server;
  return info;
}

/** The store file of configured MCP servers. */
export class McpServerStore {
  readonly path: string;
  readonly #now: () => number;
  #servers: StoredServer[] = [];
  #stamp = "";

  constructor(path: string, options: { now?: () => number } = {}) {
    this.path = path;
    this.#now = options.now ?? Date.now;
  }

  /** Every server (without token hashes), expired ones left out. */
  list(): ServerInfo[] {
    this.#refresh();
    return this.#servers.filter((server) => !this.#expired(server)).map(serverInfo);
  }

  /** One server by id. */
  get(id: string): ServerInfo {
    return serverInfo(this.#find(id));
  }

  /** Creates a server and returns it with its token, which is never available again. */
  create(settings: ServerSettings & { name: string }): { server: ServerInfo; token: string } {
    this.#refresh();
    const token = newToken();
    const time = new Date(this.#now()).toISOString();
    const server: StoredServer = {
      id: `mcps_${randomBytes(8).toString("hex")}`,
      name: checkName(settings.name),
      tokenHash: hashToken(token),
      filter: checkFilter(settings.filter ?? {}),
      toolExposure: checkExposure(settings.toolExposure ?? "all"),
      expiresAt: this.#checkExpiry(settings.expiresAt ?? null),
      requireApiTokenAuth: settings.requireApiTokenAuth ?? false,
      pinIdentity: settings.pinIdentity ?? false,
      createdAt: time,
      updatedAt: time,
    };
    this.#write([...this.#servers, server]);
    return { server: serverInfo(server), token };
  }

  /** Changes a server's settings; `rotateToken` issues a new token (returned once) and revokes the old one. */
  update(
    id: string,
    settings: ServerSettings & { rotateToken?: boolean },
  ): { server: ServerInfo; token?: string } {
    const current = this.#find(id);
    const token = settings.rotateToken ? newToken() : undefined;
    const next: StoredServer = {
      ...current,
      ...(settings.name !== undefined ? { name: checkName(settings.name) } : {}),
      ...(settings.filter !== undefined ? { filter: checkFilter(settings.filter) } : {}),
      ...(settings.toolExposure !== undefined ? { toolExposure: checkExposure(settings.toolExposure) } : {}),
      ...(settings.expiresAt !== undefined ? { expiresAt: this.#checkExpiry(settings.expiresAt) } : {}),
      ...(settings.requireApiTokenAuth !== undefined
        ? { requireApiTokenAuth: settings.requireApiTokenAuth }
        : {}),
      ...(settings.pinIdentity !== undefined ? { pinIdentity: settings.pinIdentity } : {}),
      ...(token ? { tokenHash: hashToken(token) } : {}),
      updatedAt: new Date(this.#now()).toISOString(),
    };
    this.#write(this.#servers.map((server) => (server.id === id ? next : server)));
    return token ? { server: serverInfo(next), token } : { server: serverInfo(next) };
  }

  /** Deletes a server: its token stops working at once. */
  delete(id: string): void {
    this.#find(id);
    this.#write(this.#servers.filter((server) => server.id !== id));
  }

  /**
   * The server a token belongs to. Every stored hash is compared (in constant time), so the time taken does not
   * say which server, if any, came close. An expired server is removed and reported as such.
   */
  authenticate(token: string): Lookup {
    this.#refresh();
    let found: StoredServer | null = null;
    for (const server of this.#servers) if (tokenMatches(token, server.tokenHash)) found = server;
    if (!found) return { server: null, expired: false };
    if (this.#expired(found)) {
      this.#write(this.#servers.filter((server) => server.id !== found!.id));
      return { server: null, expired: true };
    }
    return { server: found };
  }

  /** Removes expired servers; returns their ids. */
  sweepExpired(): string[] {
    this.#refresh();
    const expired = this.#servers.filter((server) => this.#expired(server)).map((server) => server.id);
    if (expired.length) this.#write(this.#servers.filter((server) => !expired.includes(server.id)));
    return expired;
  }

  #expired(server: StoredServer): boolean {
    return server.expiresAt !== null && Date.parse(server.expiresAt) <= this.#now();
  }

  #checkExpiry(value: string | null): string | null {
    if (value === null) return null;
    const time = Date.parse(value);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(time))
      throw new GumloopError(
        `expires_at must be an ISO 8601 date-time such as 2027-01-31T00:00:00Z (got ${value})`,
      );
    if (time < this.#now() + MIN_EXPIRY_MS)
      throw new GumloopError("expires_at must be at least 60 seconds in the future.");
    return new Date(time).toISOString();
  }

  #find(id: string): StoredServer {
    this.#refresh();
    const server = this.#servers.find((candidate) => candidate.id === id);
    if (!server) throw new GumloopError(`No MCP server with id ${id} in ${this.path}.`);
    return server;
  }

  /** Reads the file again if it changed since the last read (size and modification time). */
  #refresh(): void {
    if (!existsSync(this.path)) {
      this.#servers = [];
      this.#stamp = "";
      return;
    }
    const stat = statSync(this.path);
    const stamp = `${stat.size}:${stat.mtimeMs}:${stat.ino}`;
    if (stamp === this.#stamp) return;
    const parsed = JSON.parse(readFileSync(this.path, "utf8")) as StoreFile;
    if (parsed.version !== 1 || !Array.isArray(parsed.servers))
      throw new GumloopError(`${this.path} is not a gumloop-mcp store (version 1).`);
    this.#servers = parsed.servers;
    this.#stamp = stamp;
  }

  /** Writes the whole file atomically, readable by its owner only. */
  #write(servers: StoredServer[]): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    const body: StoreFile = { version: 1, servers };
    writeFileSync(temporary, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600, flag: "wx" });
    chmodSync(temporary, 0o600);
    renameSync(temporary, this.path);
    this.#servers = servers;
    const stat = statSync(this.path);
    this.#stamp = `${stat.size}:${stat.mtimeMs}:${stat.ino}`;
  }
}

function checkName(name: string): string {
  if (typeof name !== "string" || !name.trim() || name.length > 200)
    throw new GumloopError("name is required (at most 200 characters).");
  return name.trim();
}

function checkExposure(value: string): "all" | "discovery" {
  if (value !== "all" && value !== "discovery")
    throw new GumloopError(`tool exposure must be "all" or "discovery" (got ${value})`);
  return value;
}

/** Keeps only the given parts and refuses a filter that names unknown values or matches no tool. */
function checkFilter(filter: StoredFilter): StoredFilter {
  const kept: StoredFilter = {};
  if (filter.methods?.length) kept.methods = [...filter.methods];
  if (filter.tags?.length) kept.tags = [...filter.tags];
  if (filter.names?.length) kept.names = [...filter.names];
  if (filter.readOnly) kept.readOnly = true;
  validateFilter(kept);
  return kept;
}
