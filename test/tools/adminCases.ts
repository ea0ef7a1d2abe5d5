/** Cases for the enterprise-admin areas: exports, audit logs, organization membership. */
import { SEED_AGENTS } from "gumloop-emulator";
import type { ToolName } from "../../src/tools/index.js";
import type { DynamicIds, ToolCase } from "./caseTypes.js";

const RANGE = { start_date: "2026-01-01T00:00:00Z", end_date: "2026-06-01T00:00:00Z" };

export function adminCases(ids: DynamicIds) {
  const agentId = SEED_AGENTS.research;
  return {
    create_a_gumloop_export_datum: {
      required: {
        export_fields: ["agent_id", "agent_name"],
        data_type: "agents",
        include_all_workspaces: true,
        ...RANGE,
      },
      all: {
        data_type: "agents",
        export_fields: ["agent_id", "agent_name", "agent_model"],
        export_level: "workspace",
        workspace_ids: [ids.workspaceId],
        entity_ids: [agentId],
        include_all_workspaces: false,
        include_personal_workspaces: true,
        category_filter: "AGENT_RUN",
        ...RANGE,
      },
      method: "POST",
      path: "/export_data",
      body: [
        "data_type",
        "export_fields",
        "start_date",
        "end_date",
        "export_level",
        "workspace_ids",
        "entity_ids",
        "include_all_workspaces",
        "include_personal_workspaces",
        "category_filter",
        "user_id",
      ],
    },
    get_single_gumloop_data_export_by_id: {
      required: { data_export_id: ids.exportId },
      all: { data_export_id: ids.exportId, download: false },
      method: "GET",
      path: "/export_status",
      query: ["data_export_id", "download", "user_id"],
    },
    list_all_gumloop_audit_logs: {
      required: {
        organization_id: ids.organizationId,
        start_time: "2026-01-01T00:00:00Z",
        end_time: "2026-12-31T00:00:00Z",
      },
      all: {
        organization_id: ids.organizationId,
        start_time: "2026-01-01T00:00:00Z",
        end_time: "2026-12-31T00:00:00Z",
        event_types: ["user_sign_in"],
        workspace_ids: [ids.workspaceId],
        entity_ids: [agentId],
        page: 1,
        page_size: 10,
      },
      method: "GET",
      path: "/get_audit_logs",
      query: [
        "organization_id",
        "start_time",
        "end_time",
        "event_types",
        "workspace_ids",
        "entity_ids",
        "page",
        "page_size",
        "user_id",
      ],
    },
    update_a_gumloop_permission_group_user_by_id: {
      required: {
        organization_id: ids.organizationId,
        group_id: ids.groupId,
        action: "add",
        user_email: ids.memberEmail,
      },
      all: {
        organization_id: ids.organizationId,
        group_id: ids.groupId,
        action: "remove",
        user_email: ids.memberEmail,
      },
      method: "POST",
      path: "/manage_permission_group_users",
      body: ["organization_id", "group_id", "action", "user_email", "user_id"],
    },
    gumloop_workspace_users_bulk_update: {
      required: {
        organization_id: ids.organizationId,
        workspace_id: ids.workspaceId,
        action: "add",
        user_email: ids.memberEmail,
      },
      all: {
        organization_id: ids.organizationId,
        workspace_id: ids.workspaceId,
        action: "add",
        user_email: ids.memberEmail,
        is_admin: true,
      },
      method: "POST",
      path: "/manage_workspace_users",
      body: ["organization_id", "workspace_id", "action", "user_email", "is_admin", "user_id"],
    },
  } satisfies Partial<Record<ToolName, ToolCase>>;
}
