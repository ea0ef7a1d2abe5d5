/**
 * The bodies of Gumloop's answers, as far as this package reads them: declared on their definitions with
 * `responds<...>()` so that `client.call` returns them typed. Everything else in an answer passes through untouched
 * (index signatures where Gumloop sends more than we read).
 */
import type { BinaryBody } from "../client/decode.js";
import type { FlowInput } from "./flowInputs.js";

/** One message of a session. */
export interface GumloopMessage {
  readonly id?: string;
  readonly role: string;
  readonly content?: string | null;
  readonly parts?: readonly unknown[] | null;
  readonly created_at?: string;
}

/** An action waiting for a human decision (Gumloop documents only the id; the rest is what it sends in practice). */
export interface PendingApproval {
  readonly action_request_id: string;
  readonly title?: string;
  readonly tool_name?: string;
  readonly description?: string;
  readonly display_fields?: unknown;
  readonly [key: string]: unknown;
}

/** A Gumloop session: id, agent, state, messages, pending approvals; other fields pass through. */
export interface GumloopSession {
  readonly id: string;
  readonly agent_id: string;
  readonly state: string;
  readonly messages?: readonly GumloopMessage[];
  readonly pending_approvals?: readonly PendingApproval[] | null;
  readonly [key: string]: unknown;
}

/** The answer of every session operation: the session, and its place in Gumloop's queue. */
export interface SessionEnvelope {
  readonly session: GumloopSession;
  readonly queue_position?: number | null;
}

/** The answer to a session's approvals: the session, and the stream cursor its resumed run follows. */
export interface ApprovalsAnswer extends SessionEnvelope {
  readonly stream_cursor?: string | null;
}

/** `get_inputs`: a flow's declared inputs. */
export interface FlowInputsBody {
  readonly inputs?: FlowInput[];
}

/** A saved flow as `list_saved_items` lists it. */
export interface SavedItem {
  readonly saved_item_id: string;
  readonly name?: string;
  readonly description?: string | null;
}

/** `list_saved_items`: the user's saved flows. */
export interface SavedItemsBody {
  readonly saved_items?: SavedItem[];
}

/** `start_pipeline`: the new run's id and its page in Gumloop's UI. */
export interface FlowStartBody {
  readonly run_id: string;
  readonly url?: string;
}

/** `get_pl_run`: a flow run's state, outputs and log. */
export interface FlowRunBody {
  readonly state: string;
  readonly outputs?: Record<string, unknown> | null;
  readonly log?: readonly string[] | null;
  readonly [key: string]: unknown;
}

/** `get_plrun_saved_item_map`: run ids by flow id (Gumloop's map; its value shapes vary). */
export type FlowRunMapBody = Record<string, unknown> | null;

/** `export_data`: the new export's id, and its state when given. */
export interface ExportStartBody {
  readonly data_export_id: string;
  readonly state?: string;
}

/** `export_status`: where an export stands. */
export interface ExportStatusBody {
  readonly data_export_id?: string;
  readonly state: string;
}

/** `export_status`: where the export stands; with `download: true`, its CSV file (text, or bytes). */
export type ExportStatusAnswer = ExportStatusBody | string | BinaryBody;

/** `GET /artifacts/{id}/download`: a signed URL to the artifact's bytes. */
export interface ArtifactDownloadBody {
  readonly download_url: string;
  readonly filename?: string | null;
  readonly media_type?: string | null;
}
