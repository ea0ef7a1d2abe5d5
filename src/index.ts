// The complete public surface of langchain-gumloop. Any export added here becomes public API: named exports only.

export { GumloopClient, DEFAULT_BASE_URL, DEFAULT_STREAM_BASE_URL } from "./client/client.js";
export type {
  CallOptions,
  ClientHooks,
  GumloopClientOptions,
  GumloopResponse,
  RequestEvent,
  ResponseEvent,
  RetryEvent,
} from "./client/client.js";
export type { AccessTokenProvider } from "./client/accessToken.js";
export type {
  ContextFields,
  CursorPagination,
  FileInput,
  HttpMethod,
  PageNumberPagination,
  Pagination,
  Placement,
  RequestDefinition,
  Route,
} from "./client/definition.js";
export type { BinaryBody, BodyFormat } from "./client/decode.js";
export type { DownloadOptions } from "./client/download.js";
export { DEFAULT_DOWNLOAD_HOSTS } from "./client/download.js";
export {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  GumloopError,
  GumloopValidationError,
  InternalServerError,
  NotFoundError,
  OutcomeUnknownError,
  PaginationLimitError,
  PayloadTooLargeError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
  isRateLimitError,
} from "./client/errors.js";
export type { ErrorBody, ErrorContext, ValidationIssue } from "./client/errors.js";
export type { Page, PaginateOptions } from "./client/paginate.js";
export { parseRateLimit, serverWaitMs } from "./client/rateLimit.js";
export type { HeaderSource } from "./client/transport.js";
export type { RateLimitInfo } from "./client/rateLimit.js";
export { SAFE_ID_PATTERN } from "./client/route.js";
export type { Clock, Sleep } from "./client/sleep.js";
export { VERSION } from "./version.js";

export { GumloopToolManager } from "./toolManager.js";
export type { GumloopToolManagerOptions, ToolFilter } from "./toolManager.js";
export type { CatalogueFilter } from "./catalogue/filter.js";
export { ALL_ENDPOINTS, ENDPOINTS, TOOL_TAGS, defineEndpoint } from "./tools/index.js";
export type { EndpointDefinition, MethodClass, ToolAnnotations, ToolName, ToolTag } from "./tools/index.js";
export { EXPORT_FIELDS } from "./tools/exports.js";
export type { ExportDataType } from "./tools/exports.js";
export type { GumloopToolArtifact, GumloopToolMetadata } from "./langchain/buildTool.js";
export type { FlowInput, FlowToolOptions } from "./langchain/flowTool.js";

export { approvalRequestOf, createSessionGraph, SessionGraphState } from "./graphs/sessionGraph.js";
export type {
  ApprovalDecision,
  ApprovalRequest,
  CreateSessionGraphParams,
  SessionGraphStateType,
  SessionStatus,
} from "./graphs/sessionGraph.js";
export { createExportGraph, ExportGraphState } from "./graphs/exportGraph.js";
export type {
  CreateExportGraphParams,
  ExportGraphStateType,
  ExportRequest,
  ExportStatus,
} from "./graphs/exportGraph.js";
export { createFlowRunGraph, FlowRunGraphState, checkFlowInputs } from "./graphs/flowRunGraph.js";
export type {
  CreateFlowRunGraphParams,
  FlowRunGraphStateType,
  FlowRunStatus,
} from "./graphs/flowRunGraph.js";
export {
  createRunAgentSessionTool,
  createExportDataTool,
  createRunFlowTool,
} from "./graphs/compositeTools.js";
export { createGumloopToolNode, GumloopToolNode, gumloopToolNodeRetryPolicy } from "./graphs/toolNode.js";
export type { GumloopToolNodeOptions } from "./graphs/toolNode.js";
export { gumloopRetryPolicy } from "./graphs/retry.js";
export type { NodeRetryOptions } from "./graphs/retry.js";
export { ConcurrencyGate } from "./graphs/gate/index.js";
export {
  EXPORT_SCHEDULE,
  EXPORT_STATES,
  FLOW_RUN_STATES,
  FLOW_SCHEDULE,
  SESSION_SCHEDULE,
  SESSION_STATES,
  isGumloopProgressEvent,
  pollDelayMs,
} from "./graphs/polling.js";
export type { GumloopProgressEvent, PollSchedule } from "./graphs/polling.js";
export type { JobGraphParams, GraphDownloadOptions } from "./graphs/common.js";
export type { GumloopSession, GumloopMessage, PendingApproval, SessionArtifact } from "./graphs/types.js";
export { lastAssistantText, messageText } from "./graphs/types.js";
