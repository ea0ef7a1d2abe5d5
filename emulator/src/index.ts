/**
 * A faithful local Gumloop API emulator: a real HTTP server that behaves as Gumloop documents its API, with a
 * virtual clock, plan concurrency limits, fault injection and a request log. See `server/server.ts` for how API areas
 * register their routes.
 */
export { startEmulator } from "./emulator.js";
export type { Emulator, EmulatorClientOptions, EmulatorSnapshot } from "./emulator.js";
export { VirtualClock, RealClock, DEFAULT_VIRTUAL_START } from "./world/clock.js";
export type { EmulatorClock, VirtualClockOptions } from "./world/clock.js";
export { PLAN_SLOTS, PLAN_OVERFLOW, DEFAULT_DURATIONS } from "./options.js";
export type { EmulatorOptions, Plan, Durations, RateLimitOptions } from "./options.js";
export type { SeedData, SeedAgent, SeedArtifact } from "./seedTypes.js";
export { FaultController } from "./server/faults.js";
export type { FaultSpec, FaultKind, FaultInfo } from "./server/faults.js";
export type { RequestLogEntry } from "./server/requestLog.js";
export type { UserCredentials } from "./world/identity.js";
export { DEFAULT_IDENTITY } from "./world/identity.js";
export { SEED_AGENTS } from "./areas/agents/seed.js";
export { SEED_SESSIONS } from "./areas/sessions/seed.js";
export { SEED_FLOWS, SEED_RUNS, SEED_WORKBOOKS } from "./areas/flows/seed.js";
export { SEED_UPLOAD } from "./areas/files/seed.js";
export { SEED_SKILLS, SEED_SKILL_VERSIONS } from "./areas/skills/store.js";
export { SEED_MCP_SERVERS } from "./areas/mcp/catalog.js";
export { MODEL_IDS } from "./areas/models/routes.js";
export { SEED_ORG } from "./areas/organization/seed.js";
export { EXPORT_FAIL_ENTITY_ID } from "./areas/exports/routes.js";
export type { AgentsSnapshot } from "./areas/agents/routes.js";
export type { SessionsSnapshot } from "./areas/sessions/routes.js";
export type { ArtifactsSnapshot } from "./areas/artifacts/routes.js";
export type { PoolStats, PoolName, Overflow } from "./world/scheduler.js";
export type { HostKind } from "./server/context.js";
export type { FaultMatch } from "./server/faults.js";
export type { AgentBehavior, SessionState } from "./world/model.js";
