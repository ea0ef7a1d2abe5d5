/**
 * Chat completions (chat-completions.yml `createChatCompletion`, tool 7): `POST /chat/completions`, served only by
 * the streaming host (`/ws/api/v1`, standing in for ws.gumloop.com). The REST host has no such route, so it
 * answers 404 like any unknown path ("api.gumloop.com does not serve this endpoint").
 *
 * `stream: false` → a `chat.completion` JSON body; `stream: true` → `text/event-stream` with one
 * `chat.completion.chunk` per delta (role, content pieces or tool-call deltas, then a final chunk with
 * `finish_reason` and `usage`) and a closing `data: [DONE]`. The model itself is in `reply.ts`, validation in
 * `request.ts`.
 *
 * Models: the ids `GET /models` lists (the models area's `MODEL_IDS`, presets such as `gumloop-chew` included),
 * the image-generation ids of `reply.ts`, and any `seedData.chat.models`; anything else is a 400 (documented
 * "unregistered model slug").
 *
 * Credits: each user starts with {@link DEFAULT_CHAT_CREDITS}; a completion costs
 * max(1, ceil((prompt_tokens + 4 × completion_tokens) / 1000)) credits, plus 30 for an image. When the caller's
 * balance is below the cost the answer is 402 `insufficient_credits` (the slug is inference; the status is
 * documented). Set balances with `seedData: { chat: { credits: 0 } }` (every user) or
 * `{ chat: { credits: { "<user id>": 0 } } }` (per user); add model ids with `{ chat: { models: ["my-model"] } }`.
 */
import { defineArea, type AreaEnv } from "../../area.js";
import { isPlainObject, json, raw, type RequestContext, type Reply } from "../../server/context.js";
import { ApiError } from "../../server/errors.js";
import { parseChatRequest } from "./request.js";
import { answer, IMAGE_MODELS, type ModelAnswer } from "./reply.js";
import { MODEL_IDS } from "../models/routes.js";

/** Starting credit balance of every user (unless `seedData.chat.credits` says otherwise). */
export const DEFAULT_CHAT_CREDITS = 10_000;

interface ChatState {
  defaultCredits: number;
  balances: Map<string, number>;
  extraModels: Set<string>;
  completions: number;
  streamed: number;
}

function chatState(env: AreaEnv): ChatState {
  return env.store.area("chat", () => ({
    defaultCredits: DEFAULT_CHAT_CREDITS,
    balances: new Map<string, number>(),
    extraModels: new Set<string>(),
    completions: 0,
    streamed: 0,
  }));
}

const credits = (n: unknown) => typeof n === "number" && Number.isFinite(n) && n >= 0;

/** Reads `seedData.chat` (`{ credits?: number | Record<userId, number>, models?: string[] }`). */
function seedChat(env: AreaEnv): void {
  const option = env.options.seedData.chat;
  if (option === undefined) return;
  const bad = () =>
    new TypeError(
      "startEmulator: seedData.chat must be { credits?: number | Record<userId, number>, models?: string[] }",
    );
  if (!isPlainObject(option)) throw bad();
  const state = chatState(env);
  if (credits(option.credits)) state.defaultCredits = option.credits as number;
  else if (isPlainObject(option.credits)) {
    for (const [userId, n] of Object.entries(option.credits)) {
      if (!credits(n)) throw bad();
      state.balances.set(userId, n as number);
    }
  } else if (option.credits !== undefined) throw bad();
  if (option.models !== undefined) {
    if (!Array.isArray(option.models) || option.models.some((m) => typeof m !== "string")) throw bad();
    for (const m of option.models as string[]) state.extraModels.add(m);
  }
}

function balanceOf(state: ChatState, userId: string): number {
  return state.balances.get(userId) ?? state.defaultCredits;
}

function costOf(result: ModelAnswer): number {
  const { prompt_tokens, completion_tokens } = result.usage;
  return (
    Math.max(1, Math.ceil((prompt_tokens + 4 * completion_tokens) / 1000)) + (result.images.length ? 30 : 0)
  );
}

