/**
 * Putting back `__proto__` keys that a copy turned into prototypes. A model's JSON may name a key `__proto__`
 * (JSON.parse makes it an own key), but some copies on the way to a tool copy by assignment, and
 * `copy["__proto__"] = value` makes `value` the copy's prototype instead of a key: LangGraph's, when `createAgent`
 * hands a tool call to its tool node. Such an object is recognisable, because JSON only makes objects whose
 * prototype is Object.prototype: here the prototype is another plain data object. The key is restored at any depth,
 * so the value reaches Gumloop as the model wrote it. A primitive or null `__proto__` value does not survive such a
 * copy at all (assignment ignores a primitive; null leaves a null-prototype object, which callers also make on
 * purpose), so those cannot be restored.
 */

/** Deeper than any tool input: past it values are returned as they are. */
const MAX_DEPTH = 64;

/** A prototype that can only be data from a copied `__proto__` key: enumerable data properties, nothing else. */
function isDataPrototype(prototype: object | null): prototype is object {
  if (prototype === null || prototype === Object.prototype) return false;
  if (Array.isArray(prototype)) return true;
  if (Object.getOwnPropertySymbols(prototype).length > 0) return false;
  const descriptors = Object.values(Object.getOwnPropertyDescriptors(prototype));
  return descriptors.every((descriptor) => descriptor.enumerable && "value" in descriptor);
}

/**
 * `value` with every `__proto__` key that a copy turned into a prototype restored as an own key; the same value
 * when there was none (nothing is copied then).
 */
export function restoreProtoKeys(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== "object" || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) {
    const items = value.map((item) => restoreProtoKeys(item, depth + 1));
    return items.some((item, index) => item !== value[index]) ? items : value;
  }
  const prototype = Object.getPrototypeOf(value) as object | null;
  const restoredKey = isDataPrototype(prototype);
  const entries = Object.entries(value).map(
    ([key, item]) => [key, restoreProtoKeys(item, depth + 1)] as const,
  );
  if (!restoredKey && entries.every(([key, item]) => item === (value as Record<string, unknown>)[key]))
    return value;
  const out: Record<string, unknown> = {};
  const fields: (readonly [string, unknown])[] = restoredKey
    ? [["__proto__", restoreProtoKeys(prototype, depth + 1)], ...entries]
    : entries;
  // defineProperty, not assignment: the restored "__proto__" is a field of `out`, not its prototype.
  for (const [key, item] of fields) {
    Object.defineProperty(out, key, { value: item, enumerable: true, writable: true, configurable: true });
  }
  return out;
}
