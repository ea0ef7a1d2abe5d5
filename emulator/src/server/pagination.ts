/** Cursor pagination as Gumloop's newer list routes do it: `page_size` + opaque `cursor` → `next_cursor`. */
import { invalidRequest } from "./errors.js";

/** How to treat `page_size`. */
export interface PageSizeRule {
  /** @default 20 */
  default?: number;
  /** Out-of-range values are clamped to 1–100 (artifacts, skills) instead of rejected. @default false */
  clamp?: boolean;
  /**
   * For operations whose OpenAPI declares no 400 (agents and sessions lists): a value that is not an integer is
   * ignored (the default) and an out-of-range one clamped, instead of a 400. @default false
   */
  lenient?: boolean;
}

/**
 * Parses `page_size`. A value that is not an integer is a 400 `invalid_page_size` everywhere; out of 1–100 it
 * is clamped or rejected per `rule.clamp`.
 */
export function parsePageSize(value: string | undefined, rule: PageSizeRule = {}): number {
  const fallback = rule.default ?? 20;
  if (value === undefined || value === "") return fallback;
  if (!/^-?\d+$/.test(value.trim())) {
    if (rule.lenient) return fallback;
    throw invalidRequest("page_size must be an integer", "page_size", "invalid_page_size");
  }
  const n = Number(value);
  if (rule.clamp || rule.lenient) return Math.min(100, Math.max(1, n));
  if (n < 1 || n > 100)
    throw invalidRequest("page_size must be between 1 and 100", "page_size", "invalid_page_size");
  return n;
}

/** Encodes a cursor the way Gumloop's look: base64 of a small JSON object. */
export function encodeCursor(value: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(value), "utf8").toString("base64");
}

/** Decodes a cursor made by {@link encodeCursor}; anything else is a 400 `invalid_cursor`. */
export function decodeCursor(cursor: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64").toString("utf8"));
    if (typeof value === "object" && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw invalidRequest("cursor is invalid or expired", "cursor", "invalid_cursor");
}

/** Whether `cursor` is one {@link offsetPage} made for the query `fingerprint`. */
function readableCursor(cursor: string, fingerprint: string): boolean {
  try {
    const decoded = decodeCursor(cursor);
    return (
      Number.isInteger(decoded.offset) && (decoded.offset as number) >= 0 && decoded.query === fingerprint
    );
  } catch {
    return false;
  }
}

/**
 * Slices `items` (already filtered and sorted) from an offset cursor. The cursor also carries a fingerprint of
 * the query so a cursor reused with different filters is rejected instead of silently skipping items.
 */
export function offsetPage<T>(
  items: readonly T[],
  pageSize: number,
  cursor: string | undefined,
  fingerprint: string,
  options: { lenient?: boolean } = {},
): { page: T[]; nextCursor: string | null } {
  let offset = 0;
  // Where no 400 is declared, a cursor that cannot be read is ignored: the first page, as if none was sent.
  if (cursor && options.lenient && !readableCursor(cursor, fingerprint)) cursor = undefined;
  if (cursor) {
    const decoded = decodeCursor(cursor);
    if (typeof decoded.offset !== "number" || !Number.isInteger(decoded.offset) || decoded.offset < 0) {
      throw invalidRequest("cursor is invalid or expired", "cursor", "invalid_cursor");
    }
    if (decoded.query !== fingerprint) {
      throw invalidRequest("cursor does not match this query", "cursor", "invalid_cursor");
    }
    offset = decoded.offset;
  }
  const page = items.slice(offset, offset + pageSize);
  const next = offset + page.length;
  return {
    page,
    nextCursor: next < items.length ? encodeCursor({ offset: next, query: fingerprint }) : null,
  };
}
