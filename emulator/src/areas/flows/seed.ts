/**
 * Default seed of the flows area: fixed ids and dates (before the virtual clock's 2026-06-01 start), so every run
 * sees the same workbooks, flows and run history. Two `seedData` keys are merged in:
 *
 *   seedData: {
 *     workbooks: [{ id?, name, description?, team_id?, owner?: "user" | "otherUser", created_at? }],
 *     flows: [{ id?, name, description?, workbook_id?, behavior?, created_at?,
 *               inputs?: [{ name, data_type?: "string" | "file", description?, required? }] }],
 *   }
 *
 * A workbook with `team_id` lives in that team (listed with `project_id`), else in its owner's personal space.
 * A flow without `workbook_id` goes to {@link SEED_WORKBOOKS.research}. `behavior` (default: from the name, see
 * {@link behaviorForFlowName}) picks what a run computes; `inputs` default to that behaviour's inputs.
 */
import type { AreaEnv } from "../../area.js";
import { parseIso } from "../../world/time.js";
import { seedUploadFile, SEED_UPLOAD } from "../files/seed.js";
import { completedRun } from "./runs.js";
import {
  flowsState,
  type FlowBehavior,
  type FlowInput,
  type FlowRecord,
  type WorkbookRecord,
} from "./store.js";

/** Ids of the seeded workbooks. */
export const SEED_WORKBOOKS = {
  /** "Research Automations" (default user, personal): Summarize Article, Generate Report. */
  research: "wb_research0001",
  /** "Diagnostics" (default user, personal): Always Fails. */
  diagnostics: "wb_diagnostic02",
  /** "Team Operations" (the default user's team `team_4f8c92ab`, listed with `project_id`): Team Digest. */
  team: "wb_teamOps00003",
  /** "Compiler Workbook" (the other user, personal): Compiler Checks, for 403 tests. */
  otherUser: "wb_otherUser004",
} as const;

/** Ids of the seeded flows (saved items). */
export const SEED_FLOWS = {
  /** "Summarize Article": `url` (string, required), `focus` (string, optional) → outputs `summary`, `title`. */
  summarize: "flow_summarise01",
  /**
   * "Generate Report": `topic` (string, required), `source_file` (file, optional: the name of an uploaded file)
   * → files `<topic-slug>-report.md` and `<topic-slug>-data.csv`; outputs `report_file`, `data_file`, `summary`.
   */
  report: "flow_report00002",
  /** "Always Fails": ends FAILED with a log line saying why. */
  failing: "flow_failing0003",
  /** "Team Digest" (team workbook): `text` (string, required) → outputs `text` and `result`. */
  teamDigest: "flow_teamDigest4",
  /** "Compiler Checks": the other user's flow. */
  otherUsers: "flow_otherUser05",
} as const;

/** Ids of the seeded runs (all finished). */
export const SEED_RUNS = {
  /** Twelve DONE runs of Summarize Article, 2026-05-10 .. 05-21 (history shows the 10 newest). */
  summarize: Array.from({ length: 12 }, (_, i) => `run_seedSumm${String(i + 1).padStart(2, "0")}`),
  /**
   * DONE run of Generate Report (topic "Solar energy storage", source_file `quarterly-notes.txt`): its files are
   * `solar-energy-storage-report.md`, `solar-energy-storage-data.csv` and the input `quarterly-notes.txt`.
   */
  report: "run_seedReport01",
  /** A Generate Report run killed at half time (TERMINATED). */
  killed: "run_seedKilled01",
  /** A FAILED run of Always Fails. */
  failed: "run_seedFailed01",
  /** A DONE run of Team Digest. */
  team: "run_seedTeam0001",
  /** The other user's DONE run (403 tests). */
  otherUsers: "run_seedOther001",
} as const;

/** Inputs of each behaviour, used when a seeded flow names none. */
export function defaultInputs(behavior: FlowBehavior): FlowInput[] {
  switch (behavior) {
    case "summarize":
      return [
        { name: "url", dataType: "string", description: "URL of the article to summarize", required: true },
        { name: "focus", dataType: "string", description: null, required: false },
      ];
    case "report":
      return [
        { name: "topic", dataType: "string", description: "Topic of the report", required: true },
        {
          name: "source_file",
          dataType: "file",
          description: "Optional source document (the name of an uploaded file)",
          required: false,
        },
      ];
    case "fail":
      return [];
    case "echo":
      return [{ name: "text", dataType: "string", description: "Text to process", required: true }];
  }
}

