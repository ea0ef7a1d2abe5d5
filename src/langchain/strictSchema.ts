/**
 * OpenAI strict-mode variants of the tool schemas. Strict mode wants every property listed in `required`,
 * optional ones nullable, `additionalProperties: false` everywhere, and no open-ended objects. So: optional
 * fields become `nullable` (a null from the model means "not given"), and free-form objects become JSON text that
 * is parsed back before the original schema validates the input again.
 */
import { z } from "zod";
import { GumloopValidationError, type ValidationIssue } from "../client/errors.js";
import { isJsonObject, modelSchema } from "../tools/fields.js";
import { zodIssues } from "../tools/validation.js";

type AnySchema = z.ZodType;

export interface StrictSchema {
  readonly schema: z.ZodObject;
  /** Dotted paths (`*` for array items) of fields the strict schema carries as JSON text. */
  readonly jsonPaths: readonly string[];
}

/** The description of a schema, looking through optional/nullable/default wrappers. */
function descriptionOf(schema: AnySchema): string | undefined {
  let current: AnySchema = schema;
  for (let depth = 0; depth < 5; depth++) {
    if (current.description) return current.description;
    if (
      current instanceof z.ZodOptional ||
      current instanceof z.ZodNullable ||
      current instanceof z.ZodDefault
    ) {
      current = current.unwrap() as AnySchema;
    } else break;
  }
  return undefined;
}

function describeLike<T extends AnySchema>(target: T, source: AnySchema): T {
  const description = descriptionOf(source);
  return description ? (target.describe(description) as T) : target;
}

function convert(schema: AnySchema, path: string, jsonPaths: string[], closed: boolean): AnySchema {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) {
    return convert(schema.unwrap() as AnySchema, path, jsonPaths, closed);
  }
  if (schema instanceof z.ZodDefault) return convert(schema.unwrap() as AnySchema, path, jsonPaths, closed);
  if (schema instanceof z.ZodRecord || isJsonObject(schema)) {
    jsonPaths.push(path);
    const what = descriptionOf(schema) ? `${descriptionOf(schema)} (JSON object text)` : "JSON object text";
    return z.string().describe(what);
  }
  if (schema instanceof z.ZodObject)
    return describeLike(strictObject(schema, path, jsonPaths, closed), schema);
  if (schema instanceof z.ZodArray) {
    return describeLike(
      z.array(convert(schema.element as AnySchema, `${path}.*`, jsonPaths, closed)),
      schema,
    );
  }
  return schema;
}

/**
 * `closed` (OpenAI strict): every field listed, optional ones nullable, `additionalProperties: false`. Otherwise
 * (Gemini) optional fields stay optional and only the free-form objects change.
 */
function strictObject(schema: z.ZodObject, path: string, jsonPaths: string[], closed: boolean): z.ZodObject {
  const shape: Record<string, AnySchema> = {};
  for (const [key, field] of Object.entries(schema.shape as Record<string, AnySchema>)) {
    const optional = field instanceof z.ZodOptional || field instanceof z.ZodDefault;
    const converted = describeLike(convert(field, path ? `${path}.${key}` : key, jsonPaths, closed), field);
    shape[key] = optional
      ? describeLike(closed ? converted.nullable() : converted.optional(), field)
      : converted;
  }
  return closed ? z.object(shape).strict() : modelSchema(z.object(shape));
}

/** The strict-mode variant of a tool's input schema. */
export function toStrictSchema(schema: z.ZodObject): StrictSchema {
  const jsonPaths: string[] = [];
  const strict = strictObject(schema, "", jsonPaths, true).meta({ $schema: undefined } as Record<
    string,
    unknown
  >);
  return { schema: strict, jsonPaths };
}

/**
 * The Gemini variant of a tool's input schema: Gemini's function declarations refuse an object without properties,
 * so free-form objects (metadata, flow inputs, MCP arguments) travel as JSON text; everything else is as built.
 */
export function toGeminiSchema(schema: z.ZodObject): StrictSchema {
  const jsonPaths: string[] = [];
  return { schema: strictObject(schema, "", jsonPaths, false), jsonPaths };
}

/** Which schema a tool shows: as built, OpenAI strict mode, or Gemini's subset (free-form objects as JSON text). */
export type SchemaVariant = "plain" | "strict" | "gemini";

/** The variant asked for by a tool option set (`strict` wins over `gemini`). */
export function variantOf(options: { readonly strict?: boolean; readonly gemini?: boolean }): SchemaVariant {
  return options.strict ? "strict" : options.gemini ? "gemini" : "plain";
}

function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (value !== null && typeof value === "object") {
    // Entries, not assignment: a "__proto__" key stays a field instead of replacing the copy's prototype.
    const kept = Object.entries(value).filter(([, item]) => item !== null);
    return Object.fromEntries(kept.map(([key, item]) => [key, dropNulls(item)]));
  }
  return value;
}

function parseAt(value: unknown, segments: string[], trail: string[], issues: ValidationIssue[]): unknown {
  if (value === undefined || value === null) return value;
  if (segments.length === 0) {
    if (typeof value !== "string") return value;
    try {
      const parsed: unknown = JSON.parse(value);
      if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
        throw new Error("not an object");
      return parsed;
    } catch {
      issues.push({
        field: trail.join("."),
        message: 'must be a JSON object as text, e.g. {"key": "value"}',
      });
      return value;
    }
  }
  const [head, ...rest] = segments as [string, ...string[]];
  if (head === "*") {
    return Array.isArray(value)
      ? value.map((item, index) => parseAt(item, rest, [...trail, String(index)], issues))
      : value;
  }
  if (typeof value !== "object" || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  return { ...record, [head]: parseAt(record[head], rest, [...trail, head], issues) };
}

/** Turns a strict-mode input back into the regular one: nulls dropped, JSON text parsed. */
export function fromStrictInput(
  input: Record<string, unknown>,
  jsonPaths: readonly string[],
): { value: Record<string, unknown>; issues: ValidationIssue[] } {
  const issues: ValidationIssue[] = [];
  let value = dropNulls(input) as Record<string, unknown>;
  for (const path of jsonPaths)
    value = parseAt(value, path.split("."), [], issues) as Record<string, unknown>;
  return { value, issues };
}

/** A tool's input schema as the model sees it (plain or strict), and how an input of it becomes the regular one. */
export interface ToolInput {
  readonly schema: z.ZodObject;
  /**
   * The regular input for an input the schema accepted: as is for the plain schema; for the strict one, nulls
   * dropped, JSON text parsed, then checked by the regular schema (its cross-field rules included). Throws a
   * GumloopValidationError naming the fields.
   */
  read(input: Record<string, unknown>): Record<string, unknown>;
}

/** The input of a tool whose regular schema is `regular`, in one variant; `name` is used in errors. */
export function toolInput(name: string, regular: z.ZodObject, variant: SchemaVariant | boolean): ToolInput {
  const kind = variant === true ? "strict" : variant === false ? "plain" : variant;
  if (kind === "plain") return { schema: regular, read: (input) => input };
  const converted = kind === "strict" ? toStrictSchema(regular) : toGeminiSchema(regular);
  return {
    schema: converted.schema,
    read(raw) {
      const back = fromStrictInput(raw, converted.jsonPaths);
      if (back.issues.length) throw new GumloopValidationError(name, back.issues);
      const parsed = regular.safeParse(back.value);
      if (!parsed.success) throw new GumloopValidationError(name, zodIssues(parsed.error, regular));
      return parsed.data as Record<string, unknown>;
    },
  };
}
