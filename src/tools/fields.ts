/**
 * Reusable input fields. Descriptions are terse on purpose: every token of a tool schema is paid on every model
 * call. Ids are checked with a refinement (not a JSON-Schema `pattern`, which would cost tokens in every schema)
 * against the same alphabet the client enforces on path parameters.
 */
import { z } from "zod";
import { checkId } from "../ids.js";

/** A Gumloop id. Array items go without a description (the array has one). */
export function id(description?: string) {
  const schema = z.string().superRefine((value, context) => {
    const problem = checkId(value);
    if (problem) context.addIssue({ code: "custom", message: problem });
  });
  return description ? schema.describe(description) : schema;
}

/** A string that must not be empty (checked by refinement: `minLength` would cost tokens in every schema). */
export function text(description: string) {
  return z
    .string()
    .describe(description)
    .superRefine((value, context) => {
      if (value.trim().length === 0) context.addIssue({ code: "custom", message: "must not be empty" });
    });
}

/**
 * A whole number of at least 1 with no documented maximum. Zod would render its safe-integer bound
 * (`"maximum":9007199254740991`, 9 tokens) into the schema; validation still enforces it.
 */
export function count(description: string) {
  return z
    .number()
    .int()
    .min(1)
    .describe(description)
    .meta({ maximum: undefined } as Record<string, unknown>);
}

/**
 * `schema` with its bounds left out of the JSON Schema (`minimum`, `maximum`, `minItems`, `maxItems`, `maxLength`)
 * and still enforced by validation, whose error names the bound. A bound costs 4 to 8 tokens in every schema it
 * stands in, and a model that oversteps one learns it from the error at no cost to the other calls.
 */
export function unlisted<T extends z.ZodType>(schema: T): T {
  return schema.meta({
    minimum: undefined,
    maximum: undefined,
    minItems: undefined,
    maxItems: undefined,
    maxLength: undefined,
  } as Record<string, unknown>) as T;
}

/** Cursor page size, as Gumloop clamps it (1-100, default 20). */
export const pageSize = () => unlisted(z.number().int().min(1).max(100)).optional().describe("Page size");

/** Opaque cursor from the previous page. */
export const cursor = () => z.string().optional().describe("A next_cursor");

/**
 * An identity field (`user_id`, `team_id`, `project_id`) a model may pass instead of the configured value. It goes
 * without a description: Gumloop's own names say what it is, and up to two of them stand in 26 schemas, where a
 * description would cost about 180 tokens on every call.
 */
export function identityField() {
  return id().optional();
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * A free-form JSON object, rendered as plain `{"type":"object"}`: `propertyNames` and `additionalProperties: {}` say
 * nothing a model needs (any key, any value) and cost 5 tokens or more each time.
 *
 * Checked, then passed on as is rather than parsed as a zod record: the record parser builds a copy that leaves out
 * a `__proto__` key, and a model or a flow may name a field so. Kept as an own key, it is data: the client copies
 * input into null-prototype records and sends own keys with JSON.stringify, so it reaches Gumloop as sent and never
 * becomes anyone's prototype.
 */
export function jsonObject(description?: string): z.ZodType<Record<string, unknown>> {
  const schema = z
    .unknown()
    .superRefine((value, context) => {
      if (!isPlainObject(value)) context.addIssue({ code: "custom", message: "must be a JSON object" });
    })
    .meta({ type: "object" } as Record<string, unknown>);
  return (description ? schema.describe(description) : schema) as z.ZodType<Record<string, unknown>>;
}

/** Whether `schema` is a {@link jsonObject} (for the strict-mode variant, which carries it as JSON text). */
export function isJsonObject(schema: z.ZodType): boolean {
  return schema instanceof z.ZodUnknown && schema.meta()?.["type"] === "object";
}

/** An ISO 8601 date-time, checked before sending; a missing one is refused with the format to use. */
export function dateTime(description: string) {
  return z
    .string({
      error: (issue) =>
        issue.input === undefined
          ? "Gumloop requires it: an ISO 8601 date-time such as 2026-01-01T00:00:00Z"
          : "must be an ISO 8601 date-time such as 2026-01-01T00:00:00Z",
    })
    .describe(description)
    .superRefine((value, context) => {
      if (
        !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(value) ||
        Number.isNaN(Date.parse(value))
      ) {
        context.addIssue({
          code: "custom",
          message: "must be an ISO 8601 date-time such as 2026-01-31T00:00:00Z",
        });
      }
    });
}

/** Base64 text, checked before sending. */
export function base64(description: string) {
  return z
    .string()
    .describe(description)
    .superRefine((value, context) => {
      if (!isBase64(value)) {
        context.addIssue({ code: "custom", message: "must be base64-encoded file content" });
      }
    });
}

/**
 * The schema a tool shows the model, and of every object inside it (array items): unknown keys are rejected (a misspelt field is an error that names it, not a
 * value silently dropped). The JSON Schema leaves out `$schema` (17 tokens per tool) and the top-level
 * `additionalProperties: false` (5 tokens per tool, 190 for the catalogue): validation enforces it with an error
 * that names the stray key, and the tokens go to documented fields instead. Strict-mode variants keep it, as
 * OpenAI requires.
 */
export function modelSchema<T extends z.ZodObject>(schema: T): T {
  return schema
    .strict()
    .meta({ $schema: undefined, additionalProperties: undefined } as Record<string, unknown>) as T;
}

/**
 * One file as a tool takes it (Truto's `file`): a name and its content, as text or base64. The client encodes it as
 * Gumloop wants (base64 JSON or a multipart part); nothing is read from a path.
 */
export function uploadFile() {
  return modelSchema(
    z.object({
      name: fileName("File name"),
      content: z.string().optional().describe("Text"),
      content_base64: z.string().optional().describe("Or base64"),
    }),
  ).superRefine((file, context) => {
    if ((file.content === undefined) === (file.content_base64 === undefined)) {
      context.addIssue({ code: "custom", message: "give exactly one of content or content_base64" });
    } else if (file.content_base64 !== undefined && !isBase64(file.content_base64)) {
      context.addIssue({
        code: "custom",
        path: ["content_base64"],
        message: "must be base64-encoded content",
      });
    }
  });
}

/** A file as the tools take it. */
export type UploadFile = z.infer<ReturnType<typeof uploadFile>>;

function isBase64(value: string): boolean {
  return value.length > 0 && value.length % 4 !== 1 && /^[A-Za-z0-9+/\r\n]*={0,2}$/.test(value);
}

/**
 * A plain file name: not blank, no directories, no `.`/`..`, no control characters, at most 255 characters. Gumloop
 * documents no rule but refuses names it cannot store (`invalid_file_name`); these are ordinary storage limits.
 */
export function fileName(description: string) {
  return z
    .string()
    .describe(description)
    .superRefine((value, context) => {
      if (value.trim() === "") {
        context.addIssue({ code: "custom", message: "must not be blank; give a file name like report.pdf" });
      } else if (
        value === "." ||
        value === ".." ||
        /[/\\\u0000-\u001f\u007f]/.test(value) ||
        value.length > 255
      ) {
        context.addIssue({
          code: "custom",
          message: "must be a plain file name like report.pdf (no folders)",
        });
      }
    });
}