/** What a flow does, from its name: summar… → summarize, report → report, fail/flaky/broken → fail, else echo. */
export function behaviorForFlowName(name: string): FlowBehavior {
  if (/summar/i.test(name)) return "summarize";
  if (/report/i.test(name)) return "report";
  if (/fail|flaky|broken/i.test(name)) return "fail";
  return "echo";
}

const at = (isoDate: string) => parseIso(isoDate)!;

function addWorkbook(env: AreaEnv, workbook: WorkbookRecord): WorkbookRecord {
  flowsState(env).workbooks.set(workbook.id, workbook);
  return workbook;
}

function addFlow(env: AreaEnv, flow: FlowRecord): FlowRecord {
  const state = flowsState(env);
  state.flows.set(flow.id, flow);
  state.workbooks.get(flow.workbookId)!.flowIds.push(flow.id);
  return flow;
}

/** Seeds the default workbooks, flows and runs, then `seedData.workbooks` and `seedData.flows`. */
export function seedFlows(env: AreaEnv): void {
  const { identity } = env;
  const me = identity.userId;
  const other = identity.otherUser.userId;
  const book = (
    id: string,
    name: string,
    description: string,
    userId: string,
    teamId: string | null,
    created: string,
  ) => addWorkbook(env, { id, name, description, userId, teamId, createdAt: at(created), flowIds: [] });
  book(
    SEED_WORKBOOKS.research,
    "Research Automations",
    "Summaries and reports",
    me,
    null,
    "2026-04-01T09:00:00Z",
  );
  book(
    SEED_WORKBOOKS.diagnostics,
    "Diagnostics",
    "Flows for testing error handling",
    me,
    null,
    "2026-04-02T09:00:00Z",
  );
  book(
    SEED_WORKBOOKS.team,
    "Team Operations",
    "Shared team flows",
    me,
    identity.teamId,
    "2026-04-03T09:00:00Z",
  );
  book(
    SEED_WORKBOOKS.otherUser,
    "Compiler Workbook",
    "Another user's flows",
    other,
    null,
    "2026-04-04T09:00:00Z",
  );

  const flow = (
    id: string,
    workbookId: string,
    name: string,
    description: string,
    behavior: FlowBehavior,
    created: string,
  ) =>
    addFlow(env, {
      id,
      workbookId,
      name,
      description,
      behavior,
      createdAt: at(created),
      inputs: defaultInputs(behavior),
    });
  const summarize = flow(
    SEED_FLOWS.summarize,
    SEED_WORKBOOKS.research,
    "Summarize Article",
    "Scrapes an article and summarizes it",
    "summarize",
    "2026-04-10T09:00:00Z",
  );
  const report = flow(
    SEED_FLOWS.report,
    SEED_WORKBOOKS.research,
    "Generate Report",
    "Writes a markdown report and a CSV of key figures on a topic",
    "report",
    "2026-04-11T09:00:00Z",
  );
  const failing = flow(
    SEED_FLOWS.failing,
    SEED_WORKBOOKS.diagnostics,
    "Always Fails",
    "Calls a broken service and fails, for error-handling tests",
    "fail",
    "2026-04-12T09:00:00Z",
  );
  const team = flow(
    SEED_FLOWS.teamDigest,
    SEED_WORKBOOKS.team,
    "Team Digest",
    "Turns a note into a team digest",
    "echo",
    "2026-04-13T09:00:00Z",
  );
  const others = flow(
    SEED_FLOWS.otherUsers,
    SEED_WORKBOOKS.otherUser,
    "Compiler Checks",
    "Runs the compiler test suite",
    "echo",
    "2026-04-14T09:00:00Z",
  );

  SEED_RUNS.summarize.forEach((id, i) => {
    const day = String(10 + i).padStart(2, "0");
    completedRun(env, {
      id,
      flow: summarize,
      userId: me,
      inputs: { url: `https://example.com/articles/article-${String(i + 1).padStart(2, "0")}` },
      createdAt: at(`2026-05-${day}T09:00:00Z`),
    });
  });
  completedRun(env, {
    id: SEED_RUNS.report,
    flow: report,
    userId: me,
    inputs: { topic: "Solar energy storage", source_file: SEED_UPLOAD.name },
    files: new Map([[SEED_UPLOAD.name, seedUploadFile()]]),
    createdAt: at("2026-05-25T10:00:00Z"),
  });
  completedRun(env, {
    id: SEED_RUNS.killed,
    flow: report,
    userId: me,
    inputs: { topic: "Tidal power" },
    createdAt: at("2026-05-26T10:00:00Z"),
    killedAt: 0.5,
  });
  completedRun(env, {
    id: SEED_RUNS.failed,
    flow: failing,
    userId: me,
    inputs: {},
    createdAt: at("2026-05-27T10:00:00Z"),
  });
  completedRun(env, {
    id: SEED_RUNS.team,
    flow: team,
    userId: me,
    inputs: { text: "Weekly sync notes" },
    createdAt: at("2026-05-28T10:00:00Z"),
  });
  completedRun(env, {
    id: SEED_RUNS.otherUsers,
    flow: others,
    userId: other,
    inputs: { text: "run all tests" },
    createdAt: at("2026-05-29T10:00:00Z"),
  });

  seedExtra(env);
}