function createCompletion(ctx: RequestContext): Reply | undefined {
  const state = chatState(ctx.env);
  const known = (id: string) =>
    MODEL_IDS.includes(id) || IMAGE_MODELS.includes(id) || state.extraModels.has(id);
  const req = parseChatRequest(ctx.jsonObject(), known);
  const result = answer(req);
  const userId = ctx.caller.userId;
  const cost = costOf(result);
  const balance = balanceOf(state, userId);
  if (balance < cost) {
    throw new ApiError(
      402,
      "insufficient_credits",
      `Insufficient credits: this completion costs ${cost} credits and the balance is ${balance}.`,
      { details: { required: cost, balance } },
    );
  }
  state.balances.set(userId, balance - cost);
  state.completions++;

  const id = `chatcmpl-${ctx.env.ids.next("", 14)}`;
  const created = Math.floor(ctx.now / 1000);
  const toolCalls = result.toolCalls.map((call) => ({
    id: `call_${ctx.env.ids.next("", 12)}`,
    type: "function",
    function: { name: call.name, arguments: call.arguments },
  }));
  if (!req.stream) {
    const message: Record<string, unknown> = { role: "assistant", content: result.content };
    if (toolCalls.length) message.tool_calls = toolCalls;
    if (result.images.length) message.images = result.images;
    return json(200, {
      id,
      object: "chat.completion",
      created,
      model: req.model,
      choices: [{ index: 0, finish_reason: result.finishReason, message }],
      usage: result.usage,
    });
  }

  state.streamed++;
  const chunk = (delta: Record<string, unknown>, finish: string | null = null, extra: object = {}) => ({
    id,
    object: "chat.completion.chunk",
    created,
    model: req.model,
    choices: [{ index: 0, delta, finish_reason: finish }],
    ...extra,
  });
  const chunks: unknown[] = [chunk({ role: "assistant", content: "" })];
  // Content in word-sized pieces (each keeps its trailing whitespace), so joining the deltas restores it exactly.
  for (const piece of result.content.match(/\S+\s*|\s+/g) ?? []) chunks.push(chunk({ content: piece }));
  toolCalls.forEach((call, index) => {
    chunks.push(
      chunk({
        tool_calls: [
          { index, id: call.id, type: "function", function: { name: call.function.name, arguments: "" } },
        ],
      }),
    );
    chunks.push(chunk({ tool_calls: [{ index, function: { arguments: call.function.arguments } }] }));
  });
  if (result.images.length) chunks.push(chunk({ images: result.images }));
  chunks.push(chunk({}, result.finishReason, { usage: result.usage }));

  // Returned as one reply rather than written to `ctx.res`: the emulator has every event up front anyway, and a
  // reply goes through the core, so phase-"after" faults (status, malformed, truncated, drop...) apply to it.
  const events = chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).join("") + "data: [DONE]\n\n";
  return raw(200, events, "text/event-stream; charset=utf-8", { "cache-control": "no-cache" });
}

/** Read-only counts for `inspect()`. */
export interface ChatSnapshot {
  completions: number;
  streamed: number;
  /** Credit balance per seeded user (and any user given a balance). */
  credits: Record<string, number>;
}

/** The chat-completions area. */
export const chatArea = defineArea({
  name: "chat",
  seed: (env: AreaEnv) => seedChat(env),
  routes(r) {
    r.post("/chat/completions", createCompletion, {
      host: "stream",
      statuses: [200, 400, 401, 402, 404, 501, 502],
    });
  },
  inspect(env): ChatSnapshot {
    const state = chatState(env);
    const balances: Record<string, number> = {};
    for (const userId of env.store.users.keys()) balances[userId] = balanceOf(state, userId);
    for (const [userId, n] of state.balances) balances[userId] = n;
    return { completions: state.completions, streamed: state.streamed, credits: balances };
  },
});
