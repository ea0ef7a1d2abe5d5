/**
 * The emulator's state: identities, the agent/session/artifact records most areas touch, stored bytes, and a
 * private slot per area for anything else (`store.area("flows", () => ...)`).
 */
import type {
  AgentRecord,
  ArtifactRecord,
  BlobRecord,
  CredentialRecord,
  OrganizationRecord,
  SessionRecord,
  TeamRecord,
  UserRecord,
} from "./model.js";

/** Gumloop's `creator` object (agents, sessions, artifacts, skills). */
export interface CreatorView {
  id: string | null;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  profile_picture: string | null;
}

/** In-memory state shared by every area. */
export class Store {
  readonly users = new Map<string, UserRecord>();
  readonly teams = new Map<string, TeamRecord>();
  readonly organizations = new Map<string, OrganizationRecord>();
  /** Keyed by token. */
  readonly credentials = new Map<string, CredentialRecord>();
  readonly agents = new Map<string, AgentRecord>();
  readonly sessions = new Map<string, SessionRecord>();
  readonly artifacts = new Map<string, ArtifactRecord>();
  /** Bytes behind signed URLs, keyed `<kind>/<id>`. */
  readonly blobs = new Map<string, BlobRecord>();
  readonly #areas = new Map<string, unknown>();

  /**
   * An area's private state, created by `init` on first use. Keeps areas from adding fields to the store.
   * @example const runs = store.area("flows", () => new Map<string, RunRecord>());
   */
  area<T>(name: string, init: () => T): T {
    if (!this.#areas.has(name)) this.#areas.set(name, init());
    return this.#areas.get(name) as T;
  }

  /** True when `userId` belongs to `teamId`. */
  isMember(userId: string, teamId: string): boolean {
    return this.teams.get(teamId)?.memberIds.includes(userId) ?? false;
  }

  /** Teams the user belongs to, in insertion order. */
  teamsOf(userId: string): TeamRecord[] {
    return [...this.teams.values()].filter((team) => team.memberIds.includes(userId));
  }

  /** The wire `creator` object for a user id; `null` when the id is null or unknown. */
  creatorView(userId: string | null): CreatorView | null {
    const user = userId ? this.users.get(userId) : undefined;
    if (!user) return null;
    return {
      id: user.id,
      first_name: user.firstName,
      last_name: user.lastName,
      email: user.email,
      profile_picture: user.profilePicture,
    };
  }
}
