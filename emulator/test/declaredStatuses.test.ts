/**
 * Every documented operation answers only the statuses its OpenAPI file declares. Each route registered with its
 * declared statuses is probed with what a careless or hostile client sends (no key, a wrong key, another user's
 * key, unknown and foreign ids, out-of-range and unknown query values, no body, bodies that are not JSON, a form,
 * a JSON array, wrong field types, an unpaired surrogate, bytes that are not UTF-8) and every answer's status must
 * be among the declared ones.
 *
 * One carve-out, documented in gumloop-api.md 3.4: a start refused by the plan's concurrency limit is a 429
 * whatever the operation lists (Gumloop documents the limit for every plan-limited start, and the status for flow
 * starts is inference). The probes run on Pro (which refuses past the limit) and Enterprise (which queues, and
 * opens the enterprise-only organization routes).
 */
import { describe, expect, it } from "vitest";
import {
  SEED_AGENTS,
  SEED_MCP_SERVERS,
  SEED_SESSIONS,
  SEED_SKILLS,
  type Emulator,
  type Plan,
} from "../src/index.js";
import { AREAS } from "../src/areas/index.js";
import { emulatorEnv } from "../src/internals.js";
import { buildRoutes } from "../src/server/server.js";
import { authHeaders, startTestEmulator } from "./helpers.js";

/** Ids per path parameter: a valid one first, then unknown and foreign ones. */
function idsFor(emulator: Emulator, artifactId: string): Record<string, string[]> {
  return {
    agent_id: [SEED_AGENTS.research, "agtNope", SEED_AGENTS.otherUsers],
    session_id: [SEED_SESSIONS.quantum, "sess_nope"],
    server_id: [SEED_MCP_SERVERS.slack, "srv_nope", SEED_MCP_SERVERS.github],
    skill_id: [SEED_SKILLS.leadEnrichment, "skill_nope", SEED_SKILLS.otherUsers],
    artifact_id: [artifactId, "art_nope"],
    evaluation_id: ["eval_seedQuant01", "eval_nope"],
    user: [emulator.userId],
  };
}

const QUERIES: readonly Record<string, string>[] = [
  {},
  { page_size: "0" },
  { page_size: "abc" },
  { page_size: "1000" },
  { cursor: "not-a-cursor" },
  { sort_order: "sideways" },
  { state: "asleep" },
  { grade: "excellent" },
  { days: "0" },
  { days: "9999" },
  { version_id: "ver_nope" },
  { team_id: "team_nope" },
  { has_triggers: "maybe" },
  { run_id: "run_nope" },
  { saved_item_id: "flow_nope" },
  { data_export_id: "exp_nope" },
  { download: "yes" },
];

/** Raw bodies: [content type, bytes]. */
const BODIES: readonly [string | null, string | Uint8Array | null][] = [
  [null, null],
  ["application/json", "{}"],
  ["application/json", "{not json"],
  ["application/json", "[1, 2]"],
  ["application/json", '{"name": "\\ud800", "input": "\\udc00 x", "query": "\\ud83d"}'],
  ["application/json", new Uint8Array([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])],
  ["application/x-www-form-urlencoded", "name=x&input=y&query=z"],
  [
    "application/json",
    JSON.stringify({
      name: 5,
      model_name: [],
      input: 5,
      query: 5,
      limit: 0,
      source_type: [],
      attach: "x",
      detach: [1],
      calls: "x",
      file_name: 5,
      file_content: "%%%",
      files: 5,
      action: "explode",
      approval_responses: 1,
      criteria: "x",
      enabled: "yes",
      export_fields: "x",
      saved_item_id: 5,
      run_id: 5,
    }),
  ],
  ["multipart/form-data; boundary=x", "--x--\r\n"],
];

type Auth = "personal" | "none" | "bad" | "other" | "team" | "oauth";
const AUTHS: readonly Auth[] = ["personal", "none", "bad", "other", "team", "oauth"];

function headersFor(emulator: Emulator, auth: Auth): Record<string, string> {
  if (auth === "bad") return { authorization: "Bearer gl_nope", "x-auth-key": emulator.userId };
  return authHeaders(emulator, auth);
}

/** Every path a pattern expands to with the probe ids (all combinations of its parameters). */
function pathsFor(pattern: string, ids: Record<string, string[]>): string[] {
  let paths = [pattern];
  for (const [, name] of pattern.matchAll(/\{([a-z_]+)\}/g)) {
    const values = ids[name!] ?? ["x"];
    paths = paths.flatMap((path) => values.map((value) => path.replace(`{${name}}`, value)));
  }
  return paths;
}

async function probe(plan: Plan): Promise<string[]> {
  const { emulator } = await startTestEmulator({ plan });
  try {
    const env = emulatorEnv(emulator);
    const routes = buildRoutes({ areas: AREAS, env, signer: env.signer, store: env.store });
    const artifactId = [...env.store.artifacts.keys()][0]!;
    const ids = idsFor(emulator, artifactId);
    const problems: string[] = [];
    const send = async (
      method: string,
      path: string,
      declared: readonly number[],
      init: {
        auth: Auth;
        query?: Record<string, string>;
        body?: [string | null, string | Uint8Array | null];
      },
    ) => {
      const url = new URL(`${emulator.url}${path}`);
      for (const [key, value] of Object.entries(init.query ?? {})) url.searchParams.set(key, value);
      const headers = headersFor(emulator, init.auth);
      const [contentType, body] = init.body ?? [null, null];
      if (contentType) headers["content-type"] = contentType;
      const res = await fetch(url, { method, headers, body: method === "GET" ? null : body });
      await res.arrayBuffer();
      if (!declared.includes(res.status) && res.status !== 429) {
        const what = init.body ? `body ${JSON.stringify(String(init.body[1]).slice(0, 40))}` : "";
        problems.push(`${method} ${path}${url.search} (${init.auth}) ${what} → ${res.status}`);
      }
    };
    for (const entry of routes.entries) {
      if (entry.host !== "api" || !entry.statuses) continue;
      const { method, pattern, statuses } = entry;
      const [first, ...others] = pathsFor(pattern, ids);
      const withUser = { user_id: emulator.userId };
      for (const path of [first!, ...others])
        await send(method, path, statuses, { auth: "personal", query: withUser });
      for (const auth of AUTHS) await send(method, first!, statuses, { auth, query: withUser });
      if (method === "GET" || method === "DELETE") {
        for (const query of QUERIES) {
          await send(method, first!, statuses, { auth: "personal", query: { ...withUser, ...query } });
          await send(method, first!, statuses, { auth: "personal", query });
        }
      } else {
        for (const body of BODIES) {
          await send(method, first!, statuses, { auth: "personal", body, query: withUser });
          await send(method, first!, statuses, { auth: "personal", body });
        }
      }
    }
    return problems;
  } finally {
    await emulator.close();
  }
}

describe("declared statuses", () => {
  it.each<Plan>(["pro", "enterprise"])(
    "every documented operation answers only them (%s plan)",
    async (plan) => {
      expect(await probe(plan)).toEqual([]);
    },
    60_000,
  );
});
