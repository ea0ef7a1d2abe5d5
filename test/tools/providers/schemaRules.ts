/**
 * Each provider's documented rules for tool schemas, as checks over what a request actually carries. A check
 * returns the problems it found (empty when the provider would accept the tools), each naming the tool and path.
 *
 * - OpenAI: tool names `^[a-zA-Z0-9_-]{1,64}$`, an object root. Strict mode (structured outputs): every object
 *   lists all its properties in `required` and sets `additionalProperties: false`, no open objects, and none of the
 *   keywords strict mode does not support.
 * - Anthropic: `input_schema` with an object root, property keys `^[a-zA-Z0-9_.-]{1,64}$`.
 * - Gemini: the OpenAPI subset of function declarations: only its keywords, no `$ref`, and an OBJECT has properties.
 */

type Node = Record<string, unknown>;

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const ANTHROPIC_KEY = /^[a-zA-Z0-9_.-]{1,64}$/;

/** Keywords OpenAI's strict mode refuses. */
const STRICT_UNSUPPORTED = [
  "minLength",
  "maxLength",
  "patternProperties",
  "propertyNames",
  "unevaluatedProperties",
  "minProperties",
  "maxProperties",
  "uniqueItems",
  "contains",
  "default",
  "not",
  "if",
  "then",
  "else",
  "$ref",
];

/** The keywords of Gemini's function-declaration schema. */
const GEMINI_KEYWORDS = new Set([
  "type",
  "format",
  "description",
  "nullable",
  "enum",
  "items",
  "properties",
  "required",
  "minItems",
  "maxItems",
  "minimum",
  "maximum",
  "anyOf",
  "propertyOrdering",
  "title",
]);

/** Every schema node under `schema`, with its path (properties, items, anyOf). */
function nodes(schema: unknown, path = "$"): [string, Node][] {
  if (schema === null || typeof schema !== "object" || Array.isArray(schema)) return [];
  const node = schema as Node;
  const found: [string, Node][] = [[path, node]];
  const properties = node["properties"];
  if (properties && typeof properties === "object") {
    for (const [key, value] of Object.entries(properties)) found.push(...nodes(value, `${path}.${key}`));
  }
  if (node["items"]) found.push(...nodes(node["items"], `${path}[]`));
  for (const [index, option] of ((node["anyOf"] as unknown[]) ?? []).entries())
    found.push(...nodes(option, `${path}|${index}`));
  return found;
}

const types = (node: Node) => [node["type"]].flat().map((type) => String(type).toLowerCase());

function rootIsObject(tool: string, schema: unknown, problems: string[]): void {
  if (!schema || typeof schema !== "object" || !types(schema as Node).includes("object"))
    problems.push(`${tool}: the schema's root is not an object`);
}

/** OpenAI, chat completions or responses: names and an object root; strict mode's rules when `strict`. */
export function openAiProblems(tool: string, parameters: unknown, strict: boolean): string[] {
  const problems: string[] = [];
  if (!TOOL_NAME.test(tool)) problems.push(`${tool}: invalid name`);
  rootIsObject(tool, parameters, problems);
  if (!strict) return problems;
  for (const [path, node] of nodes(parameters)) {
    for (const keyword of STRICT_UNSUPPORTED)
      if (keyword in node) problems.push(`${tool} ${path}: "${keyword}" is not supported in strict mode`);
    if (!types(node).includes("object")) continue;
    const keys = Object.keys((node["properties"] as object) ?? {});
    if (!node["properties"]) problems.push(`${tool} ${path}: an open object (no properties)`);
    if (node["additionalProperties"] !== false)
      problems.push(`${tool} ${path}: additionalProperties must be false`);
    const required = (node["required"] as string[]) ?? [];
    const missing = keys.filter((key) => !required.includes(key));
    if (missing.length) problems.push(`${tool} ${path}: not in required: ${missing.join(", ")}`);
  }
  return problems;
}

/** Anthropic: an object root and property keys it accepts. */
export function anthropicProblems(tool: string, inputSchema: unknown): string[] {
  const problems: string[] = [];
  if (!TOOL_NAME.test(tool)) problems.push(`${tool}: invalid name`);
  rootIsObject(tool, inputSchema, problems);
  for (const [path, node] of nodes(inputSchema)) {
    for (const key of Object.keys((node["properties"] as object) ?? {}))
      if (!ANTHROPIC_KEY.test(key)) problems.push(`${tool} ${path}: property key "${key}" is not accepted`);
  }
  return problems;
}

/** Gemini: only the keywords of its schema subset, and every OBJECT with properties. */
export function geminiProblems(tool: string, parameters: unknown): string[] {
  const problems: string[] = [];
  if (!TOOL_NAME.test(tool)) problems.push(`${tool}: invalid name`);
  if (parameters === undefined) return problems; // a tool without parameters may leave them out
  rootIsObject(tool, parameters, problems);
  for (const [path, node] of nodes(parameters)) {
    for (const keyword of Object.keys(node))
      if (!GEMINI_KEYWORDS.has(keyword))
        problems.push(`${tool} ${path}: "${keyword}" is not in Gemini's schema`);
    const properties = node["properties"] as object | undefined;
    if (
      types(node).includes("object") &&
      path !== "$" &&
      (!properties || Object.keys(properties).length === 0)
    )
      problems.push(`${tool} ${path}: an OBJECT needs non-empty properties`);
  }
  return problems;
}
