import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PaginationLimitError } from "../../src/client/errors.js";
import { startRecordingServer, type RecordingServer } from "../helpers/recordingServer.js";
import { auditLogs, listArtifacts, makeClient } from "./fixtures.js";

let server: RecordingServer;
beforeAll(async () => {
  server = await startRecordingServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

async function collect<T>(iterable: AsyncIterable<{ items: T[] }>): Promise<T[]> {
  const all: T[] = [];
  for await (const page of iterable) all.push(...page.items);
  return all;
}

describe("paginate", () => {
  it("follows next_cursor until it is null", async () => {
    server.queue(
      { status: 200, body: { artifacts: [{ id: 1 }, { id: 2 }], next_cursor: "c2" } },
      { status: 200, body: { artifacts: [{ id: 3 }], next_cursor: null } },
    );
    const items = await collect(
      makeClient(server.url).paginate(listArtifacts, { agent_id: "a1", page_size: 2 }),
    );
    expect(items).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    expect(server.requests.map((r) => r.url.searchParams.get("cursor"))).toEqual([null, "c2"]);
    expect(server.requests[1]!.url.searchParams.get("page_size")).toBe("2");
  });

  it("walks page numbers until total_pages", async () => {
    server.fallback = (request) => {
      const page = Number(request.url.searchParams.get("page") ?? 1);
      return { status: 200, body: { audit_logs: [{ page }], page, total_pages: 3, total_count: 3 } };
    };
    const items = await collect(makeClient(server.url).paginate(auditLogs, { organization_id: "o1" }));
    expect(items).toEqual([{ page: 1 }, { page: 2 }, { page: 3 }]);
  });

  it("stops quietly at maxItems", async () => {
    server.fallback = (request) => ({
      status: 200,
      body: {
        artifacts: [{ c: request.url.searchParams.get("cursor") }, { c: 2 }],
        next_cursor: "more" + Math.random(),
      },
    });
    const items = await collect(
      makeClient(server.url).paginate(listArtifacts, { agent_id: "a1" }, { maxItems: 3 }),
    );
    expect(items).toHaveLength(3);
    expect(server.requests).toHaveLength(2);
  });

  it("throws when more pages remain after maxPages", async () => {
    let n = 0;
    server.fallback = () => ({ status: 200, body: { artifacts: [{}], next_cursor: `c${++n}` } });
    await expect(
      collect(makeClient(server.url).paginate(listArtifacts, { agent_id: "a1" }, { maxPages: 3 })),
    ).rejects.toThrow(PaginationLimitError);
    expect(server.requests).toHaveLength(3);
  });

  it("throws when the server repeats a cursor", async () => {
    server.fallback = () => ({ status: 200, body: { artifacts: [{}], next_cursor: "same" } });
    await expect(collect(makeClient(server.url).paginate(listArtifacts, { agent_id: "a1" }))).rejects.toThrow(
      /already returned/,
    );
  });
});
