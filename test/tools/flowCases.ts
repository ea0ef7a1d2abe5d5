/** Cases for the flow areas: saved flows, workbooks, runs and the files they take and produce. */
import { SEED_FLOWS, SEED_RUNS } from "gumloop-emulator";
import type { ToolName } from "../../src/tools/index.js";
import type { DynamicIds, ToolCase } from "./caseTypes.js";

const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

export function flowCases(ids: DynamicIds) {
  return {
    get_single_gumloop_file_by_id: {
      required: {
        file_name: "solar-energy-storage-report.md",
        run_id: SEED_RUNS.report,
        saved_item_id: SEED_FLOWS.report,
      },
      all: {
        file_name: "solar-energy-storage-report.md",
        run_id: SEED_RUNS.report,
        saved_item_id: SEED_FLOWS.report,
        include_content: true,
      },
      method: "POST",
      path: "/download_file",
      body: ["file_name", "run_id", "saved_item_id", "user_id"],
    },
    list_all_gumloop_files: {
      required: { file_names: ["solar-energy-storage-report.md"], run_id: SEED_RUNS.report },
      all: {
        file_names: ["solar-energy-storage-report.md", "solar-energy-storage-data.csv"],
        run_id: SEED_RUNS.report,
        saved_item_id: SEED_FLOWS.report,
      },
      method: "POST",
      path: "/download_files",
      body: ["file_names", "run_id", "saved_item_id", "user_id"],
    },
    create_a_gumloop_file: {
      required: { file: { name: "notes.txt", content: "hello" } },
      all: { file: { name: "notes2.txt", content_base64: b64("hello again") } },
      method: "POST",
      path: "/upload_file",
      body: ["file_name", "file_content", "user_id"],
    },
    gumloop_files_bulk_create: {
      required: { file: [{ name: "a.txt", content: "a" }] },
      all: {
        file: [
          { name: "b.txt", content_base64: b64("b") },
          { name: "c.csv", content: "x,y\n1,2\n" },
        ],
      },
      method: "POST",
      path: "/upload_files",
      body: ["files", "user_id"],
    },
    list_all_gumloop_flows: {
      required: {},
      all: {},
      method: "GET",
      path: "/list_saved_items",
      query: ["user_id"],
    },
    list_all_gumloop_workbooks: {
      required: {},
      all: {},
      method: "GET",
      path: "/list_workbooks",
      query: ["user_id"],
    },
    get_single_gumloop_automation_by_id: {
      required: { saved_item_id: SEED_FLOWS.summarize },
      all: { saved_item_id: SEED_FLOWS.summarize },
      method: "GET",
      path: "/get_inputs",
      query: ["saved_item_id", "user_id"],
    },
    list_all_gumloop_automation_runs: {
      required: { saved_item_id: SEED_FLOWS.summarize },
      all: { saved_item_id: SEED_FLOWS.summarize, workbook_id: "wb_research0001" },
      method: "GET",
      path: "/get_plrun_saved_item_map",
      query: ["saved_item_id", "workbook_id", "user_id"],
    },
    delete_a_gumloop_flow_run_by_id: {
      required: { run_id: ids.runId },
      all: { run_id: ids.runId },
      method: "POST",
      path: "/kill_pipeline",
      body: ["run_id", "user_id"],
    },
    create_a_gumloop_flow_run: {
      required: { saved_item_id: SEED_FLOWS.summarize },
      all: {
        saved_item_id: SEED_FLOWS.summarize,
        inputs: { url: "https://example.com/article" },
        pipeline_inputs: [{ input_name: "focus", value: "costs" }],
      },
      method: "POST",
      path: "/start_pipeline",
      body: ["saved_item_id", "url", "pipeline_inputs", "user_id"],
    },
    get_single_gumloop_run_by_id: {
      required: { run_id: SEED_RUNS.report },
      all: { run_id: SEED_RUNS.report },
      method: "GET",
      path: "/get_pl_run",
      query: ["run_id", "user_id"],
    },
  } satisfies Partial<Record<ToolName, ToolCase>>;
}
