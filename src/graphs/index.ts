// The public surface of `langchain-gumloop/graphs`: Gumloop's asynchronous jobs (agent sessions, flow runs, data
// exports) as LangGraph graphs, the same jobs as single composite tools, the tool node for agents built from the
// plain tools, and the concurrency gate. Needs the `@langchain/langgraph` peer. This barrel is the one file under
// src/graphs that reaches into src/langchain (for the composite tools and the tool node); the graphs themselves
// import nothing from there.

export { approvalRequestOf, createSessionGraph, SessionGraphState } from "./sessionGraph.js";
export type {
  ApprovalDecision,
  ApprovalRequest,
  CreateSessionGraphParams,
  SessionGraphStateType,
  SessionStatus,
  SessionStreamMode,
} from "./sessionGraph.js";
export { createExportGraph, ExportGraphState } from "./exportGraph.js";
export type {
  CreateExportGraphParams,
  ExportGraphStateType,
  ExportRequest,
  ExportStatus,
} from "./exportGraph.js";
export { createFlowRunGraph, FlowRunGraphState } from "./flowRunGraph.js";
export type { CreateFlowRunGraphParams, FlowRunGraphStateType, FlowRunStatus } from "./flowRunGraph.js";
export type { JobGraph } from "./job/build.js";
export type { JobStatus, StartIntent } from "./job/state.js";
export type { JobGraphParams, GraphDownloadOptions } from "./common.js";

export {
  createRunAgentSessionTool,
  createExportDataTool,
  createRunFlowTool,
} from "../langchain/compositeTools.js";
export { createGumloopToolNode, GumloopToolNode, gumloopToolNodeRetryPolicy } from "../langchain/toolNode.js";
export type { GumloopToolNodeOptions } from "../langchain/toolNode.js";
export { gumloopRetryPolicy } from "./retry.js";
export type { NodeRetryOptions } from "./retry.js";

export { ConcurrencyGate, MemorySlotStore } from "./gate/index.js";
export type { ConcurrencyGateOptions, PoolCounts, SlotDeadline, SlotKey, SlotStore } from "./gate/index.js";
export { PostgresSlotStore } from "./gate/postgresSlotStore.js";
export type { PgClientLike, PgPoolLike, PostgresSlotStoreOptions } from "./gate/postgresSlotStore.js";

export { EXPORT_SCHEDULE, FLOW_SCHEDULE, SESSION_SCHEDULE, isGumloopProgressEvent } from "./polling.js";
export type { GumloopProgressEvent, PollSchedule } from "./polling.js";
export type { GumloopSession, GumloopMessage, PendingApproval, SessionArtifact } from "./types.js";
export { lastAssistantText, messageText } from "./types.js";
