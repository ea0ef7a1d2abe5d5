import { afterEach, describe, expect, it } from "vitest";
import type { Emulator, EmulatorOptions } from "../src/index.js";
import type { AuditSnapshot } from "../src/areas/audit/routes.js";
import { SEED_ORG } from "../src/areas/organization/seed.js";
import { call, expectError, expectShape, startTestEmulator, type CallResult } from "./helpers.js";

let emulator: Emulator;

async function start(options: EmulatorOptions = {}): Promise<void> {
  ({ emulator } = await startTestEmulator({ plan: "enterprise", ...options }));
}
afterEach(() => emulator?.close());

/** organization.yml `getOrganizationAuditLogs` 200 (+ Oct `event_types`). */
const AUDIT_PAGE = {
  audit_logs: "array",
  total_count: "integer",
  page: "integer",
  page_size: "integer",
  total_pages: "integer",
  event_types: "array",
} as const;
const AUDIT_LOG = {
  event_id: "string",
  timestamp: "date-time",
  event_type: "string",
  user_id: "string",
  details: "string",
  source_ip: "string",
  user_agent: "string",
} as const;

interface AuditLog {
  event_id: string;
  timestamp: string;
  event_type: string;
  user_id: string;
  details: string;
  source_ip: string;
  user_agent: string;
}

const MAY = { start_time: "2026-05-01T00:00:00Z", end_time: "2026-05-31T23:59:59Z" };
const charlesHeaders = { authorization: `Bearer ${SEED_ORG.nonAdmin.apiKey}` };

function logs(
  query: Record<string, string | number | undefined> = {},
  who: "admin" | "other" | "charles" = "admin",
) {
  const full: Record<string, string | number> = {};
  const merged = {
    organization_id: SEED_ORG.organizationId,
    user_id:
      who === "admin"
        ? emulator.userId
        : who === "other"
          ? emulator.otherUser.userId
          : SEED_ORG.nonAdmin.userId,
    ...MAY,
    ...query,
  };
  for (const [key, value] of Object.entries(merged)) if (value !== undefined) full[key] = value;
  if (who === "charles")
    return call(emulator, "GET", "/get_audit_logs", { query: full, auth: "none", headers: charlesHeaders });
  return call(emulator, "GET", "/get_audit_logs", {
    query: full,
    auth: who === "admin" ? "personal" : "other",
  });
}

function expectPage(res: CallResult): AuditLog[] {
  expect(res.status, res.text).toBe(200);
  expectShape(res.body, AUDIT_PAGE, "audit page");
  res.body.audit_logs.forEach((e: unknown, i: number) => expectShape(e, AUDIT_LOG, `audit_logs[${i}]`));
  return res.body.audit_logs as AuditLog[];
}

async function allMay(): Promise<AuditLog[]> {
  return expectPage(await logs({ page_size: 1000 }));
}

