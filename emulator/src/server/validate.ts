/**
 * Body-field checks that answer 400 `invalid_request` with `param` set to the offending field, the way Gumloop's
 * newer routes report validation errors. Each returns `undefined` when the field is absent.
 */
import { invalidRequest } from "./errors.js";
import { isPlainObject } from "./context.js";

/** Options of {@link stringField}. */
export interface StringRule {
  /** @default false */
  required?: boolean;
  /** `null` is accepted (and returned). @default false */
  nullable?: boolean;
  /** Reject empty / whitespace-only strings. @default false */
  nonEmpty?: boolean;
  /** @default unlimited */
  maxLength?: number;
}

/** A string field. */
export function stringField(
  body: Record<string, unknown>,
  name: string,
  rule: StringRule = {},
): string | null | undefined {
  const value = body[name];
  if (value === undefined || (value === null && !rule.nullable)) {
    if (rule.required) throw invalidRequest(`${name} is required`, name);
    return undefined;
  }
  if (value === null) return null;
  if (typeof value !== "string") throw invalidRequest(`${name} must be a string`, name);
  if (rule.nonEmpty && value.trim() === "") throw invalidRequest(`${name} must not be empty`, name);
  if (rule.maxLength !== undefined && value.length > rule.maxLength) {
    throw invalidRequest(`${name} must be at most ${rule.maxLength} characters`, name);
  }
  return value;
}

/** A boolean field (`null` counts as absent when `nullable`). */
export function booleanField(
  body: Record<string, unknown>,
  name: string,
  nullable = false,
): boolean | undefined {
  const value = body[name];
  if (value === undefined || (value === null && nullable)) return undefined;
  if (typeof value !== "boolean") throw invalidRequest(`${name} must be a boolean`, name);
  return value;
}

/** An object field (`null` counts as absent when `nullable`). */
export function objectField(
  body: Record<string, unknown>,
  name: string,
  nullable = false,
): Record<string, unknown> | undefined {
  const value = body[name];
  if (value === undefined || (value === null && nullable)) return undefined;
  if (!isPlainObject(value)) throw invalidRequest(`${name} must be an object`, name);
  return value;
}

/** An array of objects (`null` counts as absent when `nullable`). */
export function objectArrayField(
  body: Record<string, unknown>,
  name: string,
  nullable = false,
): Record<string, unknown>[] | undefined {
  const value = body[name];
  if (value === undefined || (value === null && nullable)) return undefined;
  if (!Array.isArray(value)) throw invalidRequest(`${name} must be an array`, name);
  value.forEach((item, i) => {
    if (!isPlainObject(item)) throw invalidRequest(`${name}[${i}] must be an object`, `${name}[${i}]`);
  });
  return value as Record<string, unknown>[];
}

/** An array of strings (`null` counts as absent when `nullable`). */
export function stringArrayField(
  body: Record<string, unknown>,
  name: string,
  nullable = false,
): string[] | undefined {
  const value = body[name];
  if (value === undefined || (value === null && nullable)) return undefined;
  if (!Array.isArray(value)) throw invalidRequest(`${name} must be an array of strings`, name);
  value.forEach((item, i) => {
    if (typeof item !== "string") throw invalidRequest(`${name}[${i}] must be a string`, `${name}[${i}]`);
  });
  return value as string[];
}

/** Parses a boolean query parameter (`true`/`false`/`1`/`0`); anything else is a 400. */
export function booleanQuery(value: string | undefined, name: string): boolean | undefined {
  if (value === undefined || value === "") return undefined;
  const v = value.toLowerCase();
  if (v === "true" || v === "1") return true;
  if (v === "false" || v === "0") return false;
  throw invalidRequest(`${name} must be true or false`, name);
}
