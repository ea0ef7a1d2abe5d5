// The public surface of `langchain-gumloop`: the tool manager, the client, errors and definitions. It imports no
// LangGraph (test/rootImports.test.ts keeps it so); the job graphs, composite tools, tool node and gate are in
// `langchain-gumloop/graphs`, the MCP server in `langchain-gumloop/mcp`. Named exports only.

export { GumloopClient, DEFAULT_BASE_URL, DEFAULT_STREAM_BASE_URL } from "./client/client.js";
export type {
  CallOptions,
  ClientHooks,
  GumloopClientOptions,
  GumloopResponse,
  RequestEvent,
  ResponseEvent,
  RetryEvent,
  StreamOptions,
} from "./client/client.js";
export type { SessionEventStream } from "./client/eventStream.js";
export type { SessionStreamEvent } from "./client/sessionEvent.js";
export {
  StreamError,
  StreamIdleTimeoutError,
  StreamInterruptedError,
  StreamTooLargeError,
  StreamUnavailableError,
} from "./client/streamErrors.js";
export type { StreamPosition, StreamResumeInput } from "./client/streamErrors.js";
export type { AccessTokenProvider } from "./client/accessToken.js";
export { GumloopClientPool } from "./client/clientPool.js";
export type {
  ClientSource,
  CredentialsResolver,
  GumloopClientPoolOptions,
  GumloopCredentials,
  RunCredentialsSource,
} from "./client/clientPool.js";
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
export { responds } from "./client/definition.js";
export type {
  ApprovalsAnswer,
  ArtifactDownloadBody,
  ExportStartBody,
  ExportStatusAnswer,
  ExportStatusBody,
  FlowInputsBody,
  FlowRunBody,
  FlowRunMapBody,
  FlowStartBody,
  GumloopMessage,
  GumloopSession,
  PendingApproval,
  SavedItem,
  SavedItemsBody,
  SessionEnvelope,
} from "./tools/responses.js";
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
export type { RateLimitInfo } from "./client/rateLimit.js";
export type { Clock, Sleep } from "./client/sleep.js";
export { VERSION } from "./version.js";

export { GumloopToolManager } from "./toolManager.js";
export type { GumloopToolManagerOptions, ToolFilter } from "./toolManager.js";
export type { CatalogueFilter } from "./catalogue/filter.js";
export { ALL_ENDPOINTS, ENDPOINTS, TOOL_TAGS, defineEndpoint } from "./tools/index.js";
export { SESSION_STREAMS } from "./tools/sessionStreams.js";
export type {
  EndpointDefinition,
  EndpointSpec,
  IdentityField,
  MethodClass,
  ReadableContent,
  SpecInput,
  ToolAnnotations,
  ToolName,
  ToolTag,
} from "./tools/index.js";
export { EXPORT_FIELDS } from "./tools/exports.js";
export type { ExportDataType } from "./tools/exports.js";
export type { GumloopToolArtifact, GumloopToolMetadata } from "./langchain/buildTool.js";
export type { FlowToolOptions } from "./langchain/flowTool.js";
export type { FlowInput } from "./tools/flowInputs.js";
