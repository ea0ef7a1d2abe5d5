/**
 * Which Gumloop and which model the research agent talks to, chosen from the environment, and said out loud:
 * a run never silently lands on the emulator when the user meant the real API, and never prints a credential.
 */
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { ChatOpenAI } from "@langchain/openai";
import { startEmulator, type Emulator } from "gumloop-emulator";
import { UsageError } from "./cliOptions.js";
import type { GumloopTarget } from "./failures.js";
import { ObservedClient, type ClientObserver } from "./observedClient.js";
import { scriptedResearchModel } from "./scriptedModel.js";
import type { Waits } from "./waits.js";

type Env = Readonly<Record<string, string | undefined>>;

/**
 * One request's time limit. The library's default (90 s, two retries) suits servers; a person at a terminal
 * should hear within seconds that a server accepts connections and never answers. Long jobs are not affected:
 * they are polled with many short requests.
 */
const REQUEST_TIMEOUT_MS = 15_000;
/** One model reply's time limit; LangChain's default retries a failing provider six times (over a minute). */
const MODEL_TIMEOUT_MS = 60_000;
const OPENAI_DEFAULT_URL = "https://api.openai.com/v1";

export interface GumloopBackend {
  readonly client: ObservedClient;
  /** The "Gumloop:" line. */
  readonly label: string;
  readonly target: GumloopTarget;
  /** The emulator started in this process, when no credentials were given. */
  readonly emulator: Emulator | null;
  /** Said before the run starts: why this backend was chosen when the environment could suggest another. */
  readonly notes: readonly string[];
}

/**
 * How the environment's credentials are meant, as a phrase (never the values), or null for none. A key without
 * a user id or a team id is refused: Gumloop would answer 401, and the fix is a variable, not a retry.
 */
function credentialsOf(env: Env): string | null {
  if (env["GUMLOOP_ACCESS_TOKEN"]) return "OAuth token from GUMLOOP_ACCESS_TOKEN";
  if (!env["GUMLOOP_API_KEY"]) return null;
  if (env["GUMLOOP_USER_ID"]) return "personal key: GUMLOOP_API_KEY with GUMLOOP_USER_ID";
  if (env["GUMLOOP_TEAM_ID"]) return "team key: GUMLOOP_API_KEY with GUMLOOP_TEAM_ID";
  throw new UsageError(
    "GUMLOOP_API_KEY is set without GUMLOOP_USER_ID (personal key) or GUMLOOP_TEAM_ID (team key): set the one " +
      "that goes with your key, or unset GUMLOOP_API_KEY to run offline on the emulator",
  );
}

export async function gumloopBackend(
  env: Env,
  timeoutSeconds: number,
  waits: Waits,
  observer: ClientObserver,
): Promise<GumloopBackend> {
  const requests = { timeoutMs: Math.min(REQUEST_TIMEOUT_MS, timeoutSeconds * 1_000), maxRetries: 1 };
  const credentials = credentialsOf(env);
  if (credentials) {
    const client = new ObservedClient({ ...requests, env }, waits, observer);
    return {
      client,
      label: `Gumloop API at ${client.baseUrl} (${credentials})`,
      target: { baseUrl: client.baseUrl, credentials },
      emulator: null,
      notes: [],
    };
  }
  const stray = ["GUMLOOP_USER_ID", "GUMLOOP_TEAM_ID"].filter((name) => env[name]);
  const notes = stray.length
    ? [
        `${stray.join(" and ")} ${stray.length > 1 ? "are" : "is"} set but GUMLOOP_API_KEY is not: using the offline emulator.`,
      ]
    : [];
  const emulator = await startEmulator({ port: 0 });
  const client = new ObservedClient({ ...emulator.clientOptions(), ...requests }, waits, observer);
  return {
    client,
    label: `Gumloop emulator at ${emulator.url} (offline, no keys needed)`,
    target: { baseUrl: emulator.url, credentials: "the emulator's own key" },
    emulator,
    notes,
  };
}

export interface ModelBackend {
  readonly model: BaseChatModel;
  /** The "Model:" line. */
  readonly label: string;
  /** The provider and model, for failures, e.g. "OpenAI gpt-4o-mini". */
  readonly provider: string;
  /** Where the provider's requests go. */
  readonly baseUrl: string;
}

export function modelBackend(
  options: { model: string; topic: string; agent: string; timeoutSeconds: number },
  env: Env,
): ModelBackend {
  const apiKey = env["OPENAI_API_KEY"];
  if (apiKey) {
    const baseURL = env["OPENAI_BASE_URL"];
    const model = new ChatOpenAI({
      model: options.model,
      apiKey,
      temperature: 0,
      // One retry and a short limit: a refused key or an unreachable provider is reported in seconds.
      maxRetries: 1,
      timeout: Math.min(MODEL_TIMEOUT_MS, options.timeoutSeconds * 1_000),
      ...(baseURL ? { configuration: { baseURL } } : {}),
    });
    const provider = `OpenAI ${options.model}`;
    return {
      model,
      label: `${provider}${baseURL ? ` at ${baseURL}` : ""}`,
      provider,
      baseUrl: baseURL ?? OPENAI_DEFAULT_URL,
    };
  }
  const model = scriptedResearchModel({
    topic: options.topic,
    agent: options.agent,
  }) as unknown as BaseChatModel;
  return {
    model,
    label: "scripted model (OFFLINE DEMO MODE: set OPENAI_API_KEY to use a real model)",
    provider: "the scripted model",
    baseUrl: "(in process)",
  };
}
