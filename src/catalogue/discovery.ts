/**
 * Discovery exposure, in the spirit of Truto's: instead of every tool's schema on every model call, three small
 * tools, `search_tools` (lexical search over names, tags, descriptions and argument names), `get_tool_schema`
 * (1–5 names, with did-you-mean for the rest) and `call_tool` (runs one of the selected tools by name). The same
 * directory serves the LangChain discovery tools and the MCP server's discovery exposure; nothing here imports
 * LangGraph, so the package root stays free of it.
 */
import { z } from "zod";
import { GumloopError } from "../client/errors.js";
import { lazily } from "../lazy.js";
import { jsonObject, modelSchema, text } from "../tools/fields.js";

/** One tool as discovery sees it. */
export interface DirectoryEntry {
  readonly name: string;
  readonly description: string;
  readonly tags: readonly string[];
  /** JSON Schema of the tool's arguments (object root). */
  readonly inputSchema: Readonly<Record<string, unknown>>;
  readonly annotations?: Readonly<Record<string, unknown>>;
}

/** The names of the three discovery tools, as Truto names them. */
export const DISCOVERY_TOOL_NAMES = ["search_tools", "get_tool_schema", "call_tool"] as const;

/** Model-facing descriptions of the three discovery tools (short: they are paid on every model call). */
export const DISCOVERY_DESCRIPTIONS = {
  search_tools:
    "Find Gumloop tools for a task: searches names, tags, descriptions and argument names. Then get_tool_schema, then call_tool.",
  get_tool_schema: "Argument schemas of 1-5 tools by name, for call_tool.",
  call_tool:
    "Run a Gumloop tool by name with its arguments (see get_tool_schema). Returns the tool's result.",
} as const;

/** Input schemas of the three discovery tools, with Truto's argument names (each built on first read). */
export const DISCOVERY_INPUTS = lazily({
  search_tools: () =>
    modelSchema(
      z.object({
        query: text("What you want to do, in a few words"),
        limit: z.number().int().min(1).max(20).optional().describe("Most results (default 5)"),
      }),
    ),
  get_tool_schema: () =>
    modelSchema(z.object({ tool_names: z.array(z.string()).min(1).max(5).describe("Tool names") })),
  call_tool: () =>
    modelSchema(
      z.object({
        tool_name: z.string().describe("Tool name"),
        arguments: jsonObject("The tool's arguments").optional(),
      }),
    ),
});

/** What a search returns per hit. */
export interface SearchHit {
  readonly name: string;
  readonly description: string;
  readonly tags: readonly string[];
}

const STOP_WORDS = new Set([
  "a",
  "an",
  "the",
  "of",
  "to",
  "for",
  "in",
  "on",
  "and",
  "or",
  "by",
  "with",
  "gumloop",
]);

/** Lower-case word stems: split on anything but letters and digits, a plural `s` dropped. */
function words(value: string): string[] {
  return value
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word && !STOP_WORDS.has(word))
    .map((word) => (word.length > 3 && word.endsWith("s") ? word.slice(0, -1) : word));
}

function argumentNames(schema: Readonly<Record<string, unknown>>): string[] {
  const properties = schema["properties"];
  return properties && typeof properties === "object" ? Object.keys(properties) : [];
}

/** Edit distance, for did-you-mean. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length]!;
}

interface Indexed {
  readonly entry: DirectoryEntry;
  readonly fields: readonly { readonly words: ReadonlySet<string>; readonly weight: number }[];
}

/**
 * The tools one exposure may reach, searchable by words and resolvable by name. Only these tools exist for the
 * model: a name outside them is unknown, the same as a misspelt one.
 */
export class ToolDirectory<T extends DirectoryEntry = DirectoryEntry> {
  readonly #entries = new Map<string, T>();
  readonly #index: Indexed[];

  constructor(entries: readonly T[]) {
    for (const entry of entries) this.#entries.set(entry.name, entry);
    // A word in the name says most about what a tool does; tags and argument names next; the description last.
    this.#index = entries.map((entry) => ({
      entry,
      fields: [
        { words: new Set(words(entry.name)), weight: 3 },
        { words: new Set(entry.tags.flatMap(words)), weight: 2 },
        { words: new Set(argumentNames(entry.inputSchema).flatMap(words)), weight: 1.5 },
        { words: new Set(words(entry.description)), weight: 1 },
      ],
    }));
  }

  /** Every tool, in the order given. */
  get entries(): readonly T[] {
    return [...this.#entries.values()];
  }

  /** The best `limit` matches for `query`, best first; ties keep catalogue order. */
  search(query: string, limit = 5): SearchHit[] {
    const terms = [...new Set(words(query))];
    return this.#index
      .map(({ entry, fields }, order) => {
        let score = 0;
        for (const term of terms) {
          for (const field of fields) {
            if (field.words.has(term)) score += field.weight;
            // A prefix ("export" for "exports", "sess" for "session") counts a little.
            else if (term.length >= 4 && [...field.words].some((word) => word.startsWith(term)))
              score += field.weight / 3;
          }
        }
        return { entry, score, order };
      })
      .filter((hit) => hit.score > 0)
      .sort((a, b) => b.score - a.score || a.order - b.order)
      .slice(0, limit)
      .map(({ entry }) => ({ name: entry.name, description: entry.description, tags: entry.tags }));
  }

  /** Up to three known names close to `name`. */
  suggest(name: string): string[] {
    const wanted = name.toLowerCase();
    const wantedWords = new Set(words(name));
    return [...this.#entries.keys()]
      .map((candidate) => {
        const shared = words(candidate).filter((word) => wantedWords.has(word)).length;
        return { candidate, score: distance(wanted, candidate) - 4 * shared };
      })
      .sort((a, b) => a.score - b.score)
      .slice(0, 3)
      .map(({ candidate }) => candidate);
  }

  /** The tool named `name`, or a GumloopError with did-you-mean. Own names only (not Object.prototype's). */
  resolve(name: string): T {
    const entry = this.#entries.get(name);
    if (entry) return entry;
    throw new GumloopError(
      `Unknown tool "${name}" (not available here). Did you mean: ${this.suggest(name).join(", ")}? ` +
        "Use search_tools to find tools.",
    );
  }

  /** `get_tool_schema`'s answer: schemas of the known names, suggestions for the others. */
  schemas(names: readonly string[]): { tools: object[]; unknown?: object[] } {
    const tools: object[] = [];
    const unknown: object[] = [];
    for (const name of new Set(names)) {
      const entry = this.#entries.get(name);
      if (entry) {
        tools.push({
          name: entry.name,
          description: entry.description,
          input_schema: entry.inputSchema,
          ...(entry.annotations ? { annotations: entry.annotations } : {}),
        });
      } else {
        unknown.push({ name, error: "unknown tool", did_you_mean: this.suggest(name) });
      }
    }
    return unknown.length ? { tools, unknown } : { tools };
  }
}
