/**
 * Definitions carry the type of their answer (`responds<...>()`), and `client.call` infers it: no casts at call
 * sites. Checked by the type checker (`npm run typecheck` covers the tests); the calls below are never sent.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import type { GumloopClient } from "../../src/client/client.js";
import { responds, type RequestDefinition } from "../../src/client/definition.js";
import { ENDPOINTS } from "../../src/tools/index.js";
import type {
  ExportStatusAnswer,
  FlowRunBody,
  SavedItemsBody,
  SessionEnvelope,
} from "../../src/tools/responses.js";
import { resolveSessionApprovals } from "../../src/tools/sessionApprovals.js";

/** Type-checked, never called. */
async function typedAnswers(client: GumloopClient) {
  const run = await client.call(ENDPOINTS.get_single_gumloop_run_by_id, { run_id: "r" });
  expectTypeOf(run.data).toEqualTypeOf<FlowRunBody>();
  const flows = await client.call(ENDPOINTS.list_all_gumloop_flows);
  expectTypeOf(flows.data).toEqualTypeOf<SavedItemsBody>();
  const session = await client.call(ENDPOINTS.create_a_gumloop_session, { agent_id: "a", input: "i" });
  expectTypeOf(session.data).toEqualTypeOf<SessionEnvelope>();
  const exported = await client.call(ENDPOINTS.get_single_gumloop_data_export_by_id, { data_export_id: "e" });
  expectTypeOf(exported.data).toEqualTypeOf<ExportStatusAnswer>();
  const approved = await client.call(resolveSessionApprovals, { session_id: "s" });
  expectTypeOf(approved.data.stream_cursor).toEqualTypeOf<string | null | undefined>();
  // A definition that declares nothing answers unknown; an explicit type argument must agree with a declared one.
  const teams = await client.call(ENDPOINTS.list_all_gumloop_teams);
  expectTypeOf(teams.data).toEqualTypeOf<unknown>();
  // @ts-expect-error: a run is not a list of flows
  await client.call<SavedItemsBody>(ENDPOINTS.get_single_gumloop_run_by_id, { run_id: "r" });
}

describe("the type of an answer", () => {
  it("is inferred from the definition (checked by tsc)", () => {
    expectTypeOf(typedAnswers).toBeFunction();
  });

  it("is declared in the type alone: responds() returns the same object, with nothing added", () => {
    const plain: RequestDefinition = { name: "x", route: "GET /x" };
    const typed = responds<{ x: number }>()(plain);
    expectTypeOf<Awaited<ReturnType<GumloopClient["call"]>>>().toHaveProperty("data");
    expect(typed).toBe(plain);
    expect(Object.getOwnPropertySymbols(typed)).toEqual([]);
  });
});
