/**
 * A faithful local Gumloop API emulator: a real HTTP server that behaves as Gumloop documents its API, with a
 * virtual clock, plan concurrency limits, fault injection and a request log. See `server.ts` for how API areas
 * register their routes.
 */
export { startEmulator } from "./emulator.js";
export type { Emulator, EmulatorClientOptions, EmulatorSnapshot } from "./emulator.js";
export { VirtualClock, RealClock, DEFAULT_VIRTUAL_START } from "./clock.js";
export type { EmulatorClock, VirtualClockOptions } from "./clock.js";
export { PLAN_SLOTS, PLAN_OVERFLOW, DEFAULT_DURATIONS } from "./options.js";
export type { EmulatorOptions, Plan, Durations, RateLimitOptions } from "./options.js";
export type { SeedData, SeedAgent, SeedArtifact } from "./seedTypes.js";
export { FaultController } from "./faults.js";
export type { FaultSpec, FaultKind, FaultInfo } from "./faults.js";
export type { RequestLogEntry } from "./requestLog.js";
export type { UserCredentials } from "./identity.js";
export { DEFAULT_IDENTITY } from "./identity.js";
export { SEED_AGENTS, SEED_SESSIONS } from "./areas/defaultSeed.js";
export { SEED_FLOWS, SEED_RUNS, SEED_WORKBOOKS } from "./areas/flowSeed.js";
export { SEED_UPLOAD } from "./areas/fileSeed.js";
export { SEED_SKILLS, SEED_SKILL_VERSIONS } from "./areas/skillStore.js";
export { SEED_MCP_SERVERS } from "./areas/mcpCatalog.js";
export { MODEL_IDS } from "./areas/models.js";
export { SEED_ORG } from "./areas/orgSeed.js";
export { EXPORT_FAIL_ENTITY_ID } from "./areas/exports.js";
export type { AgentsSnapshot } from "./areas/agents.js";
export type { SessionsSnapshot } from "./areas/sessions.js";
export type { ArtifactsSnapshot } from "./areas/artifacts.js";
export type { PoolStats, PoolName, Overflow } from "./scheduler.js";
export type { HostKind } from "./context.js";
export type { FaultMatch } from "./faults.js";
export type { AgentBehavior, SessionState } from "./model.js";
