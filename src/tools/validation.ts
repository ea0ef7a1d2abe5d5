/** Zod's verdict on a tool's input, as this package's ValidationIssues (a dotted field path and the fix). */
import { z } from "zod";
import type { ValidationIssue } from "../client/errors.js";

/**
 * The issues of a failed parse, one per zod issue, with the path joined by dots. Two of zod's messages are said the
 * way a model can act on: a missing field is "required", and a key the tool does not take is named with the fields
 * it does take, when `schema` (the tool's object schema) is given: a model that sends Gumloop's `session_id` where
 * the tool takes Truto's `id` learns the name to use.
 */
export function zodIssues(error: z.ZodError, schema?: z.ZodType): ValidationIssue[] {
  const fields = schema instanceof z.ZodObject ? Object.keys(schema.shape) : null;
  return error.issues.map((issue) => {
    const field = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys" && issue.path.length === 0 && fields) {
      const known = fields.length ? `its fields are ${fields.join(", ")}` : "it takes no arguments";
      return { field: issue.keys.join(", "), message: `not a field of this tool; ${known}` };
    }
    if (issue.code === "invalid_type" && issue.message.endsWith("received undefined")) {
      return { field, message: `required (${issue.expected})` };
    }
    return { field, message: issue.message };
  });
}
