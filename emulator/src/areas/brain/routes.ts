/**
 * Company Brain search (brain.yml `searchBrain`): `POST /brain/search` with `query`, `limit` (1-50, default 8) and
 * `source_type` (a non-empty list of source types, or omitted for all) answers ranked snippets with citations
 * from what the caller can see (corpus.ts).
 *
 * Brain needs the Pro or Enterprise plan: on Free the answer is 403 `brain_not_available`. Each search consumes
 * credits: the emulator charges 1 per search (inference: the price is not documented) against a per-user balance
 * of {@link DEFAULT_BRAIN_CREDITS}, answering 402 `credit_limit_exceeded` once it is spent. Set balances with
 * `seedData: { brain: { credits: 0 } }` (every user) or `{ brain: { credits: { "<user id>": 0 } } }`.
 */
import { defineArea, type AreaEnv } from "../../area.js";
import { isPlainObject, json, type RequestContext, type Reply } from "../../server/context.js";
import { ApiError, forbidden, invalidRequest } from "../../server/errors.js";
import { stringField } from "../../server/validate.js";
import { BRAIN_SOURCES, hitView, search, searchableDocuments, type BrainSource } from "./corpus.js";

/** Searches every user may run before the credit limit (unless `seedData.brain.credits` says otherwise). */
export const DEFAULT_BRAIN_CREDITS = 1_000;

interface BrainState {
  defaultCredits: number;
  balances: Map<string, number>;
  searches: number;
}

function brainState(env: AreaEnv): BrainState {
  return env.store.area("brain", () => ({
    defaultCredits: DEFAULT_BRAIN_CREDITS,
    balances: new Map<string, number>(),
    searches: 0,
  }));
}

const credits = (n: unknown): n is number => typeof n === "number" && Number.isInteger(n) && n >= 0;

/** Reads `seedData.brain` (`{ credits?: number | Record<userId, number> }`). */
function seedBrain(env: AreaEnv): void {
  const option = env.options.seedData.brain;
  if (option === undefined) return;
  const bad = () =>
    new TypeError("startEmulator: seedData.brain must be { credits?: number | Record<userId, number> }");
  if (!isPlainObject(option)) throw bad();
  const state = brainState(env);
  if (credits(option.credits)) state.defaultCredits = option.credits;
  else if (isPlainObject(option.credits)) {
    for (const [userId, n] of Object.entries(option.credits)) {
      if (!credits(n)) throw bad();
      state.balances.set(userId, n);
    }
  } else if (option.credits !== undefined) throw bad();
}

function parseLimit(value: unknown): number {
  if (value === undefined || value === null) return 8;
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > 50) {
    throw invalidRequest("limit must be an integer from 1 to 50", "limit");
  }
  return value as number;
}

function parseSources(value: unknown): ReadonlySet<BrainSource> | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value) || value.length === 0) {
    throw invalidRequest("source_type must be a non-empty list of source types, or omitted", "source_type");
  }
  for (const [i, item] of value.entries()) {
    if (!BRAIN_SOURCES.includes(item as BrainSource)) {
      throw invalidRequest(
        `source_type[${i}] must be one of ${BRAIN_SOURCES.join(", ")}`,
        `source_type[${i}]`,
      );
    }
  }
  return new Set(value as BrainSource[]);
}

function searchBrain(ctx: RequestContext): Reply {
  if (ctx.env.options.plan === "free") {
    throw forbidden("Company Brain needs the Pro or Enterprise plan.", "brain_not_available");
  }
  const body = ctx.jsonObject();
  const query = stringField(body, "query", { required: true, nonEmpty: true })!;
  const limit = parseLimit(body.limit);
  const sources = parseSources(body.source_type);
  const state = brainState(ctx.env);
  const userId = ctx.caller.userId;
  const balance = state.balances.get(userId) ?? state.defaultCredits;
  if (balance < 1) {
    throw new ApiError(
      402,
      "credit_limit_exceeded",
      "Credit limit exceeded: Brain searches consume credits.",
      {
        details: { balance },
      },
    );
  }
  state.balances.set(userId, balance - 1);
  state.searches++;
  const documents = searchableDocuments(ctx.env, ctx.caller).filter((d) => !sources || sources.has(d.source));
  return json(200, { results: search(documents, query).slice(0, limit).map(hitView) });
}

/** Read-only counts for `inspect()`. */
export interface BrainSnapshot {
  searches: number;
}

/** The Company Brain area. */
export const brainArea = defineArea({
  name: "brain",
  seed: (env: AreaEnv) => seedBrain(env),
  routes(r) {
    r.post("/brain/search", searchBrain, { statuses: [200, 400, 401, 402, 403, 500] });
  },
  inspect: (env): BrainSnapshot => ({ searches: brainState(env).searches }),
});
