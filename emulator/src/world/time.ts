/** Timestamps on the wire: ISO 8601 in UTC without milliseconds, as in Gumloop's examples (`2026-05-15T14:32:00Z`). */
export function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Parses an ISO 8601 string to epoch ms, or undefined. */
export function parseIso(value: string): number | undefined {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
