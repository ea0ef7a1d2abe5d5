// The public surface of langchain-gumloop/mcp. Any export added here becomes public API: named exports only.

export { createGumloopMcpServer } from "./server.js";
export type { GumloopMcpServerOptions } from "./server.js";
export { createGumloopMcpHttpHandler } from "./http.js";
export type { GumloopMcpHttpHandler, GumloopMcpHttpOptions } from "./http.js";
export { GumloopMcpJobs, Job } from "./jobs.js";
export type { GumloopMcpJobsOptions, JobProgress, JobToolName } from "./jobs.js";
export { McpServerStore, MIN_EXPIRY_MS } from "./store.js";
export type { Lookup, ServerInfo, ServerSettings, StoredFilter, StoredServer } from "./store.js";
export { JOB_TOOLS } from "./catalogue.js";
export { JobTaskStore } from "./tasks.js";
