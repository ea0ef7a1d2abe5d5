/**
 * The MCP servers the emulator offers (mcp.yml): Gumloop-hosted (`gumcp_server`), Gumstack (`gumstack_server`) and
 * custom (`mcp_server`) servers in each connection state, their tools with JSON Schema inputs, and what each tool
 * returns. Results are pure functions of the arguments, so every run of a test sees the same content.
 */
import { createHash } from "node:crypto";
import type { JsonSchema } from "./schema.js";

/** Server kinds (mcp.yml). */
export type McpServerType = "gumcp_server" | "gumstack_server" | "mcp_server";

/** An MCP content block (only text blocks are produced here). */
export interface McpContent {
  type: "text";
  text: string;
}

/** What running a tool gives: content, or an upstream failure reported per result. */
export type ToolOutcome = { content: McpContent[] } | { failure: { code: string; message: string } };

/** One tool of a server. */
export interface McpToolDef {
  name: string;
  description: string;
  inputSchema: JsonSchema;
  /** Listed, but denied by the workspace's MCP policy: absent from `allowed_tool_call_ids`, calls fail. */
  restricted?: boolean;
  run(args: Record<string, unknown>): ToolOutcome;
}

/** A server of the catalogue. */
export interface McpServerDef {
  id: string;
  name: string;
  type: McpServerType;
  /** Initial `status`: `connected`, `unauthenticated` or `blocked` (overridable per emulator). */
  status: string;
  iconUrl: string | null;
  description: string;
  authUrl: string;
  /** Upstream URL for Gumstack and custom servers; null for Gumloop-hosted ones. */
  mcpUrl: string | null;
  tools: McpToolDef[];
}

/** Ids of the catalogue's servers. */
export const SEED_MCP_SERVERS = {
  /** Slack, connected: slack_send_message, slack_list_channels, slack_search_messages, slack_delete_message (policy-restricted). */
  slack: "gumloop_slack",
  /** Linear, connected: linear_create_issue, linear_list_issues, linear_get_issue. */
  linear: "gumloop_linear",
  /** Gmail, unauthenticated: calls answer `auth_required` with its gumloop_auth_url. */
  gmail: "gumloop_gmail",
  /** GitHub, blocked by policy: calls fail with `mcp_server_restricted`. */
  github: "gumloop_github",
  /** A Gumstack server, connected: crm_lookup_contact, crm_log_activity. */
  crm: "gumstack_acme_crm",
  /** A custom MCP server, connected: get_forecast. */
  weather: "mcp_weather",
} as const;

const text = (value: string): ToolOutcome => ({ content: [{ type: "text", text: value }] });
const jsonText = (value: unknown): ToolOutcome => text(JSON.stringify(value));

/** A stable number in [0, modulo) derived from the inputs. */
function stableNumber(modulo: number, ...parts: unknown[]): number {
  const digest = createHash("sha256").update(JSON.stringify(parts)).digest();
  return digest.readUInt32BE(0) % modulo;
}

