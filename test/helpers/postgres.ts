/** The test PostgreSQL server (see test/globalSetup.ts) and a fresh table name per test. */
import { randomBytes } from "node:crypto";

/** The server's URL; throws, naming why, when there is none: these tests must not pass by skipping. */
export function postgresUrl(): string {
  const url = process.env["GUMLOOP_TEST_POSTGRES_URL"];
  if (url) return url;
  throw new Error(
    "This test needs PostgreSQL: install it (Debian: apt-get install postgresql) or set GUMLOOP_TEST_POSTGRES_URL. " +
      (process.env["GUMLOOP_TEST_POSTGRES_ERROR"] ?? ""),
  );
}

/** A table name no other test uses. */
export const freshTable = (prefix = "slots") => `${prefix}_${randomBytes(6).toString("hex")}`;