describe("GET /get_audit_logs (list_all_gumloop_audit_logs)", () => {
  it("defaults to page 1 of 50; 120 seeded events in May make 3 pages; newest first", async () => {
    await start();
    const res = await logs();
    const page = expectPage(res);
    expect(res.body).toMatchObject({ total_count: 120, page: 1, page_size: 50, total_pages: 3 });
    expect(page).toHaveLength(50);
    const times = page.map((e) => Date.parse(e.timestamp));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(page.every((e) => e.timestamp.startsWith("2026-05-"))).toBe(true);
    expect((emulator.inspect().audit as AuditSnapshot).perOrganization[SEED_ORG.organizationId]).toBe(120);
  });

  it("pages: the last page holds the remainder, a page past the end is empty, pages cover every event once", async () => {
    await start();
    const last = await logs({ page: 3 });
    expect(expectPage(last)).toHaveLength(20);
    expect(last.body).toMatchObject({ page: 3, total_pages: 3, total_count: 120 });
    const past = await logs({ page: 4 });
    expect(expectPage(past)).toEqual([]);
    expect(past.body).toMatchObject({ page: 4, total_pages: 3, total_count: 120 });

    const seen: string[] = [];
    let pages = 0;
    for (let page = 1; ; page++) {
      const res = await logs({ page, page_size: 7 });
      expect(res.body.total_pages).toBe(18);
      seen.push(...expectPage(res).map((e) => e.event_id));
      pages++;
      if (page === res.body.total_pages) {
        expect(res.body.audit_logs).toHaveLength(1); // 120 = 17 × 7 + 1
        break;
      }
    }
    expect(pages).toBe(18);
    expect(new Set(seen).size).toBe(120);
    expect(seen).toEqual((await allMay()).map((e) => e.event_id));
  });

  it("is deterministic across emulator starts", async () => {
    await start();
    const first = await allMay();
    await emulator.close();
    await start({ seed: "another-seed" });
    expect(await allMay()).toEqual(first);
  });

  it("details is a JSON string; event_types lists every filterable type of the organization", async () => {
    await start();
    const res = await logs({ page_size: 1000 });
    const events = expectPage(res);
    for (const e of events) expect(typeof JSON.parse(e.details)).toBe("object");
    const types = res.body.event_types as string[];
    expect(types).toEqual([...new Set(events.map((e) => e.event_type))].sort());
    expect(types).toEqual(
      expect.arrayContaining(["user_sign_in", "credential_retrieval", "agent_created", "workflow_run"]),
    );
  });

  it("filters: event_types (comma list) and singular event_type", async () => {
    await start();
    const all = await allMay();
    const signIns = expectPage(await logs({ event_types: "user_sign_in", page_size: 1000 }));
    expect(signIns.length).toBe(all.filter((e) => e.event_type === "user_sign_in").length);
    expect(signIns.length).toBe(30);
    expect(expectPage(await logs({ event_type: "user_sign_in", page_size: 1000 }))).toEqual(signIns);
    const two = await logs({ event_types: "user_sign_in, credential_retrieval", page_size: 10 });
    expectPage(two);
    expect(two.body.total_count).toBe(50);
    expect(two.body.total_pages).toBe(5);
    expect((await logs({ event_types: "no_such_type" })).body).toMatchObject({
      total_count: 0,
      total_pages: 0,
      audit_logs: [],
    });
  });

  it("filters: user_ids, ip_addresses / ip_address, workspace_ids / workspace_id, entity_ids / entity_id", async () => {
    await start();
    const all = await allMay();
    const count = async (query: Record<string, string>) =>
      (await logs({ ...query, page_size: 1000 })).body.total_count;

    const users = `${emulator.userId},${SEED_ORG.userIds.mary}`;
    expect(await count({ user_ids: users })).toBe(
      all.filter((e) => e.user_id === emulator.userId || e.user_id === SEED_ORG.userIds.mary).length,
    );
    expect(await count({ user_ids: emulator.userId })).toBe(48);
    expect(await count({ ip_addresses: "192.0.2.44" })).toBe(
      all.filter((e) => e.source_ip === "192.0.2.44").length,
    );
    expect(await count({ ip_address: "192.0.2.44" })).toBe(await count({ ip_addresses: "192.0.2.44" }));

    const inWorkspace = (id: string) => all.filter((e) => JSON.parse(e.details).workspace_id === id).length;
    expect(await count({ workspace_ids: SEED_ORG.workspaces.operations })).toBe(
      inWorkspace(SEED_ORG.workspaces.operations),
    );
    expect(await count({ workspace_id: SEED_ORG.workspaces.sales })).toBe(
      inWorkspace(SEED_ORG.workspaces.sales),
    );

    const onEntity = all.filter((e) => Object.values(JSON.parse(e.details)).includes("wb_lead0001")).length;
    expect(onEntity).toBeGreaterThan(0);
    expect(await count({ entity_ids: "wb_lead0001" })).toBe(onEntity);
    expect(await count({ entity_id: "wb_lead0001" })).toBe(onEntity);

    // Filters combine with AND.
    const both = await logs({ event_types: "user_sign_in", user_ids: emulator.userId, page_size: 1000 });
    const expected = all.filter((e) => e.event_type === "user_sign_in" && e.user_id === emulator.userId);
    expect(expectPage(both).map((e) => e.event_id)).toEqual(expected.map((e) => e.event_id));
  });

  it("start_time / end_time bound the events (inclusive)", async () => {
    await start();
    const all = await allMay();
    const oneDay = expectPage(
      await logs({ start_time: "2026-05-10T00:00:00Z", end_time: "2026-05-10T23:59:59Z" }),
    );
    expect(oneDay.length).toBe(all.filter((e) => e.timestamp.startsWith("2026-05-10")).length);
    expect(oneDay.length).toBe(4);
    const exact = all[all.length - 1]!.timestamp; // the oldest event
    const pinned = expectPage(await logs({ start_time: exact, end_time: exact }));
    expect(pinned.map((e) => e.timestamp)).toEqual([exact]);
    expect(
      (await logs({ start_time: "2027-01-01T00:00:00Z", end_time: "2027-02-01T00:00:00Z" })).body.total_count,
    ).toBe(0);
  });

  it("each organization sees only its own events", async () => {
    await start();
    const res = await logs({ organization_id: SEED_ORG.otherOrganizationId }, "other");
    expect(expectPage(res)).toHaveLength(5);
    expect(res.body.audit_logs.every((e: AuditLog) => e.user_id === emulator.otherUser.userId)).toBe(true);
  });

  it("400 for each missing required parameter, bad dates, an end before the start, bad page / page_size", async () => {
    await start();
    for (const field of ["organization_id", "user_id", "start_time", "end_time"]) {
      const res = await logs({ [field]: undefined });
      expectError(res, 400, "invalid_request");
      expect(res.body.error.message).toContain(field);
    }
    expectError(await logs({ start_time: "last week" }), 400);
    expectError(await logs({ end_time: "2026-05-32T00:00:00Z" }), 400);
    expectError(await logs({ start_time: "2026-05-20T00:00:00Z", end_time: "2026-05-10T00:00:00Z" }), 400);
    for (const page of ["0", "-1", "abc", "1.5"]) expectError(await logs({ page }), 400);
    for (const page_size of ["0", "1001", "ten"]) expectError(await logs({ page_size }), 400);
    expect((await logs({ page_size: 1000 })).status).toBe(200);
  });

  it("403 for a member who is not an org admin, an admin of another organization, or a mismatched user_id", async () => {
    await start();
    expectError(await logs({}, "charles"), 403, "not_org_admin");
    expectError(await logs({}, "other"), 403, "not_org_admin");
    expectError(await logs({ user_id: SEED_ORG.nonAdmin.userId }), 403, "api_key_mismatch");
  });

  it("404 for an unknown organization; 401 without a key", async () => {
    await start();
    expectError(await logs({ organization_id: "org_does_not_exist" }), 404, "organization_not_found");
    expectError(await call(emulator, "GET", "/get_audit_logs", { query: { ...MAY }, auth: "none" }), 401);
  });

  it("403 tier_required_enterprise with the legacy flat body off the enterprise plan", async () => {
    await start({ plan: "pro" });
    const res = await logs();
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      error: "tier_required_enterprise",
      minimum_tier: "enterprise",
      denied_keys: ["audit_logs"],
    });
  });
});
