/**
 * The emulator's in-memory records. These are internal shapes (camelCase, epoch ms); each area serialises them to
 * Gumloop's wire shapes itself, so a wire-format change touches one serialiser, not the data model.
 */

/** A Gumloop user. */
export interface UserRecord {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  profilePicture: string | null;
  /** The user's organization: concurrency slots are counted per organization (Pro/Enterprise are org-wide). */
  orgId: string;
  /** The team agents go to when the caller names none. */
  defaultTeamId: string;
}

/** A team (the legacy API calls it a project / workspace). */
export interface TeamRecord {
  id: string;
  name: string;
  orgId: string;
  /** Member user ids; the first one is the owner, who acts for a team key that names no user. */
  memberIds: string[];
  /** Members with admin rights on the team / organization. */
  adminIds: string[];
}

/** An organization. */
export interface OrganizationRecord {
  id: string;
  name: string;
  /** Organization admins (the legacy admin endpoints check this). */
  adminIds: string[];
}

/** A credential the emulator accepts as a Bearer token. */
export type CredentialRecord =
  | { kind: "personal"; token: string; userId: string }
  | { kind: "team"; token: string; teamId: string }
  | { kind: "oauth"; token: string; userId: string; scopes: string[] };

/** How a seeded or created agent behaves when it runs (emulator-only; not on the wire). */
export type AgentBehavior = "research" | "echo" | "flaky" | "approval";

/** An agent. */
export interface AgentRecord {
  id: string;
  name: string;
  description: string | null;
  teamId: string;
  isActive: boolean;
  tools: Record<string, unknown>[];
  resources: Record<string, unknown>[];
  metadata: Record<string, unknown>;
  modelName: string | null;
  systemPrompt: string | null;
  skillIds: string[];
  folderId: string | null;
  createdAt: number;
  updatedAt: number;
  lastUsedAt: number | null;
  activeTriggerCount: number;
  creatorId: string | null;
  iconUrl: string | null;
  behavior: AgentBehavior;
}

/** Session states (Oct spec adds `approval_required`). */
export type SessionState = "idle" | "queued" | "processing" | "completed" | "failed" | "approval_required";

/** One message of a session. */
export interface MessageRecord {
  id: string;
  role: "user" | "assistant";
  content: string | null;
  parts: Record<string, unknown>[] | null;
  createdAt: number;
  creatorId: string | null;
}

/** A pending ask on a session in `approval_required`. */
export interface PendingApprovalRecord {
  actionRequestId: string;
  type: "tool_approval" | "human_input";
  title: string | null;
  reason: string | null;
  recipientUserId: string | null;
  toolName: string | null;
  serverLabel: string | null;
  displayFields: [string, string][] | null;
  questions: Record<string, unknown>[] | null;
  /** Resolution, once answered. */
  resolution: "accepted" | "rejected" | null;
}

/** Token and credit totals of a session; all null until the first run records usage. */
export interface UsageRecord {
  creditCost: number | null;
  toolCreditCost: number | null;
  flowCreditCost: number | null;
  inputTokens: number | null;
  cachedInputTokens: number | null;
  cacheWriteInputTokens: number | null;
  outputTokens: number | null;
  reasoningTokens: number | null;
}

/** A session (Gumloop's API also calls it an interaction). */
export interface SessionRecord {
  id: string;
  agentId: string;
  name: string | null;
  type: string;
  state: SessionState;
  messages: MessageRecord[];
  createdAt: number;
  creatorId: string;
  participantIds: string[];
  /** Caller metadata, stored under `metadata.client` as Gumloop documents. */
  metadata: Record<string, unknown>;
  usage: UsageRecord;
  pendingApprovals: PendingApprovalRecord[];
  /** Id of the scheduler job currently queued or running for this session, if any. */
  jobId: number | null;
  /** Number of runs started on this session (stream cursors are derived from it). */
  runCount: number;
}

/** One stored version of an artifact. */
export interface ArtifactVersionRecord {
  versionId: string;
  majorVersion: number;
  filename: string;
  mediaType: string;
  /** Key of the bytes in the blob store. */
  blobKey: string;
  size: number;
  createdAt: number;
  creatorId: string | null;
}

/** A file an agent produced. */
export interface ArtifactRecord {
  id: string;
  agentId: string;
  sessionId: string | null;
  /** Oldest first; the last one is the latest. */
  versions: ArtifactVersionRecord[];
  deleted: boolean;
}

/** Bytes served from signed storage URLs. */
export interface BlobRecord {
  bytes: Uint8Array;
  mediaType: string;
  filename: string;
}
