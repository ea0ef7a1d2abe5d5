/** Zod's verdict on a tool's input, as this package's ValidationIssues (a dotted field path and the fix). */
import type { z } from "zod";
import type { ValidationIssue } from "../client/errors.js";

/** The issues of a failed parse, one per zod issue, with the path joined by dots. */
export function zodIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({ field: issue.path.map(String).join("."), message: issue.message }));
}