const str = (schema: JsonSchema = {}): JsonSchema => ({ type: "string", ...schema });
const int = (min: number, max: number, description: string): JsonSchema => ({
  type: "integer",
  minimum: min,
  maximum: max,
  description,
});
const object = (properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema => ({
  type: "object",
  properties,
  required,
});

const authUrl = (name: string) => `https://www.gumloop.com/oauth/connect/${name}`;
const icon = (name: string) => `https://www.gumloop.com/icons/${name}.png`;

const CHANNELS = [
  { id: "C01GENERAL", name: "general", topic: "Company-wide announcements" },
  { id: "C02RANDOM", name: "random", topic: "Everything else" },
  { id: "C03ENGINEER", name: "engineering", topic: "Builds, incidents and releases" },
  { id: "C04SALES", name: "sales", topic: "Deals and pipeline" },
  { id: "C05SUPPORT", name: "support", topic: "Customer tickets" },
];

const ISSUES = [
  { id: "ENG-101", title: "Login page times out", state: "in_progress", priority: 1 },
  { id: "ENG-102", title: "Add CSV export to reports", state: "todo", priority: 3 },
  { id: "ENG-103", title: "Upgrade Node to 20", state: "done", priority: 2 },
  { id: "ENG-104", title: "Flaky billing webhook test", state: "backlog", priority: 2 },
];

const channelLabel = (channel: string) =>
  channel.startsWith("#") || /^[CDG][A-Z0-9]{6,}$/.test(channel) ? channel : `#${channel}`;

const SLACK: McpToolDef[] = [
  {
    name: "slack_send_message",
    description: "Send a message to a Slack channel.",
    inputSchema: object(
      {
        channel: str({ minLength: 1, description: "Channel name (#general) or id" }),
        text: str({ minLength: 1, description: "Message text" }),
        thread_ts: str({ description: "Reply in this thread" }),
      },
      ["channel", "text"],
    ),
    run: (args) => text(`Message sent to ${channelLabel(String(args.channel))}`),
  },
  {
    name: "slack_list_channels",
    description: "List public Slack channels.",
    inputSchema: object({ limit: int(1, 100, "Maximum channels to return") }),
    run: (args) => jsonText({ channels: CHANNELS.slice(0, (args.limit as number | undefined) ?? 100) }),
  },
  {
    name: "slack_search_messages",
    description: "Search Slack messages.",
    inputSchema: object({ query: str({ minLength: 1 }), count: int(1, 50, "Maximum matches to return") }, [
      "query",
    ]),
    run(args) {
      const query = String(args.query);
      const total = 1 + stableNumber(3, "search", query);
      const shown = Math.min(total, (args.count as number | undefined) ?? 20);
      const matches = Array.from({ length: shown }, (_, i) => {
        const channel = CHANNELS[stableNumber(CHANNELS.length, query, i)]!;
        return `- #${channel.name}: "...${query}..." (message ${i + 1})`;
      });
      return text(`Found ${total} messages matching "${query}":\n${matches.join("\n")}`);
    },
  },
  {
    name: "slack_delete_message",
    description: "Delete a Slack message.",
    inputSchema: object({ channel: str(), ts: str() }, ["channel", "ts"]),
    restricted: true,
    run: (args) => text(`Deleted message ${String(args.ts)}`),
  },
];

const LINEAR: McpToolDef[] = [
  {
    name: "linear_create_issue",
    description: "Create a Linear issue.",
    inputSchema: object(
      {
        title: str({ minLength: 1 }),
        team_key: str({ description: "Team key, e.g. ENG (default ENG)" }),
        description: str(),
        priority: int(0, 4, "0 none, 1 urgent ... 4 low"),
      },
      ["title"],
    ),
    run(args) {
      const team = String(args.team_key ?? "ENG").toUpperCase();
      const number = 200 + stableNumber(800, team, args.title);
      return text(`Created issue ${team}-${number}: ${String(args.title)}`);
    },
  },
  {
    name: "linear_list_issues",
    description: "List Linear issues, optionally by state.",
    inputSchema: object({
      state: { type: "string", enum: ["backlog", "todo", "in_progress", "done"] },
      limit: int(1, 50, "Maximum issues to return"),
    }),
    run(args) {
      const issues = ISSUES.filter((i) => args.state === undefined || i.state === args.state);
      return jsonText({ issues: issues.slice(0, (args.limit as number | undefined) ?? 50) });
    },
  },
  {
    name: "linear_get_issue",
    description: "Get one Linear issue by identifier (e.g. ENG-101).",
    inputSchema: object({ issue_id: str({ minLength: 1 }) }, ["issue_id"]),
    run(args) {
      const issue = ISSUES.find((i) => i.id === String(args.issue_id).toUpperCase());
      if (!issue) {
        return { failure: { code: "tool_error", message: `Issue ${String(args.issue_id)} not found` } };
      }
      return jsonText(issue);
    },
  },
];

const GMAIL: McpToolDef[] = [
  {
    name: "gmail_send_email",
    description: "Send an email from the connected Gmail account.",
    inputSchema: object({ to: str(), subject: str(), body: str() }, ["to", "subject", "body"]),
    run: (args) => text(`Email sent to ${String(args.to)}`),
  },
  {
    name: "gmail_search_emails",
    description: "Search the mailbox.",
    inputSchema: object({ query: str() }, ["query"]),
    run: (args) => text(`No emails match "${String(args.query)}"`),
  },
];

const GITHUB: McpToolDef[] = [
  {
    name: "github_create_issue",
    description: "Open a GitHub issue.",
    inputSchema: object({ repo: str(), title: str(), body: str() }, ["repo", "title"]),
    run: (args) => text(`Opened issue in ${String(args.repo)}`),
  },
  {
    name: "github_list_pull_requests",
    description: "List open pull requests of a repository.",
    inputSchema: object({ repo: str() }, ["repo"]),
    run: (args) => jsonText({ repo: args.repo, pull_requests: [] }),
  },
];

const CRM: McpToolDef[] = [
  {
    name: "crm_lookup_contact",
    description: "Look up a contact in Acme CRM by email.",
    inputSchema: object({ email: str({ minLength: 3 }) }, ["email"]),
    run(args) {
      const email = String(args.email).toLowerCase();
      const [local = "", domain = ""] = email.split("@");
      const name = local
        .split(/[._-]+/)
        .filter(Boolean)
        .map((p) => p[0]!.toUpperCase() + p.slice(1))
        .join(" ");
      const stages = ["lead", "qualified", "proposal", "customer"];
      return jsonText({
        email,
        name: name || email,
        company: domain.split(".")[0] || null,
        stage: stages[stableNumber(stages.length, email)],
      });
    },
  },
  {
    name: "crm_log_activity",
    description: "Log a note against a contact.",
    inputSchema: object({ contact_email: str(), note: str({ minLength: 1 }) }, ["contact_email", "note"]),
    run: (args) => text(`Logged activity for ${String(args.contact_email)}`),
  },
];

const WEATHER: McpToolDef[] = [
  {
    name: "get_forecast",
    description: "Daily weather forecast for a city.",
    inputSchema: object({ city: str({ minLength: 1 }), days: int(1, 7, "Days to forecast (default 3)") }, [
      "city",
    ]),
    run(args) {
      const city = String(args.city);
      const days = (args.days as number | undefined) ?? 3;
      const skies = ["sunny", "cloudy", "rain", "windy"];
      const lines = Array.from({ length: days }, (_, day) => {
        const high = 10 + stableNumber(20, city.toLowerCase(), day);
        return `Day ${day + 1}: ${skies[stableNumber(skies.length, city.toLowerCase(), "sky", day)]}, high ${high}°C, low ${high - 7}°C`;
      });
      return text(`Forecast for ${city}:\n${lines.join("\n")}`);
    },
  },
];

/** The catalogue, in listing order. */
export const MCP_SERVERS: readonly McpServerDef[] = [
  {
    id: SEED_MCP_SERVERS.slack,
    name: "Slack",
    type: "gumcp_server",
    status: "connected",
    iconUrl: icon("slack"),
    description: "Send and read Slack messages.",
    authUrl: authUrl("slack"),
    mcpUrl: null,
    tools: SLACK,
  },
  {
    id: SEED_MCP_SERVERS.linear,
    name: "Linear",
    type: "gumcp_server",
    status: "connected",
    iconUrl: icon("linear"),
    description: "Read and create Linear issues.",
    authUrl: authUrl("linear"),
    mcpUrl: null,
    tools: LINEAR,
  },
  {
    id: SEED_MCP_SERVERS.gmail,
    name: "Gmail",
    type: "gumcp_server",
    status: "unauthenticated",
    iconUrl: icon("gmail"),
    description: "Send and search email.",
    authUrl: authUrl("gmail"),
    mcpUrl: null,
    tools: GMAIL,
  },
  {
    id: SEED_MCP_SERVERS.github,
    name: "GitHub",
    type: "gumcp_server",
    status: "blocked",
    iconUrl: icon("github"),
    description: "Issues and pull requests.",
    authUrl: authUrl("github"),
    mcpUrl: null,
    tools: GITHUB,
  },
  {
    id: SEED_MCP_SERVERS.crm,
    name: "Acme CRM",
    type: "gumstack_server",
    status: "connected",
    iconUrl: null,
    description: "Contacts and activity in Acme's CRM (deployed on Gumstack).",
    authUrl: authUrl(SEED_MCP_SERVERS.crm),
    mcpUrl: "https://acme-crm.gumstack.app/mcp",
    tools: CRM,
  },
  {
    id: SEED_MCP_SERVERS.weather,
    name: "Weather",
    type: "mcp_server",
    status: "connected",
    iconUrl: null,
    description: "A custom MCP server with weather forecasts.",
    authUrl: authUrl(SEED_MCP_SERVERS.weather),
    mcpUrl: "https://mcp.weather.example.com/mcp",
    tools: WEATHER,
  },
];

/** `"{server_id}__{tool_name}"`. */
export const toolCallId = (serverId: string, toolName: string) => `${serverId}__${toolName}`;
