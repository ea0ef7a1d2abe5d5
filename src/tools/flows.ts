/**
 * Flows (Gumloop's older "pipeline" API): saved flows, workbooks, input schemas, runs.
 * These routes take the user and team (`project_id`) as parameters: the client fills them from its configuration,
 * and a model may pass them (Truto requires `user_id` on three of these tools) unless the manager pins identity.
 */
import { z } from "zod";
import { id, jsonObject, modelSchema } from "./fields.js";
import { CREATE, READ, defineEndpoint } from "./types.js";
import { flowInputIssues } from "./flowInputs.js";
import { responds } from "../client/definition.js";
import type {
  FlowInputsBody,
  FlowRunBody,
  FlowRunMapBody,
  FlowStartBody,
  SavedItemsBody,
} from "./responses.js";

const IN_QUERY = { user_id: "query", project_id: "query" } as const;
const IN_BODY = { user_id: "body", project_id: "body" } as const;
const IDENTITY = ["user_id", "project_id"] as const;

export const list_all_gumloop_flows = responds<SavedItemsBody>()(
  defineEndpoint({
    name: "list_all_gumloop_flows",
    method: "read",
    tags: ["flows"],
    route: "GET /list_saved_items",
    context: IN_QUERY,
    identity: IDENTITY,
    requiresContext: true,
    result: "saved_items",
    description: "List saved flows (saved_item_id, name).",
    annotations: READ,
    input: () => z.object({}),
  }),
);

export const list_all_gumloop_workbooks = defineEndpoint({
  name: "list_all_gumloop_workbooks",
  method: "read",
  tags: ["flows"],
  route: "GET /list_workbooks",
  context: IN_QUERY,
  identity: IDENTITY,
  requiresContext: true,
  result: "workbooks",
  description: "List workbooks and their flows (saved_items).",
  annotations: READ,
  input: () => z.object({}),
});

export const get_single_gumloop_automation_by_id = responds<FlowInputsBody>()(
  defineEndpoint({
    name: "get_single_gumloop_automation_by_id",
    method: "read",
    tags: ["flows"],
    route: "GET /get_inputs",
    context: IN_QUERY,
    identity: IDENTITY,
    requiresContext: true,
    result: "inputs",
    description: "A flow's inputs, for create_a_gumloop_flow_run.",
    annotations: READ,
    input: () => z.object({ saved_item_id: id("Flow id") }),
  }),
);

export const list_all_gumloop_automation_runs = responds<FlowRunMapBody>()(
  defineEndpoint({
    name: "list_all_gumloop_automation_runs",
    method: "read",
    tags: ["flows"],
    route: "GET /get_plrun_saved_item_map",
    context: IN_QUERY,
    identity: IDENTITY,
    requiresContext: true,
    description: "Last 10 runs of a flow, or of each flow in a workbook.",
    annotations: READ,
    input: () =>
      z
        .object({
          saved_item_id: id("Flow id").optional(),
          workbook_id: id("Workbook id").optional(),
        })
        .superRefine((value, context) => {
          // Gumloop requires one of the two (Truto lists only user_id): the message names the fix.
          if (!value.saved_item_id && !value.workbook_id) {
            context.addIssue({
              code: "custom",
              path: ["saved_item_id"],
              message:
                "Gumloop needs saved_item_id or workbook_id (from list_all_gumloop_flows or list_all_gumloop_workbooks)",
            });
          }
        }),
  }),
);

/** Gumloop's own input list, `[{input_name, value}]`, as its older docs and SDK send it. */
const pipelineInput = () =>
  modelSchema(
    z.object({ input_name: z.string().describe("Input name"), value: z.string().describe("Value") }),
  );

export const create_a_gumloop_flow_run = responds<FlowStartBody>()(
  defineEndpoint({
    name: "create_a_gumloop_flow_run",
    method: "write",
    tags: ["flows"],
    route: "POST /start_pipeline",
    context: IN_BODY,
    identity: IDENTITY,
    // Unlike the other flow routes, start_pipeline documents user_id as required, project_id as optional.
    requiresContext: "user_id",
    spread: "inputs",
    reconcileHint: "Check recent runs with list_all_gumloop_automation_runs before starting it again.",
    description:
      "Start a flow run (inputs: get_single_gumloop_automation_by_id); poll its run_id with get_single_gumloop_run_by_id until DONE, FAILED or TERMINATED.",
    annotations: CREATE,
    spendsCredits: true,
    input: () =>
      z
        .object({
          saved_item_id: id("Flow id"),
          inputs: jsonObject("Inputs by name").optional(),
          pipeline_inputs: z.array(pipelineInput()).optional().describe("Or as a list"),
        })
        .superRefine((value, context) => {
          const listed = Object.fromEntries(
            (value.pipeline_inputs ?? []).map((item) => [item.input_name, item.value]),
          );
          for (const issue of flowInputIssues({ ...(value.inputs ?? {}), ...listed })) {
            context.addIssue({ code: "custom", path: issue.field.split("."), message: issue.message });
          }
        }),
  }),
);

export const get_single_gumloop_run_by_id = responds<FlowRunBody>()(
  defineEndpoint({
    name: "get_single_gumloop_run_by_id",
    method: "read",
    tags: ["flows"],
    route: "GET /get_pl_run",
    context: IN_QUERY,
    identity: IDENTITY,
    requiresContext: true,
    description: "Get a flow run's state, outputs and log.",
    annotations: READ,
    input: () => z.object({ run_id: id("Run id") }),
  }),
);

export const delete_a_gumloop_flow_run_by_id = defineEndpoint({
  name: "delete_a_gumloop_flow_run_by_id",
  method: "write",
  tags: ["flows"],
  route: "POST /kill_pipeline",
  context: IN_BODY,
  identity: IDENTITY,
  requiresContext: true,
  description: "Stop a flow run and its subflows.",
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true },
  input: () => z.object({ run_id: id("Run id") }),
});
