/** Command-line parsing for `gumloop-mcp`: the commands, their flags, and the filter flags they share. */
import { parseArgs } from "node:util";
import type { MethodClass } from "../tools/types.js";
import type { StoredFilter } from "./store.js";

/** A command line that cannot be run; the message says why. */
export class UsageError extends Error {}

/** `gumloop-mcp --help`. */
export const HELP = `gumloop-mcp: the Gumloop API as an MCP server.

  gumloop-mcp stdio [filter flags] [--pin-identity]
      Serve over stdio (Claude Desktop, Cursor). Credentials from GUMLOOP_API_KEY, GUMLOOP_USER_ID,
      GUMLOOP_TEAM_ID, GUMLOOP_ACCESS_TOKEN, GUMLOOP_BASE_URL, GUMLOOP_STREAM_BASE_URL.

  gumloop-mcp serve --port <n> --store <file> [--host <h>] [--json] [--api-token <t>]
      Serve every server in the store over Streamable HTTP at /mcp/<token>. --json prints one line
      {"url": ...} once listening. The API token (or GUMLOOP_MCP_API_TOKEN) is the second factor of servers
      created with --require-api-token-auth. --host defaults to 127.0.0.1.

  gumloop-mcp servers create --store <file> --name <s> [filter flags] [--expires-at <ISO>]
                             [--require-api-token-auth] [--pin-identity] [--json]
      Prints the new server's id, path and token. The token is shown only this once.
  gumloop-mcp servers list --store <file> [--json]
  gumloop-mcp servers update <id> --store <file> [--name <s>] [filter flags] [--expires-at <ISO>|none]
                             [--require-api-token-auth | --no-api-token-auth]
                             [--pin-identity | --no-pin-identity] [--rotate-token] [--json]
  gumloop-mcp servers delete <id> --store <file>

Filter flags (every one given must hold):
  --methods read,write,custom   Truto's method classes
  --tags sessions,artifacts     area tags (any of them)
  --tools name,name             exact tool names (job tools too: run_gumloop_agent_session, ...)
  --read-only                   only tools that change nothing
  --tool-exposure all|discovery discovery: only search_tools, get_tool_schema, call_tool

  --pin-identity                user_id, team_id and project_id come only from the server's Gumloop
                                credentials: they leave every tool's schema, so no model can choose them
`;

/** What a command line asks for. */
export interface CliCommand {
  readonly command: "help" | "stdio" | "serve" | "create" | "list" | "update" | "delete";
  readonly id?: string;
  readonly store?: string;
  readonly name?: string;
  readonly filter: StoredFilter;
  /** Whether any filter flag was given (update changes the filter only then). */
  readonly filterGiven: boolean;
  readonly toolExposure?: "all" | "discovery";
  readonly expiresAt?: string | null;
  readonly requireApiTokenAuth?: boolean;
  /** Identity fields only from the server's credentials (undefined: unchanged on update, off on create). */
  readonly pinIdentity?: boolean;
  readonly rotateToken: boolean;
  readonly json: boolean;
  readonly port?: number;
  readonly host: string;
  readonly apiToken?: string;
}

const list = (values: string[] | undefined) =>
  values
    ?.flatMap((value) => value.split(","))
    .map((value) => value.trim())
    .filter(Boolean);

/** Parses `argv` (without node and the script). */
export function parseCliArgs(argv: readonly string[]): CliCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        help: { type: "boolean", short: "h" },
        store: { type: "string" },
        name: { type: "string" },
        methods: { type: "string", multiple: true },
        tags: { type: "string", multiple: true },
        tools: { type: "string", multiple: true },
        "read-only": { type: "boolean" },
        "tool-exposure": { type: "string" },
        "expires-at": { type: "string" },
        "require-api-token-auth": { type: "boolean" },
        "no-api-token-auth": { type: "boolean" },
        "pin-identity": { type: "boolean" },
        "no-pin-identity": { type: "boolean" },
        "rotate-token": { type: "boolean" },
        json: { type: "boolean" },
        port: { type: "string" },
        host: { type: "string" },
        "api-token": { type: "string" },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const [first, second, third, ...rest] = positionals;
  const methods = list(values.methods) as MethodClass[] | undefined;
  const tags = list(values.tags);
  const names = list(values.tools);
  const filter: StoredFilter = {
    ...(methods?.length ? { methods } : {}),
    ...(tags?.length ? { tags } : {}),
    ...(names?.length ? { names } : {}),
    ...(values["read-only"] ? { readOnly: true } : {}),
  };
  const exposure = values["tool-exposure"];
  if (exposure !== undefined && exposure !== "all" && exposure !== "discovery")
    throw new UsageError(`--tool-exposure must be all or discovery (got ${exposure})`);
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535))
    throw new UsageError(`--port must be a port number (got ${values.port})`);
  if (values["require-api-token-auth"] && values["no-api-token-auth"])
    throw new UsageError("--require-api-token-auth and --no-api-token-auth contradict each other");
  if (values["pin-identity"] && values["no-pin-identity"])
    throw new UsageError("--pin-identity and --no-pin-identity contradict each other");

  let command: CliCommand["command"];
  let id: string | undefined;
  if (values.help || !first) command = "help";
  else if (first === "stdio" || first === "serve") command = first;
  else if (first === "servers" && ["create", "list", "update", "delete"].includes(second ?? "")) {
    command = second as CliCommand["command"];
    id = third;
    if ((command === "update" || command === "delete") && !id)
      throw new UsageError(`servers ${command} needs a server id`);
    if ((command === "create" || command === "list") && third)
      throw new UsageError(`unexpected argument ${third}`);
  } else throw new UsageError(`unknown command ${[first, second].filter(Boolean).join(" ")}`);
  if (rest.length) throw new UsageError(`unexpected argument ${rest[0]}`);
  if (command !== "help" && command !== "stdio" && !values.store)
    throw new UsageError("--store <file> is required");
  if (command === "serve" && port === undefined) throw new UsageError("--port <n> is required");
  if (command === "create" && !values.name) throw new UsageError("--name is required");

  const expires = values["expires-at"];
  return {
    command,
    ...(id ? { id } : {}),
    ...(values.store ? { store: values.store } : {}),
    ...(values.name !== undefined ? { name: values.name } : {}),
    filter,
    filterGiven: Object.keys(filter).length > 0,
    ...(exposure ? { toolExposure: exposure } : {}),
    ...(expires !== undefined ? { expiresAt: expires === "none" ? null : expires } : {}),
    ...(values["require-api-token-auth"] ? { requireApiTokenAuth: true } : {}),
    ...(values["no-api-token-auth"] ? { requireApiTokenAuth: false } : {}),
    ...(values["pin-identity"] ? { pinIdentity: true } : {}),
    ...(values["no-pin-identity"] ? { pinIdentity: false } : {}),
    rotateToken: Boolean(values["rotate-token"]),
    json: Boolean(values.json),
    ...(port !== undefined ? { port } : {}),
    host: values.host ?? "127.0.0.1",
    ...(values["api-token"] ? { apiToken: values["api-token"] } : {}),
  };
}
