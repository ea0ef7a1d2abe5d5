/**
 * Values built on first use. The catalogue's zod schemas are built this way: importing the package builds none, and
 * a manager that hands a model five tools builds five. A leaf module: it imports nothing.
 */

/** `build`, run on the first call and never again; later calls return the first result. */
export function once<T>(build: () => T): () => T {
  let built = false;
  let value: T;
  return () => {
    if (!built) {
      value = build();
      built = true;
    }
    return value;
  };
}

/** An object whose every property is built by its function on first read, then kept. */
export function lazily<T extends Record<string, () => unknown>>(
  builders: T,
): { readonly [K in keyof T]: ReturnType<T[K]> } {
  const target = {} as { [K in keyof T]: ReturnType<T[K]> };
  for (const [key, build] of Object.entries(builders)) {
    Object.defineProperty(target, key, { enumerable: true, get: once(build) });
  }
  return target;
}
