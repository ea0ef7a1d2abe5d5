/**
 * Fitting model-facing JSON into a character budget without breaking it: long strings are shortened, then the
 * main list is cut, and only then is the text itself cut, always with a note that says what was left out and that
 * the whole answer is in the tool artifact. Lists whose newest items matter most (a session's messages) lose their
 * oldest items first, so the final reply is never cut to a stub while older messages are kept.
 */

/** Notes that travel beside the payload: a cursor, Gumloop's sibling fields, what was shortened. */
export type Notes = Readonly<Record<string, unknown>>;

/** How a payload and its notes are laid out: `{"result": payload, ...notes}` or the payload's own keys. */
export type Layout = (payload: unknown, notes: Notes) => unknown;

/** The unified layout: the payload under `result`, the notes beside it. */
export const RESULT_LAYOUT: Layout = (payload, notes) => ({ result: payload, ...notes });

/** Copy of `value` with every string longer than `max` cut, saying how much was cut. */
export function capStrings(value: unknown, max: number): unknown {
  if (typeof value === "string") {
    return value.length > max ? `${value.slice(0, max)}…[${value.length - max} more chars]` : value;
  }
  if (Array.isArray(value)) return value.map((item) => capStrings(item, max));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, capStrings(item, max)]));
  }
  return value;
}

/** The largest array of the payload (the payload itself when it is one), if any. */
function mainArray(result: unknown): { key: string | null; items: unknown[] } | null {
  if (Array.isArray(result)) return { key: null, items: result };
  if (result === null || typeof result !== "object") return null;
  let best: { key: string; items: unknown[] } | null = null;
  for (const [key, value] of Object.entries(result)) {
    if (Array.isArray(value) && (!best || JSON.stringify(value).length > JSON.stringify(best.items).length)) {
      best = { key, items: value };
    }
  }
  return best;
}

function withItems(result: unknown, key: string | null, items: unknown[]): unknown {
  return key === null ? items : { ...(result as Record<string, unknown>), [key]: items };
}

/** What to keep when cutting: the payload's page-size parameter (to say how to page) and a newest-last list. */
export interface FitOptions {
  /** The tool's page-size parameter, so the note can say how to get the rest. */
  readonly pageSizeParam?: string | null;
  /** A list in the payload whose newest (last) items are kept first. */
  readonly newestLast?: string | undefined;
  readonly layout?: Layout;
}

/**
 * The payload cut to its newest items of `key` that fit, largest number first; null when not even the newest one
 * fits beside the rest (the caller then shortens strings).
 */
function fitNewest(
  payload: Record<string, unknown>,
  key: string,
  notes: Notes,
  maxChars: number,
  layout: Layout,
): string | null {
  const items = payload[key] as unknown[];
  const render = (keep: number) =>
    JSON.stringify(
      layout(
        { ...payload, [key]: items.slice(items.length - keep) },
        {
          ...notes,
          truncated: `Showing the newest ${keep} of ${items.length} ${key}; older ones are in the tool artifact.`,
        },
      ),
    );
  let low = 1;
  let high = items.length - 1;
  let best: string | null = null;
  while (low <= high) {
    const keep = Math.floor((low + high) / 2);
    const text = render(keep);
    if (text.length <= maxChars) {
      best = text;
      low = keep + 1;
    } else high = keep - 1;
  }
  return best;
}

/** Fits `payload` and its notes into `maxChars` (see the file comment for the order of cuts). */
export function fit(payload: unknown, notes: Notes, maxChars: number, options: FitOptions = {}): string {
  const layout = options.layout ?? RESULT_LAYOUT;
  let text = JSON.stringify(layout(payload, notes));
  if (text.length <= maxChars) return text;
  const newest = options.newestLast;
  if (
    newest &&
    payload &&
    typeof payload === "object" &&
    Array.isArray((payload as Record<string, unknown>)[newest])
  ) {
    const record = payload as Record<string, unknown>;
    const items = record[newest] as unknown[];
    if (items.length > 1) {
      const kept = fitNewest(record, newest, notes, maxChars, layout);
      if (kept) return kept;
    }
    if (items.length > 0) {
      // Not even the newest item fits beside the rest: shorten everything else first, keep it whole if possible.
      const last = items[items.length - 1];
      for (const max of [2_000, 500, 120]) {
        const others = capStrings({ ...record, [newest]: [] }, max) as Record<string, unknown>;
        const dropped = items.length - 1;
        const truncated = `${dropped ? `Showing only the newest of ${items.length} ${newest}. ` : ""}Other long text was shortened to ${max} chars; the full response is in the tool artifact.`;
        text = JSON.stringify(layout({ ...others, [newest]: [last] }, { ...notes, truncated }));
        if (text.length <= maxChars) return text;
      }
      return fit({ ...record, [newest]: [last] }, notes, maxChars, { ...options, newestLast: undefined });
    }
  }
  for (const max of [2_000, 500, 120]) {
    const truncated = `Long text fields were shortened to ${max} chars; the full response is in the tool artifact.`;
    text = JSON.stringify(layout(capStrings(payload, max), { ...notes, truncated }));
    if (text.length <= maxChars) return text;
  }
  const list = mainArray(payload);
  if (list && list.items.length > 1) {
    const shortened = capStrings(payload, 120);
    const shortList = mainArray(shortened)!;
    for (let keep = shortList.items.length - 1; keep >= 1; keep = Math.floor(keep * 0.8)) {
      const how = options.pageSizeParam
        ? `Call again with ${options.pageSizeParam}=${keep} (same cursor) to page through them`
        : "The full list is in the tool artifact";
      const truncated = `Showing ${keep} of ${shortList.items.length} ${shortList.key ?? "items"} to fit the size limit. ${how}.`;
      text = JSON.stringify(
        layout(withItems(shortened, shortList.key, shortList.items.slice(0, keep)), { ...notes, truncated }),
      );
      if (text.length <= maxChars) return text;
      if (keep === 1) break;
    }
  }
  return excerpt(payload, notes, maxChars);
}

/**
 * Last resort: the start of the payload's JSON text as a string, with the cursor kept. The excerpt is JSON inside
 * JSON, so escaping can make it longer than the characters taken: shrink it by the overshoot until the whole fits.
 */
function excerpt(payload: unknown, notes: Notes, maxChars: number): string {
  const full = JSON.stringify(payload);
  const rest = {
    ...(notes["next_cursor"] !== undefined ? { next_cursor: notes["next_cursor"] } : {}),
    truncated: "Response cut to fit the size limit; the full response is in the tool artifact.",
  };
  return fitString(full, maxChars, (cut) => ({ result_excerpt: cut, ...rest }));
}

/**
 * The longest start of `text` that, placed by `place`, serialises within `maxChars` (escaping may lengthen it, so
 * the cut shrinks by the overshoot until it fits). Returns the serialised JSON.
 */
export function fitString(text: string, maxChars: number, place: (cut: string) => unknown): string {
  let take = Math.max(0, maxChars - JSON.stringify(place("")).length);
  for (;;) {
    const out = JSON.stringify(place(text.slice(0, take)));
    if (out.length <= maxChars || take === 0) return out;
    take = Math.max(0, take - (out.length - maxChars));
  }
}
