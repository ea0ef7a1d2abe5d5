/**
 * Agent evaluations (evaluations.yml): list (cursor pages, newest first, `grade` filter), metrics over a window of
 * days, one evaluation, and the agent's evaluation config (read, and a partial update in which a list replaces the
 * old one). Results and configs are in `store.ts`.
 *
 * Statuses follow the file: the list declares 400 only for an invalid `grade` (a bad cursor is 400 too; an
 * out-of-range `page_size` is clamped); metrics clamp `days` to 1-365; updating needs the Pro plan or above (403 on
 * Free) and answers 400 past the documented limits (30 criteria, 50 tags, 40 data points) or for a bad field.
 */
import { defineArea } from "../../area.js";
import { isPlainObject, json, type RequestContext, type Reply } from "../../server/context.js";
import { forbidden, invalidRequest, notFound } from "../../server/errors.js";
import { offsetPage, parsePageSize } from "../../server/pagination.js";
import { booleanField, objectArrayField, stringField } from "../../server/validate.js";
import { iso } from "../../world/time.js";
import { requireAgent } from "../agents/records.js";
import { configOf, evaluationsOf, type Criterion, type DataPoint, type EvaluationConfig } from "./store.js";

const GRADES = ["pass", "needs_review", "needs_attention"];
const DAY_MS = 86_400_000;

function listEvaluations(ctx: RequestContext): Reply {
  const agent = requireAgent(ctx, ctx.param("agent_id"));
  const grade = ctx.queryParam("grade");
  if (grade !== undefined && !GRADES.includes(grade)) {
    throw invalidRequest(`grade must be one of ${GRADES.join(", ")}`, "grade");
  }
  const pageSize = parsePageSize(ctx.queryParam("page_size"), { clamp: true });
  const all = evaluationsOf(ctx.env, agent, ctx.now)
    .map((e) => e.view)
    .filter((view) => !grade || view.grade === grade);
  const { page, nextCursor } = offsetPage(
    all,
    pageSize,
    ctx.queryParam("cursor"),
    JSON.stringify([agent.id, grade]),
  );
  return json(200, { evaluations: page, next_cursor: nextCursor });
}

function evaluationMetrics(ctx: RequestContext): Reply {
  const agent = requireAgent(ctx, ctx.param("agent_id"));
  const asked = Number(ctx.queryParam("days") ?? "30");
  const days = Number.isInteger(asked) ? Math.min(365, Math.max(1, asked)) : 30;
  const since = ctx.now - days * DAY_MS;
  const grades: Record<string, number> = { pass: 0, needs_review: 0, needs_attention: 0 };
  const tags: Record<string, number> = {};
  for (const { createdAt, view } of evaluationsOf(ctx.env, agent, ctx.now)) {
    if (createdAt < since) continue;
    grades[view.grade as string]!++;
    for (const tag of view.applied_tags as string[]) tags[tag] = (tags[tag] ?? 0) + 1;
  }
  return json(200, { grades, tags });
}

function retrieveEvaluation(ctx: RequestContext): Reply {
  const agent = requireAgent(ctx, ctx.param("agent_id"));
  const id = ctx.param("evaluation_id");
  const found = evaluationsOf(ctx.env, agent, ctx.now).find((e) => e.view.evaluation_id === id);
  if (!found) throw notFound("Evaluation", id);
  return json(200, { evaluation: found.view });
}

function readConfig(ctx: RequestContext): Reply {
  return json(200, { config: configOf(ctx.env, requireAgent(ctx, ctx.param("agent_id"))) });
}

/** An enum field of a list item; 400 naming the item otherwise. */
function oneOf<T extends string>(
  item: Record<string, unknown>,
  key: string,
  values: readonly T[],
  at: string,
  fallback: T,
): T {
  const value = item[key] ?? fallback;
  if (!values.includes(value as T))
    throw invalidRequest(`${at}.${key} must be one of ${values.join(", ")}`, `${at}.${key}`);
  return value as T;
}

