/**
 * The emulator serves every operation of Gumloop's OpenAPI files, on the host the file names, with the statuses
 * it declares. Read from the reference folder beside the checkout (`../shared/reference/openapi`, or the folder
 * in GUMLOOP_OPENAPI_DIR); skipped when it is not there, since the files are reference material, not part of the
 * package. What the declared statuses mean for answers is tested in declaredStatuses.test.ts.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { AREAS } from "../src/areas/index.js";
import { emulatorEnv } from "../src/internals.js";
import { buildRoutes } from "../src/server/server.js";
import { startTestEmulator } from "./helpers.js";

const DIR =
  process.env["GUMLOOP_OPENAPI_DIR"] ??
  fileURLToPath(new URL("../../../shared/reference/openapi", import.meta.url));

/** One documented operation: `METHOD /path`, its host, and its declared statuses. */
interface Operation {
  readonly key: string;
  readonly host: "api" | "stream";
  readonly statuses: number[];
}

/**
 * The operations of one OpenAPI file. A reader for the files' fixed layout (paths at two spaces, methods at four,
 * responses' status keys at eight), which is all this check needs; it fails loudly when it finds nothing.
 */
function operationsIn(text: string): Operation[] {
  const operations: Operation[] = [];
  let path: string | null = null;
  let current: { key: string; host: "api" | "stream"; statuses: number[] } | null = null;
  let inResponses = false;
  for (const line of text.split("\n")) {
    const pathLine = /^ {2}(\/\S*):$/.exec(line);
    if (pathLine) {
      path = pathLine[1]!;
      continue;
    }
    const methodLine = /^ {4}(get|post|put|patch|delete):$/.exec(line);
    if (methodLine && path) {
      current = { key: `${methodLine[1]!.toUpperCase()} ${path}`, host: "api", statuses: [] };
      operations.push(current);
      inResponses = false;
      continue;
    }
    if (!current) continue;
    if (/^ {6}\S/.test(line)) inResponses = /^ {6}responses:$/.test(line);
    if (/^ {6,8}- url: https:\/\/ws\./.test(line)) current.host = "stream";
    const status = /^ {8}'(\d{3})':$/.exec(line);
    if (status && inResponses) current.statuses.push(Number(status[1]));
  }
  return operations;
}

const files = existsSync(DIR) ? readdirSync(DIR).filter((name) => name.endsWith(".yml")) : [];
const documented = files.flatMap((name) => operationsIn(readFileSync(join(DIR, name), "utf8")));

describe.skipIf(files.length === 0)("the routes of Gumloop's OpenAPI files", () => {
  it("are read from the files", () => {
    expect(documented.length).toBeGreaterThanOrEqual(45);
    expect(documented.map((o) => o.key)).toContain("POST /brain/search");
  });

  it("are all served, on the documented host, declaring the documented statuses", async () => {
    const { emulator } = await startTestEmulator();
    try {
      const env = emulatorEnv(emulator);
      const routes = buildRoutes({ areas: AREAS, env, signer: env.signer, store: env.store });
      const served = new Map(routes.entries.map((e) => [`${e.host} ${e.method} ${e.pattern}`, e]));
      const problems: string[] = [];
      for (const operation of documented) {
        const entry = served.get(`${operation.host} ${operation.key}`);
        if (!entry) problems.push(`${operation.key} is not served on the ${operation.host} host`);
        else if (
          JSON.stringify([...(entry.statuses ?? [])].sort()) !==
          JSON.stringify([...operation.statuses].sort())
        ) {
          problems.push(`${operation.key} declares ${entry.statuses} instead of ${operation.statuses}`);
        }
      }
      expect(problems).toEqual([]);
    } finally {
      await emulator.close();
    }
  });
});
