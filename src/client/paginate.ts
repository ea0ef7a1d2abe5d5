/**
 * One async iterator over Gumloop's two paging styles: cursor (`cursor` in, `next_cursor` out) and page number
 * (`page` in, `total_pages` out). Tools never auto-paginate (each tool call returns one bounded page and the
 * cursor); this is for programmatic callers and graphs.
 */
import type { CallOptions, GumloopClient, GumloopResponse } from "./client.js";
import type { RequestDefinition } from "./definition.js";
import { GumloopError, PaginationLimitError } from "./errors.js";

/** Limits of `client.paginate()`: page size, how many items and pages at most, and abort. */
export interface PaginateOptions {
  /** Stop with a {@link PaginationLimitError} when more pages remain after this many. @default 100 */
  maxPages?: number;
  /** Stop quietly once this many items have been yielded (the last page is cut to fit). */
  maxItems?: number;
  signal?: CallOptions["signal"];
}

/** One page of a list, as `client.paginate()` yields it: its items, and the raw response. */
export interface Page<T = unknown> {
  /** The page's items (cut to `maxItems`). */
  readonly items: T[];
  /** 1-based index of this page in the iteration. */
  readonly pageNumber: number;
  /** The cursor or page number of the next page, or null on the last page. */
  readonly next: string | number | null;
  readonly response: GumloopResponse;
}

export async function* paginate<T>(
  client: GumloopClient,
  definition: RequestDefinition,
  input: Readonly<Record<string, unknown>>,
  options: PaginateOptions,
): AsyncGenerator<Page<T>, void, undefined> {
  const pagination = definition.pagination;
  if (!pagination) throw new GumloopError(`${definition.name} does not paginate`);
  const maxPages = options.maxPages ?? 100;
  const param = pagination.style === "cursor" ? pagination.cursorParam : pagination.pageParam;
  const seenCursors = new Set<string>();
  let request: Record<string, unknown> = { ...input };
  let yielded = 0;
  for (let pageNumber = 1; ; pageNumber++) {
    const response = await client.call(definition, request, { signal: options.signal });
    const data = (response.data ?? {}) as Record<string, unknown>;
    const all = Array.isArray(data[pagination.itemsField]) ? (data[pagination.itemsField] as T[]) : [];
    const items =
      options.maxItems === undefined ? all : all.slice(0, Math.max(0, options.maxItems - yielded));
    yielded += items.length;

    let next: string | number | null = null;
    if (pagination.style === "cursor") {
      const cursor = data[pagination.nextCursorField];
      next = typeof cursor === "string" && cursor.length > 0 ? cursor : null;
    } else {
      const current = Number(request[pagination.pageParam] ?? 1);
      const total = Number(data[pagination.totalPagesField] ?? 0);
      next = Number.isFinite(total) && current < total ? current + 1 : null;
    }
    yield { items, pageNumber, next, response };

    if (next === null || (options.maxItems !== undefined && yielded >= options.maxItems)) return;
    if (typeof next === "string") {
      if (seenCursors.has(next)) {
        throw new PaginationLimitError(
          `${definition.name}: the server returned a cursor it had already returned`,
        );
      }
      seenCursors.add(next);
    }
    if (pageNumber >= maxPages) {
      throw new PaginationLimitError(
        `${definition.name}: stopped after maxPages=${maxPages} pages; more remain`,
      );
    }
    request = { ...request, [param]: next };
  }
}
