/**
 * What a Gumloop id may look like, in a leaf module: the client checks every id it puts into a path, and the tool
 * definitions and graphs check ids before anything is sent, all by this one rule, without the definitions
 * importing anything that runs from the client.
 *
 * Path parameters often come from a model: they are checked against a safe alphabet BEFORE encoding, because
 * `encodeURIComponent` does not neutralise `..`, and `new URL("agents/../teams", base)` silently walks up a level.
 */

/** Letters, digits and `_ - . : ~`, 1 to 256 chars, and not `.` or `..`. */
export const SAFE_ID_PATTERN = /^(?!\.{1,2}$)[A-Za-z0-9_.:~-]{1,256}$/;

/** Why an id is rejected, phrased as the fix; null when it is fine. */
export function checkId(value: unknown): string | null {
  if (typeof value !== "string") return "must be a string id";
  if (value.length === 0) return "must not be empty";
  if (value === "." || value === "..") return "must not be '.' or '..'";
  if (!SAFE_ID_PATTERN.test(value)) {
    return "must be a Gumloop id (letters, digits, '_', '-', '.', ':' or '~'; no '/', spaces or '%')";
  }
  return null;
}
