/** The shape of a tool case and the ids a test run fills in. */
export interface ToolCase {
  /** Only the required fields. */
  readonly required: Record<string, unknown>;
  /** Every field. */
  readonly all: Record<string, unknown>;
  /** Expected request: method and path (after expansion). */
  readonly method: string;
  readonly path: string;
  /** Fields expected in the query string and in the body (for the `all` call). */
  readonly query?: readonly string[];
  readonly body?: readonly string[];
  /** Status Gumloop documents for success (per variant when they differ). */
  readonly status?: number | { readonly required: number; readonly all: number };
}

/** Filled per test run with ids the emulator creates (a skill, an export, a run). */
export interface DynamicIds {
  skillId: string;
  exportId: string;
  runId: string;
  organizationId: string;
  workspaceId: string;
  groupId: string;
  memberEmail: string;
  mcpServerId: string;
  mcpToolName: string;
  /** A second team of the default user (the target of a team transfer). */
  secondTeamId: string;
  /** A member of the seeded organization, by user id. */
  memberUserId: string;
}
