/** Session records as Gumloop returns them (sessions.yml plus the Oct-spec `usage` and `pending_approvals`). */
import type { AreaEnv } from "../../area.js";
import type { MessageRecord, PendingApprovalRecord, SessionRecord, UsageRecord } from "../../world/model.js";
import { iso } from "../../world/time.js";
import { publicTools } from "../agents/records.js";

/** A message on the wire. */
export function messageView(message: MessageRecord): Record<string, unknown> {
  return {
    id: message.id,
    role: message.role,
    content: message.content,
    created_at: iso(message.createdAt),
    creator_id: message.creatorId,
    parts: message.parts === null ? null : structuredClone(message.parts),
  };
}

/** Usage totals on the wire (every count null until the first run records usage). */
export function usageView(usage: UsageRecord): Record<string, number | null> {
  return {
    credit_cost: usage.creditCost,
    tool_credit_cost: usage.toolCreditCost,
    flow_credit_cost: usage.flowCreditCost,
    input_tokens: usage.inputTokens,
    cached_input_tokens: usage.cachedInputTokens,
    cache_write_input_tokens: usage.cacheWriteInputTokens,
    output_tokens: usage.outputTokens,
    reasoning_tokens: usage.reasoningTokens,
  };
}

/** An unanswered ask on the wire. */
export function pendingApprovalView(ask: PendingApprovalRecord): Record<string, unknown> {
  return {
    action_request_id: ask.actionRequestId,
    type: ask.type,
    title: ask.title,
    reason: ask.reason,
    recipient_user_id: ask.recipientUserId,
    tool_name: ask.toolName,
    server_label: ask.serverLabel,
    display_fields: ask.displayFields === null ? null : ask.displayFields.map((pair) => [...pair]),
    questions: ask.questions === null ? null : structuredClone(ask.questions),
  };
}

/** The full session object (retrieve, create, send message, resolve approvals). */
export function sessionView(env: AreaEnv, session: SessionRecord): Record<string, unknown> {
  const agent = env.store.agents.get(session.agentId);
  const participants: Record<string, unknown> = {};
  for (const userId of session.participantIds) {
    const user = env.store.users.get(userId);
    if (user) participants[userId] = { first_name: user.firstName, last_name: user.lastName };
  }
  return {
    id: session.id,
    agent_id: session.agentId,
    name: session.name,
    type: session.type,
    messages: session.messages.map(messageView),
    created_at: iso(session.createdAt),
    state: session.state,
    agent_name: agent?.name ?? null,
    agent_team_id: agent?.teamId ?? null,
    agent_creator_user_id: agent?.creatorId ?? null,
    agent_icon_url: agent?.iconUrl ?? null,
    agent_tools: agent ? publicTools(agent.tools) : [],
    participants,
    creator: env.store.creatorView(session.creatorId),
    usage: usageView(session.usage),
    pending_approvals: session.pendingApprovals
      .filter((ask) => ask.resolution === null)
      .map(pendingApprovalView),
    // Not in the documented schema: where the create-session `metadata` ends up ("stored under metadata.client").
    metadata: structuredClone(session.metadata),
  };
}

/** The cancel response: an envelope in which "only id, agent_id and state are populated". */
export function cancelledView(session: SessionRecord): Record<string, unknown> {
  return {
    id: session.id,
    agent_id: session.agentId,
    messages: [],
    created_at: null,
    state: session.state,
    agent_name: null,
    agent_team_id: null,
    agent_creator_user_id: null,
    agent_icon_url: null,
    agent_tools: [],
    participants: {},
    creator: null,
  };
}

/** A list item of `GET /agents/{agent_id}/sessions` ("messages are not included in list responses"). */
export function sessionListItem(env: AreaEnv, session: SessionRecord): Record<string, unknown> {
  return {
    id: session.id,
    agent_id: session.agentId,
    name: session.name,
    type: session.type,
    messages: [],
    created_at: iso(session.createdAt),
    state: session.state,
    agent_name: env.store.agents.get(session.agentId)?.name ?? null,
    creator: env.store.creatorView(session.creatorId),
  };
}
