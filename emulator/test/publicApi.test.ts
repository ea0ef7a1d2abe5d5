/** Pins the public surface: an export added or removed is a deliberate API change. */
import { describe, expect, it } from "vitest";

describe("public surface", () => {
  it("exports exactly these names from gumloop-emulator", async () => {
    const surface = Object.keys(await import("../src/index.js")).sort();
    expect(surface).toMatchInlineSnapshot(`
      [
        "DEFAULT_DURATIONS",
        "DEFAULT_IDENTITY",
        "DEFAULT_VIRTUAL_START",
        "EXPORT_FAIL_ENTITY_ID",
        "FaultController",
        "MODEL_IDS",
        "PLAN_OVERFLOW",
        "PLAN_SLOTS",
        "RealClock",
        "SEED_AGENTS",
        "SEED_FLOWS",
        "SEED_MCP_SERVERS",
        "SEED_ORG",
        "SEED_RUNS",
        "SEED_SESSIONS",
        "SEED_SKILLS",
        "SEED_SKILL_VERSIONS",
        "SEED_UPLOAD",
        "SEED_WORKBOOKS",
        "VirtualClock",
        "startEmulator",
      ]
    `);
  });
});
