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
        "ConcurrencyGate",
        "ConflictError",
        "DEFAULT_BASE_URL",
        "DEFAULT_DOWNLOAD_HOSTS",
        "DEFAULT_STREAM_BASE_URL",
        "ENDPOINTS",
        "EXPORT_FIELDS",
        "EXPORT_SCHEDULE",
        "EXPORT_STATES",
        "ExportGraphState",
        "FLOW_RUN_STATES",
        "FLOW_SCHEDULE",
        "FlowRunGraphState",
        "GumloopClient",
        "GumloopError",
        "GumloopToolManager",
        "GumloopToolNode",
        "GumloopValidationError",
        "InternalServerError",
        "NotFoundError",
        "OutcomeUnknownError",
        "PaginationLimitError",
        "PayloadTooLargeError",
        "PermissionDeniedError",
        "RateLimitError",
        "SAFE_ID_PATTERN",
        "SESSION_SCHEDULE",
        "SESSION_STATES",
        "SessionGraphState",
        "TOOL_TAGS",
        "UnprocessableEntityError",
        "VERSION",
        "approvalRequestOf",
        "checkFlowInputs",
        "createExportDataTool",
        "createExportGraph",
        "createFlowRunGraph",
        "createGumloopToolNode",
        "createRunAgentSessionTool",
        "createRunFlowTool",
        "createSessionGraph",
        "defineEndpoint",
        "gumloopRetryPolicy",
        "gumloopToolNodeRetryPolicy",
        "isGumloopProgressEvent",
        "isRateLimitError",
        "lastAssistantText",
        "messageText",
        "parseRateLimit",
        "pollDelayMs",
        "serverWaitMs",
      ]
    `);
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

  it("keeps LangGraph out of the catalogue layer the package root uses", async () => {
    const { readdirSync, readFileSync } = await import("node:fs");
    for (const folder of ["../src/catalogue/", "../src/langchain/"]) {
      const root = new URL(folder, import.meta.url);
      for (const file of readdirSync(root).filter((name) => name.endsWith(".ts"))) {
        const text = readFileSync(new URL(file, root), "utf8");
        expect(text, `${folder}${file}`).not.toMatch(/@langchain\/langgraph|\.\.\/(graphs|mcp)\//);
      }
    }
  });
});
