/**
 * The organization audit log: 120 deterministic events over May 2026 in the seeded organization (before the
 * virtual clock's 2026-06-01 start), a few in the other organization, and events appended at clock time by the
 * admin routes (export requested, role and workspace membership changes).
 *
 * Event types seen in Gumloop's docs are `user_sign_in` and `credential_retrieval`; the others here are
 * inference (the full list is not published).
 */
import type { AreaEnv } from "../../area.js";
import { SEED_AGENTS } from "../agents/seed.js";
import { SEED_ORG } from "../organization/seed.js";

/** One audit event (internal shape). `workspaceId` / `entityId` back the Oct-spec filters. */
export interface AuditEvent {
  id: string;
  orgId: string;
  time: number;
  type: string;
  userId: string;
  sourceIp: string;
  userAgent: string;
  workspaceId: string | null;
  entityId: string | null;
  /** Serialised as a JSON string on the wire (`details` is a string in the spec). */
  details: Record<string, unknown>;
}

/** The audit area's state. Events are kept in insertion order; the route sorts. */
export interface AuditState {
  events: AuditEvent[];
  seq: number;
}

/** The audit log, created on first use. */
export function auditState(env: AreaEnv): AuditState {
  return env.store.area("audit", () => ({ events: [] as AuditEvent[], seq: 0 }));
}

/** Number of seeded events in the seeded organization. */
export const SEEDED_AUDIT_EVENTS = 120;

const MAY_1 = Date.parse("2026-05-01T00:00:00Z");
const HOUR = 3_600_000;

/** Who acts in the seed: user, addresses, user agents, and the workspace they work in. */
interface Actor {
  userId: string;
  ips: string[];
  agents: string[];
  /** Null for a member in no workspace. */
  workspaceId: string | null;
}

/** Event kinds in the seed's repeating pattern (weights come from repetition). */
const PATTERN = [
  "user_sign_in",
  "workflow_run",
  "credential_retrieval",
  "agent_run",
  "user_sign_in",
  "workflow_run",
  "file_download",
  "agent_created",
  "user_sign_in",
  "credential_retrieval",
  "workflow_created",
  "api_key_created",
] as const;

const WORKBOOKS = ["wb_lead0001", "wb_tickets02", "wb_invoice03"];
const FILES = ["leads.csv", "q2-report.pdf", "invoices.zip"];

function eventId(orgIndex: number, n: number): string {
  return `evt_${orgIndex.toString(16)}${n.toString(16).padStart(7, "0")}`;
}

function seedEvent(
  orgId: string,
  id: string,
  time: number,
  type: string,
  actor: Actor,
  n: number,
): AuditEvent {
  let entityId: string | null = null;
  // Varies by cycle of the pattern, so every workbook, agent and file shows up for each event type.
  const cycle = Math.floor(n / PATTERN.length);
  let details: Record<string, unknown>;
  switch (type) {
    case "user_sign_in":
      details = { method: n % 3 === 0 ? "google_sso" : "password" };
      break;
    case "credential_retrieval":
      details = { credential_type: n % 2 === 0 ? "openai" : "gmail", workspace_id: actor.workspaceId };
      break;
    case "workflow_run":
    case "workflow_created":
      entityId = WORKBOOKS[cycle % WORKBOOKS.length]!;
      details = { workbook_id: entityId, workspace_id: actor.workspaceId };
      break;
    case "agent_run":
    case "agent_created": {
      const agents = [SEED_AGENTS.research, SEED_AGENTS.assistant, SEED_AGENTS.approval];
      entityId = agents[cycle % agents.length]!;
      details = { agent_id: entityId, workspace_id: actor.workspaceId };
      break;
    }
    case "file_download":
      entityId = FILES[cycle % FILES.length]!;
      details = { file_name: entityId, workspace_id: actor.workspaceId };
      break;
    default:
      details = { key_type: n % 2 === 0 ? "personal" : "team" };
  }
  const workspaceId = type === "user_sign_in" || type === "api_key_created" ? null : actor.workspaceId;
  return {
    id,
    orgId,
    time,
    type,
    userId: actor.userId,
    sourceIp: actor.ips[n % actor.ips.length]!,
    userAgent: actor.agents[n % actor.agents.length]!,
    workspaceId,
    entityId,
    details,
  };
}

const BROWSER =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Safari/605.1.15";
const SDK = "gumloop-python/0.4.0";
const TOOLSET = "langchain-gumloop/0.1.0";

/** Seeds the audit log. Deterministic: no random draws, no generated ids. */
export function seedAuditLog(env: AreaEnv): void {
  const { identity } = env;
  const actors: Actor[] = [
    {
      userId: identity.userId,
      ips: ["203.0.113.10", "203.0.113.11"],
      agents: [BROWSER, TOOLSET],
      workspaceId: identity.teamId,
    },
    {
      userId: SEED_ORG.userIds.charles,
      ips: ["198.51.100.23"],
      agents: [BROWSER, SDK],
      workspaceId: SEED_ORG.workspaces.operations,
    },
    {
      userId: SEED_ORG.userIds.mary,
      ips: ["192.0.2.44"],
      agents: [BROWSER],
      workspaceId: SEED_ORG.workspaces.operations,
    },
    {
      userId: identity.userId,
      ips: ["203.0.113.10"],
      agents: [SDK],
      workspaceId: identity.secondTeamId,
    },
    {
      userId: SEED_ORG.userIds.alan,
      ips: ["198.51.100.77"],
      agents: [BROWSER],
      workspaceId: null,
    },
  ];
  const state = auditState(env);
  for (let n = 0; n < SEEDED_AUDIT_EVENTS; n++) {
    // Every 6 hours from May 1, with a minute offset so timestamps are not all on the hour.
    const time = MAY_1 + n * 6 * HOUR + ((n * 37) % 60) * 60_000;
    const type = PATTERN[n % PATTERN.length]!;
    const actor = actors[n % actors.length]!;
    state.events.push(seedEvent(identity.orgId, eventId(1, n), time, type, actor, n));
  }
  const other: Actor = {
    userId: identity.otherUser.userId,
    ips: ["192.0.2.200"],
    agents: [BROWSER],
    workspaceId: identity.otherUser.teamId,
  };
  for (let n = 0; n < 5; n++) {
    const type = n % 2 === 0 ? "user_sign_in" : "workflow_run";
    state.events.push(
      seedEvent(identity.otherUser.orgId, eventId(2, n), MAY_1 + n * 24 * HOUR, type, other, n),
    );
  }
}

/** What an admin route records. */
export interface AuditInput {
  orgId: string;
  type: string;
  userId: string;
  workspaceId?: string | null;
  entityId?: string | null;
  details: Record<string, unknown>;
  sourceIp: string;
  userAgent: string;
}

/** Appends an event at the current clock time. */
export function recordAuditEvent(env: AreaEnv, input: AuditInput): void {
  const state = auditState(env);
  state.seq++;
  state.events.push({
    id: eventId(3, state.seq),
    orgId: input.orgId,
    time: env.clock.now(),
    type: input.type,
    userId: input.userId,
    sourceIp: input.sourceIp,
    userAgent: input.userAgent,
    workspaceId: input.workspaceId ?? null,
    entityId: input.entityId ?? null,
    details: input.details,
  });
}
