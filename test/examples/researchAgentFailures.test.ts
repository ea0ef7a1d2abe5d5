/**
 * What a newcomer meets first with real keys: the services failing. Each test runs the research agent as a process
 * against a local stand-in (a host that does not exist, a port nobody listens on, a server that answers 401, one
 * that accepts the connection and never answers, an OpenAI-style provider that refuses the key) and checks that
 * the run ends quickly, names the real cause and what to check, never prints a credential, and exits 1 (2 for
 * settings that are wrong before anything runs).
 */
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closedPortUrl, startRecordingServer, type RecordingServer } from "../helpers/recordingServer.js";
import { describeRun, runAgent } from "./runAgent.js";

/** Never written to: every run here fails before it saves anything. */
const OUT = join(tmpdir(), "research-agent-failures");
const KEY = "gl_live_secret_key_9f8e7d6c5b4a";
const USER = "user_secret_1234abcd";
const personal = (baseUrl: string) => ({
  GUMLOOP_API_KEY: KEY,
  GUMLOOP_USER_ID: USER,
  GUMLOOP_BASE_URL: baseUrl,
});

/** No run may print a credential, however it fails. */
function expectNoSecrets(output: string, ...secrets: string[]) {
  for (const secret of [KEY, USER, ...secrets]) expect(output).not.toContain(secret);
}

let servers: RecordingServer[] = [];
async function server(reply: Parameters<RecordingServer["queue"]>[0]): Promise<RecordingServer> {
  const started = await startRecordingServer();
  started.fallback = () => reply;
  servers.push(started);
  return started;
}
afterAll(async () => {
  await Promise.all(servers.map((started) => started.close()));
  servers = [];
});

