#!/usr/bin/env node
/**
 * `gumloop-mcp`: the Gumloop MCP server over stdio or Streamable HTTP, and the admin commands for the servers that
 * HTTP serves. In stdio mode stdout is the protocol channel: everything else goes to stderr.
 */
import { createServer } from "node:http";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { GumloopClient } from "../client/client.js";
import { GumloopError } from "../client/errors.js";
import { HELP, parseCliArgs, UsageError, type CliCommand } from "./cliArgs.js";
import { createGumloopMcpHttpHandler } from "./http.js";
import { GumloopMcpJobs } from "./jobs.js";
import { createGumloopMcpServer } from "./server.js";
import { McpServerStore, type ServerInfo } from "./store.js";

const out = (text: string) => process.stdout.write(`${text}\n`);
const err = (text: string) => process.stderr.write(`${text}\n`);

function describe(server: ServerInfo): string {
  const filter = Object.entries(server.filter)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join(",") : String(value)}`)
    .join(" ");
  return (
    `${server.id}  ${server.name}  exposure=${server.toolExposure}  ${filter || "all tools"}` +
    `${server.expiresAt ? `  expires ${server.expiresAt}` : ""}${server.requireApiTokenAuth ? "  api-token-auth" : ""}` +
    `${server.pinIdentity ? "  identity-pinned" : ""}`
  );
}

async function stdio(command: CliCommand): Promise<void> {
  // stdout carries the protocol: whatever a library logs goes to stderr instead of corrupting it.
  console.log = console.info = console.debug = console.warn = console.error;
  const client = new GumloopClient();
  const jobs = new GumloopMcpJobs(client);
  const server = createGumloopMcpServer({
    client,
    jobs,
    filter: command.filter,
    toolExposure: command.toolExposure ?? "all",
    pinIdentity: command.pinIdentity ?? false,
    serverId: "stdio",
  });
  const transport = new StdioServerTransport();
  let ending = false;
  const end = async () => {
    if (ending) return;
    ending = true;
    // The client is gone and this process ends with it: no deadline would fire, so running jobs are cancelled.
    await Promise.race([jobs.cancelAll(), new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
    jobs.close();
    process.exit(0);
  };
  transport.onclose = () => void end();
  process.stdin.on("end", () => void end());
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => void end());
  await server.connect(transport);
  err("gumloop-mcp: serving over stdio");
}

async function serve(command: CliCommand): Promise<void> {
  const handler = createGumloopMcpHttpHandler({
    store: command.store!,
    ...(command.apiToken ? { apiToken: command.apiToken } : {}),
    log: command.json ? undefined : err,
  });
  const http = createServer((request, response) => void handler(request, response));
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(command.port, command.host, resolve);
  });
  const address = http.address();
  const port = typeof address === "object" && address ? address.port : command.port;
  const host = command.host.includes(":") ? `[${command.host}]` : command.host;
  const url = `http://${host}:${port}`;
  if (command.json) out(JSON.stringify({ url }));
  else err(`gumloop-mcp: serving ${url}/mcp/<token> (store ${command.store})`);
  const stop = () => {
    void handler.close().finally(() => http.close(() => process.exit(0)));
    setTimeout(() => process.exit(0), 5_000).unref();
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

function admin(command: CliCommand): void {
  const store = new McpServerStore(command.store!);
  const settings = {
    ...(command.name !== undefined ? { name: command.name } : {}),
    ...(command.filterGiven ? { filter: command.filter } : {}),
    ...(command.toolExposure ? { toolExposure: command.toolExposure } : {}),
    ...(command.expiresAt !== undefined ? { expiresAt: command.expiresAt } : {}),
    ...(command.requireApiTokenAuth !== undefined
      ? { requireApiTokenAuth: command.requireApiTokenAuth }
      : {}),
    ...(command.pinIdentity !== undefined ? { pinIdentity: command.pinIdentity } : {}),
  };
  if (command.command === "create") {
    const { server, token } = store.create({ ...settings, name: command.name! });
    const path = `/mcp/${token}`;
    if (command.json) out(JSON.stringify({ id: server.id, token, path }));
    else
      out(
        `Created ${describe(server)}\n\n  path:  ${path}\n\nThe token is shown only this once; keep it secret.`,
      );
  } else if (command.command === "list") {
    const servers = store.list();
    if (command.json) out(JSON.stringify(servers));
    else out(servers.length ? servers.map(describe).join("\n") : "No servers.");
  } else if (command.command === "update") {
    const { server, token } = store.update(command.id!, { ...settings, rotateToken: command.rotateToken });
    if (command.json)
      out(JSON.stringify({ id: server.id, ...(token ? { token, path: `/mcp/${token}` } : {}) }));
    else
      out(
        `Updated ${describe(server)}${token ? `\n\n  path:  /mcp/${token}\n\nThe old token no longer works.` : ""}`,
      );
  } else {
    store.delete(command.id!);
    if (command.json) out(JSON.stringify({ id: command.id, deleted: true }));
    else out(`Deleted ${command.id}.`);
  }
}

async function main(argv: readonly string[]): Promise<void> {
  let command: CliCommand;
  try {
    command = parseCliArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err(`gumloop-mcp: ${error.message}\nRun gumloop-mcp --help for usage.`);
    process.exit(2);
  }
  if (command.command === "help") {
    // In stdio mode nothing but protocol may reach stdout; help is not stdio mode.
    out(HELP);
    return;
  }
  try {
    if (command.command === "stdio") await stdio(command);
    else if (command.command === "serve") await serve(command);
    else admin(command);
  } catch (error) {
    if (!(error instanceof GumloopError)) throw error;
    err(`gumloop-mcp: ${error.message}`);
    process.exit(1);
  }
}

await main(process.argv.slice(2));
