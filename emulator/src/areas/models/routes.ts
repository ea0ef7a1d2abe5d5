/**
 * Models (models.yml; tool 20): the model picker's groups. Gumloop calls the group shape "open" and a passthrough
 * payload; the keys used here (`groupLabel`, `options[].value/label/status`) are the ones the official CLI reads.
 * Which models exist and their `status` values are the emulator's choice (inference); the list includes every
 * model id the rest of the emulator's seed uses.
 */
import { defineArea } from "../../area.js";
import { json, type RequestContext, type Reply } from "../../server/context.js";

/** One option of a group. */
export interface ModelOption {
  /** The model id to pass as `model_name` / `model`. */
  value: string;
  label: string;
  status: string;
}

/** One group of the picker. */
export interface ModelGroup {
  groupLabel: string;
  options: ModelOption[];
}

const option = (value: string, label: string, status = "available"): ModelOption => ({
  value,
  label,
  status,
});

/** The groups `GET /models` returns. */
export const MODEL_GROUPS: readonly ModelGroup[] = [
  {
    groupLabel: "Anthropic",
    options: [
      option("anthropic/claude-sonnet-4", "Claude Sonnet 4"),
      option("claude-sonnet-4-5", "Claude Sonnet 4.5"),
      option("claude-opus-4-1", "Claude Opus 4.1"),
      option("claude-3-5-haiku", "Claude 3.5 Haiku"),
    ],
  },
  {
    groupLabel: "OpenAI",
    options: [
      option("gpt-4o-mini", "GPT-4o mini"),
      option("gpt-4o", "GPT-4o"),
      option("gpt-4.1", "GPT-4.1"),
      option("o3", "o3", "beta"),
    ],
  },
  {
    groupLabel: "Google",
    options: [option("gemini-2.5-pro", "Gemini 2.5 Pro"), option("gemini-2.5-flash", "Gemini 2.5 Flash")],
  },
  {
    groupLabel: "Presets",
    options: [option("gumloop-chew", "Auto (Gumloop router)")],
  },
];

/** Every model id the emulator lists (all groups of `GET /models`). */
export const MODEL_IDS: readonly string[] = MODEL_GROUPS.flatMap((g) => g.options.map((o) => o.value));

function listModels(ctx: RequestContext): Reply {
  // team_id is optional; a team the caller is not in is a 403 ("no agent access on the requested team").
  ctx.teamScope("query");
  return json(200, { model_groups: structuredClone(MODEL_GROUPS) });
}

/** The models area. */
export const modelsArea = defineArea({
  name: "models",
  routes(r) {
    r.get("/models", listModels, { statuses: [200, 401, 403, 500] });
  },
});
