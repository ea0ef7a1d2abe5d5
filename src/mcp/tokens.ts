/**
 * MCP server tokens: random, shown once, stored only as a SHA-256 hash, compared in constant time. A token is a
 * bearer credential for a whole tool set, so nothing here ever logs or returns one after creation.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** A new token: 32 random bytes, URL-safe, with a recognisable prefix (for secret scanners). */
export function newToken(): string {
  return `gmcp_${randomBytes(32).toString("base64url")}`;
}

/** The stored form of a token (hex SHA-256). */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/**
 * Whether `token` hashes to `hash`, in time that does not depend on where they differ: both sides are fixed-length
 * digests, so `timingSafeEqual` always compares 32 bytes.
 */
export function tokenMatches(token: string, hash: string): boolean {
  const given = createHash("sha256").update(token, "utf8").digest();
  const stored = Buffer.from(hash, "hex");
  return stored.length === given.length && timingSafeEqual(given, stored);
}