/** A seeded workbook of `seedData.workbooks`. */
export interface SeedWorkbook {
  /** @default a generated id */
  id?: string;
  name: string;
  /** @default "" */
  description?: string;
  /** Team (project) the workbook lives in. @default none (the owner's personal space) */
  team_id?: string;
  /** @default "user" */
  owner?: "user" | "otherUser";
  /** ISO 8601. @default 2026-05-01T09:00:00Z */
  created_at?: string;
}

/** A seeded flow of `seedData.flows`. */
export interface SeedFlow {
  /** @default a generated id */
  id?: string;
  name: string;
  /** @default "" */
  description?: string;
  /** @default SEED_WORKBOOKS.research */
  workbook_id?: string;
  /** @default from the name ({@link behaviorForFlowName}) */
  behavior?: FlowBehavior;
  /** @default the behaviour's inputs ({@link defaultInputs}) */
  inputs?: { name: string; data_type?: "string" | "file"; description?: string | null; required?: boolean }[];
  /** ISO 8601. @default 2026-05-01T09:00:00Z */
  created_at?: string;
}

function list<T>(value: unknown, key: string): T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new TypeError(`startEmulator: seedData.${key} must be an array`);
  value.forEach((item, i) => {
    if (typeof item?.name !== "string" || !item.name) {
      throw new TypeError(`startEmulator: seedData.${key}[${i}].name must be a non-empty string`);
    }
  });
  return value as T[];
}

function seedExtra(env: AreaEnv): void {
  const { identity, options } = env;
  const fallback = at("2026-05-01T09:00:00Z");
  const when = (value: string | undefined) => (value && parseIso(value)) || fallback;
  for (const wb of list<SeedWorkbook>(options.seedData.workbooks, "workbooks")) {
    addWorkbook(env, {
      id: wb.id ?? env.ids.next("wb_", 12),
      name: wb.name,
      description: wb.description ?? "",
      userId: wb.owner === "otherUser" ? identity.otherUser.userId : identity.userId,
      teamId: wb.team_id ?? null,
      createdAt: when(wb.created_at),
      flowIds: [],
    });
  }
  list<SeedFlow>(options.seedData.flows, "flows").forEach((seed, i) => {
    const workbookId = seed.workbook_id ?? SEED_WORKBOOKS.research;
    if (!flowsState(env).workbooks.has(workbookId)) {
      throw new TypeError(
        `startEmulator: seedData.flows[${i}].workbook_id ${workbookId} is not a seeded workbook`,
      );
    }
    const behavior = seed.behavior ?? behaviorForFlowName(seed.name);
    addFlow(env, {
      id: seed.id ?? env.ids.next("flow_", 12),
      workbookId,
      name: seed.name,
      description: seed.description ?? "",
      behavior,
      createdAt: when(seed.created_at),
      inputs: seed.inputs
        ? seed.inputs.map((input) => ({
            name: input.name,
            dataType: input.data_type ?? "string",
            description: input.description ?? null,
            required: input.required ?? false,
          }))
        : defaultInputs(behavior),
    });
  });
}
