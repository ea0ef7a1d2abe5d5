/**
 * Which tools a filter selects, for every way the catalogue is served (LangChain tools, the MCP server): Truto's
 * method classes and tags, exact names and a read-only switch, every part given AND-combined. A filter that names
 * something unknown, or matches nothing, is refused rather than served as an empty or partial set.
 */
import { GumloopError } from "../client/errors.js";
import { TOOL_TAGS, type MethodClass } from "../tools/types.js";

/** The parts of a filter that select tools. */
export interface CatalogueFilter {
  /** Truto method classes: `read` (list/get), `write` (create/update/delete), `custom` (bulk operations). */
  methods?: readonly MethodClass[];
  /** Area tags; a tool matches when it carries any of them (e.g. `["sessions", "artifacts"]`, or `["admin"]`). */
  tags?: readonly string[];
  /** Exact tool names. */
  names?: readonly string[];
  /** Only tools that change nothing on Gumloop. @default false (no constraint) */
  readOnly?: boolean;
}

/** What a filter looks at in a tool. */
export interface FilterableEntry {
  readonly name: string;
  readonly method: MethodClass;
  readonly tags: readonly string[];
  readonly annotations: { readonly readOnlyHint: boolean };
}

/** The method classes a filter may name. */
export const METHOD_CLASSES: readonly MethodClass[] = ["read", "write", "custom"];

/** Throws a GumloopError naming the valid values when a filter names an unknown method class, tag or tool. */
export function checkFilter(filter: CatalogueFilter, validNames: readonly string[]): void {
  const unknown = (given: readonly string[] | undefined, valid: readonly string[]) =>
    (given ?? []).filter((value) => !valid.includes(value));
  const badMethods = unknown(filter.methods, METHOD_CLASSES);
  if (badMethods.length) {
    throw new GumloopError(
      `Unknown method class ${badMethods.join(", ")}. Valid: ${METHOD_CLASSES.join(", ")}`,
    );
  }
  const badTags = unknown(filter.tags, TOOL_TAGS);
  if (badTags.length)
    throw new GumloopError(`Unknown tag ${badTags.join(", ")}. Valid tags: ${TOOL_TAGS.join(", ")}`);
  const badNames = unknown(filter.names, validNames);
  if (badNames.length) {
    throw new GumloopError(`Unknown tool name ${badNames.join(", ")}. Valid names: ${validNames.join(", ")}`);
  }
}

/** Whether one entry passes every part of the filter. */
export function matchesFilter(entry: FilterableEntry, filter: CatalogueFilter): boolean {
  return (
    (!filter.methods || filter.methods.includes(entry.method)) &&
    (!filter.tags || entry.tags.some((tag) => filter.tags!.includes(tag))) &&
    (!filter.names || filter.names.includes(entry.name)) &&
    (!filter.readOnly || entry.annotations.readOnlyHint)
  );
}

/** The entries a filter selects, in their given order. Throws on unknown values or when nothing matches. */
export function selectEntries<T extends FilterableEntry>(
  entries: readonly T[],
  filter: CatalogueFilter,
  validNames: readonly string[] = entries.map((entry) => entry.name),
): T[] {
  checkFilter(filter, validNames);
  const selected = entries.filter((entry) => matchesFilter(entry, filter));
  if (selected.length === 0) {
    throw new GumloopError(
      `No Gumloop tool matches the filter ${JSON.stringify(filter)}: every part must hold.`,
    );
  }
  return selected;
}
