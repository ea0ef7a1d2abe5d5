/** Pins the public surface: an export added or removed is a deliberate API change. */
import { describe, expect, it } from "vitest";

describe("public surface", () => {
  it("exports exactly these names from langchain-gumloop", async () => {
    const surface = Object.keys(await import("../src/index.js")).sort();
    expect(surface).toMatchInlineSnapshot(`
      [
        "ALL_ENDPOINTS",
        "APIConnectionError",
        "APIConnectionTimeoutError",
        "APIError",
        "APIUserAbortError",
        "AuthenticationError",
        "BadRequestError",
        "ConflictError",
        "DEFAULT_BASE_URL",
        "DEFAULT_DOWNLOAD_HOSTS",
        "DEFAULT_STREAM_BASE_URL",
        "ENDPOINTS",
        "EXPORT_FIELDS",
        "GumloopClient",
        "GumloopClientPool",
        "GumloopError",
        "GumloopToolManager",
        "GumloopValidationError",
        "InternalServerError",
        "NotFoundError",
        "OutcomeUnknownError",
        "PaginationLimitError",
        "PayloadTooLargeError",
        "PermissionDeniedError",
        "RateLimitError",
        "SESSION_STREAMS",
        "StreamError",
        "StreamIdleTimeoutError",
        "StreamInterruptedError",
        "StreamTooLargeError",
        "StreamUnavailableError",
        "TOOL_TAGS",
        "UnprocessableEntityError",
        "VERSION",
        "defineEndpoint",
        "isRateLimitError",
        "responds",
      ]
    `);
  });

  it("exports exactly these names from langchain-gumloop/graphs", async () => {
    const surface = Object.keys(await import("../src/graphs/index.js")).sort();
    expect(surface).toMatchInlineSnapshot(`
      [
        "ConcurrencyGate",
        "EXPORT_SCHEDULE",
        "ExportGraphState",
        "FLOW_SCHEDULE",
        "FlowRunGraphState",
        "GumloopToolNode",
        "MemorySlotStore",
        "PostgresSlotStore",
        "SESSION_SCHEDULE",
        "SessionGraphState",
        "approvalRequestOf",
        "createExportDataTool",
        "createExportGraph",
        "createFlowRunGraph",
        "createGumloopToolNode",
        "createRunAgentSessionTool",
        "createRunFlowTool",
        "createSessionGraph",
        "gumloopRetryPolicy",
        "gumloopToolNodeRetryPolicy",
        "isGumloopProgressEvent",
        "lastAssistantText",
        "messageText",
      ]
    `);
  });

  it("exports exactly these names from langchain-gumloop/agent", async () => {
    const surface = Object.keys(await import("../src/agent/index.js")).sort();
    expect(surface).toEqual(["gumloopInterruptOn", "gumloopToolRetryMiddleware"]);
  });

  it("exports exactly these names from langchain-gumloop/mcp", async () => {
    const surface = Object.keys(await import("../src/mcp/index.js")).sort();
    expect(surface).toEqual([
      "GumloopMcpJobs",
      "JOB_TOOLS",
      "Job",
      "JobTaskStore",
      "MIN_EXPIRY_MS",
      "McpServerStore",
      "createGumloopMcpHttpHandler",
      "createGumloopMcpServer",
    ]);
  });
});