/** A list field that replaces the old one: items checked, at most `max`. */
function listField(
  body: Record<string, unknown>,
  name: string,
  max: number,
): Record<string, unknown>[] | undefined {
  const items = objectArrayField(body, name);
  if (items && items.length > max) throw invalidRequest(`${name} takes at most ${max} items`, name);
  for (const item of items ?? []) {
    for (const key of ["name", ...(name === "criteria" ? ["prompt"] : [])]) {
      stringField(item, key, { required: true, nonEmpty: true });
    }
    stringField(item, "description", { nullable: true });
  }
  return items;
}

function updateConfig(ctx: RequestContext): Reply {
  if (ctx.env.options.plan === "free") {
    throw forbidden("Updating evaluations needs the Pro plan or above.", "evaluations_require_pro");
  }
  const agent = requireAgent(ctx, ctx.param("agent_id"));
  const body = ctx.jsonObject();
  // Check everything before changing anything.
  const enabled = booleanField(body, "enabled");
  const includeAutoTags = booleanField(body, "include_auto_tags");
  const modelName = stringField(body, "model_name", { nonEmpty: true });
  const criteria = listField(body, "criteria", 30)?.map((item, i): Criterion => ({
    id: `crit_${i + 1}`,
    name: item.name as string,
    prompt: item.prompt as string,
    type: oneOf(
      item,
      "type",
      ["prohibited_action", "prohibited_words", "voice_tone", "other"],
      `criteria[${i}]`,
      "other",
    ),
    priority: oneOf(item, "priority", ["needs_review", "needs_attention"], `criteria[${i}]`, "needs_review"),
  }));
  const tags = listField(body, "tags", 50)?.map((item) => ({
    name: item.name as string,
    description: (item.description as string | undefined) ?? "",
  }));
  const dataPoints = listField(body, "data_points", 40)?.map((item, i): DataPoint => ({
    id: `dp_${i + 1}`,
    name: item.name as string,
    data_type: oneOf(
      item,
      "data_type",
      ["string", "boolean", "integer", "number"],
      `data_points[${i}]`,
      "string",
    ),
    description: (item.description as string | undefined) ?? "",
  }));
  const sentiment = body.sentiment;
  if (sentiment !== undefined && !isPlainObject(sentiment))
    throw invalidRequest("sentiment must be an object", "sentiment");

  const config: EvaluationConfig = configOf(ctx.env, agent);
  if (enabled !== undefined) config.enabled = config.is_active = enabled;
  if (includeAutoTags !== undefined) config.include_auto_tags = includeAutoTags;
  if (typeof modelName === "string") config.model_name = modelName;
  if (criteria) config.criteria = criteria;
  if (tags) config.tags = tags;
  if (dataPoints) config.data_points = dataPoints;
  if (isPlainObject(sentiment)) {
    const current = config.sentiment ?? { enabled: false, affects_grade: false, description: "" };
    config.sentiment = {
      enabled: booleanField(sentiment, "enabled") ?? current.enabled,
      affects_grade: booleanField(sentiment, "affects_grade") ?? current.affects_grade,
      description: stringField(sentiment, "description") ?? current.description,
    };
  }
  config.updated_ts = iso(ctx.now);
  return json(200, { config });
}

/** The evaluations area. */
export const evaluationsArea = defineArea({
  name: "evaluations",
  routes(r) {
    const base = "/agents/{agent_id}";
    r.get(`${base}/evaluations`, listEvaluations, { statuses: [200, 400, 401, 403] });
    r.get(`${base}/evaluations/metrics`, evaluationMetrics, { statuses: [200, 401, 403] });
    r.get(`${base}/evaluations/{evaluation_id}`, retrieveEvaluation, { statuses: [200, 401, 404] });
    r.get(`${base}/evaluation-config`, readConfig, { statuses: [200, 401, 403] });
    r.patch(`${base}/evaluation-config`, updateConfig, { statuses: [200, 400, 401, 403] });
  },
});