describe.concurrent("research agent: Gumloop failures", () => {
  it("unreachable host: names ENOTFOUND and GUMLOOP_BASE_URL, not a missing agent", async () => {
    const run = await runAgent(["--out", OUT], { env: personal("http://gumloop-host.invalid/api/v1") });
    expect(run.code, describeRun(run)).toBe(1);
    expect(run.stderr).toMatch(
      /Gumloop failed: list_all_gumloop_agents failed: connection error \(.*(ENOTFOUND|EAI_AGAIN)/,
    );
    expect(run.stderr).toContain("The host gumloop-host.invalid could not be found. Check GUMLOOP_BASE_URL");
    expect(run.stderr).not.toContain("no Gumloop agent matches");
    expectNoSecrets(run.stdout + run.stderr);
  }, 60_000);

  it("nothing listening: names ECONNREFUSED and the address", async () => {
    const url = await closedPortUrl();
    const run = await runAgent(["--out", OUT], { env: personal(url) });
    expect(run.code, describeRun(run)).toBe(1);
    expect(run.stderr).toMatch(/connection error \(.*ECONNREFUSED/);
    expect(run.stderr).toContain(
      `Nothing accepts connections at ${new URL(url).origin}. Check GUMLOOP_BASE_URL`,
    );
  }, 60_000);

  it("401 invalid_api_key: reports Gumloop's answer and the variables to check, after one request", async () => {
    const refusing = await server({
      status: 401,
      body: { error: { code: "invalid_api_key", message: "Invalid API key.", type: "authentication_error" } },
    });
    const run = await runAgent(["--out", OUT], { env: personal(refusing.url) });
    expect(run.code, describeRun(run)).toBe(1);
    expect(run.stderr).toContain(
      "Gumloop failed: list_all_gumloop_agents failed: 401 invalid_api_key: Invalid API key.",
    );
    expect(run.stderr).toMatch(
      /Gumloop refused the credentials \(personal key: GUMLOOP_API_KEY with GUMLOOP_USER_ID\)\. Check GUMLOOP_API_KEY/,
    );
    expect(run.stderr).not.toContain("no Gumloop agent matches");
    // The run stops at the refusal: no further model turns or requests.
    expect(refusing.requests).toHaveLength(1);
    expectNoSecrets(run.stdout + run.stderr);
  }, 60_000);

  it("a server that never answers: a waiting line says what for, and the run ends at --timeout with the cause", async () => {
    const silent = await server({ hang: true });
    const run = await runAgent(["--timeout", "4", "--out", OUT], { env: personal(silent.url) });
    expect(run.code, describeRun(run)).toBe(1);
    const waiting = `Gumloop at ${silent.url} to answer list_all_gumloop_agents (a request gives up after 4 s)`;
    expect(run.stdout).toContain(`Waiting for ${waiting}: `);
    expect(run.stderr).toContain(`The run timed out after 4s (--timeout), waiting for ${waiting}.`);
    expect(run.stderr).toContain(
      "Check that GUMLOOP_BASE_URL points at Gumloop's API and that the server answers.",
    );
    // The run is bounded by --timeout (plus the moments to print and exit), whatever Node's start-up took.
    expect(run.runMs).toBeLessThan(4_000 + 5_000);
  }, 60_000);

  it("a key with neither a user id nor a team id: says which variable to set, exits 2, sends nothing", async () => {
    const watching = await server({ status: 200, body: {} });
    const run = await runAgent(["--out", OUT], {
      env: { GUMLOOP_API_KEY: KEY, GUMLOOP_BASE_URL: watching.url },
    });
    expect(run.code, describeRun(run)).toBe(2);
    expect(run.stderr).toMatch(
      /GUMLOOP_API_KEY is set without GUMLOOP_USER_ID \(personal key\) or GUMLOOP_TEAM_ID \(team key\)/,
    );
    expect(watching.requests).toHaveLength(0);
    expectNoSecrets(run.stdout + run.stderr);
  }, 60_000);

  it("--out naming a file is refused before the research starts", async () => {
    const watching = await server({ status: 200, body: {} });
    // Relative to where the user runs it (the repository root, where README.md is a file).
    const run = await runAgent(["--out", "README.md"], { env: personal(watching.url) });
    expect(run.code, describeRun(run)).toBe(2);
    expect(run.stderr).toMatch(/^--out README\.md: \/.*\/README\.md is a file, not a directory/);
    expect(watching.requests).toHaveLength(0);
  }, 60_000);
});

describe.concurrent("research agent: model provider failures", () => {
  let provider: RecordingServer;
  beforeAll(async () => {
    provider = await server({
      status: 401,
      body: {
        error: {
          message:
            "Incorrect API key provided: sk-test***wxyz. You can find your API key at https://platform.openai.com/account/api-keys.",
          type: "invalid_request_error",
          param: null,
          code: "invalid_api_key",
        },
      },
    });
  });

  it("a refused OpenAI key: says the model provider failed, which one, what to check, in seconds", async () => {
    const openAiKey = "sk-test-not-a-real-key-wxyz";
    const baseUrl = provider.url.replace("/api/v1", "/v1");
    const run = await runAgent(["--out", OUT], {
      env: { OPENAI_API_KEY: openAiKey, OPENAI_BASE_URL: baseUrl },
    });
    expect(run.code, describeRun(run)).toBe(1);
    expect(run.stdout).toContain(`Model:   OpenAI gpt-4o-mini at ${baseUrl}`);
    expect(run.stderr).toMatch(
      /^The model provider failed: OpenAI gpt-4o-mini: 401 Incorrect API key provided/,
    );
    expect(run.stderr).toContain("Check OPENAI_API_KEY: it was refused.");
    expect(run.stderr).toContain(`Requests went to ${baseUrl} (OPENAI_BASE_URL).`);
    // The real ChatOpenAI class made the call, and did not retry a refused key.
    expect(provider.requests.map((request) => request.url.pathname)).toEqual(["/v1/chat/completions"]);
    expect(run.runMs).toBeLessThan(5_000);
    expectNoSecrets(run.stdout + run.stderr, openAiKey, "sk-test***wxyz");
  }, 60_000);
});
