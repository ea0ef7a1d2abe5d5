/**
 * Failures in words a newcomer can act on: which service failed (Gumloop or the model provider), its own error,
 * and what to check. A real key meets these first (a typo in the key, a wrong base URL, no network), so each
 * names the setting that is most likely wrong. Nothing printed here carries a key, a user id or a token.
 */
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  AuthenticationError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
} from "langchain-gumloop";

/** A failure explained: the first line says what failed, the rest what to check. */
export interface Explained {
  readonly headline: string;
  readonly checks: readonly string[];
}

/** Where a Gumloop request went and with which kind of credentials, for the advice. */
export interface GumloopTarget {
  readonly baseUrl: string;
  /** How the credentials were given, e.g. "personal key" (never the key itself). */
  readonly credentials: string;
}

/**
 * Failures that no model turn can fix: the key is refused or the server cannot be reached. They end the run at
 * once instead of being handed to the model as a tool error.
 */
export function isFatalGumloopError(error: unknown): boolean {
  return error instanceof AuthenticationError || error instanceof APIConnectionError;
}

/** The system error code in a connection failure (ENOTFOUND, ECONNREFUSED, …), if it names one. */
function systemCode(error: Error): string | null {
  const text = `${error.message} ${(error.cause as Error | undefined)?.message ?? ""}`;
  return /\b(E[A-Z][A-Z_]{3,})\b/.exec(text)?.[1] ?? null;
}

export function explainGumloopError(error: unknown, target: GumloopTarget): Explained {
  const message = error instanceof Error ? error.message : String(error);
  const headline = `Gumloop failed: ${message}`;
  const { origin, host } = new URL(target.baseUrl);
  if (error instanceof APIConnectionTimeoutError) {
    return {
      headline,
      checks: [
        `${origin} accepted the connection but did not answer in time. Check that GUMLOOP_BASE_URL ` +
          `(${target.baseUrl}) points at Gumloop's API, and any proxy in between.`,
      ],
    };
  }
  if (error instanceof APIConnectionError) {
    const code = systemCode(error);
    const check =
      code === "ENOTFOUND" || code === "EAI_AGAIN"
        ? `The host ${host} could not be found. Check GUMLOOP_BASE_URL (unset, it is Gumloop's own ` +
          "https://api.gumloop.com/api/v1) and that this machine has network access and DNS."
        : code === "ECONNREFUSED"
          ? `Nothing accepts connections at ${origin}. Check GUMLOOP_BASE_URL and that the server is running.`
          : `The connection to ${origin} failed. Check your network and GUMLOOP_BASE_URL.`;
    return { headline, checks: [check] };
  }
  if (error instanceof AuthenticationError) {
    const keyChecks =
      error.code === "missing_auth_key"
        ? "A personal API key needs GUMLOOP_USER_ID (the key owner's user id) with it; a team key needs GUMLOOP_TEAM_ID."
        : `Gumloop refused the credentials (${target.credentials}). Check GUMLOOP_API_KEY (copy it again from ` +
          "Gumloop's settings), and GUMLOOP_USER_ID (the key owner's user id, for a personal key) or " +
          "GUMLOOP_TEAM_ID (for a team key).";
    return { headline, checks: [keyChecks, `Requests went to ${target.baseUrl} (GUMLOOP_BASE_URL).`] };
  }
  if (error instanceof PermissionDeniedError) {
    return {
      headline,
      checks: [
        "The key works but may not do this. Check that the agent belongs to the key's user or team " +
          "(GUMLOOP_TEAM_ID for a team's agents) and that your plan includes it.",
      ],
    };
  }
  if (error instanceof NotFoundError)
    return { headline, checks: ["Gumloop does not know this id: check --agent or --resume."] };
  if (error instanceof RateLimitError) {
    const wait =
      error.retryAfterMs === null ? "" : ` (it asked to wait ${Math.ceil(error.retryAfterMs / 1000)} s)`;
    return {
      headline,
      checks: [
        `Gumloop is limiting this key's requests or concurrent sessions${wait}: run again later, or ` +
          "finish other running sessions first.",
      ],
    };
  }
  if (error instanceof InternalServerError) {
    const id = error.requestId ? ` Request id for Gumloop's support: ${error.requestId}.` : "";
    return { headline, checks: [`Gumloop had a server error: try again in a few minutes.${id}`] };
  }
  return { headline, checks: [] };
}

/** A model provider call failed; `cause` is the provider SDK's error. */
export class ModelProviderError extends Error {
  constructor(
    /** How the model was described to the user, e.g. "OpenAI gpt-4o-mini". */
    readonly provider: string,
    /** Where its requests went. */
    readonly baseUrl: string,
    cause: unknown,
  ) {
    super(`${provider}: ${firstLine(cause)}`, { cause });
    this.name = "ModelProviderError";
  }
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n")[0]!.trim() || (error as Error)?.name || "unknown error";
}

export function explainModelError(error: ModelProviderError): Explained {
  const cause = error.cause as { status?: number; name?: string; code?: string } | undefined;
  const status = typeof cause?.status === "number" ? cause.status : null;
  const headline = `The model provider failed: ${error.message}`;
  const at = `Requests went to ${error.baseUrl} (OPENAI_BASE_URL).`;
  if (status === 401)
    return {
      headline,
      checks: ["Check OPENAI_API_KEY: it was refused. Unset it to run the offline demo model.", at],
    };
  if (status === 403) return { headline, checks: ["The key may not use this model or project.", at] };
  if (status === 404)
    return { headline, checks: ["Check --model: this provider does not serve that model to this key.", at] };
  if (status === 429)
    return {
      headline,
      checks: ["The provider is limiting requests, or the account is out of quota or credit.", at],
    };
  if (status !== null && status >= 500)
    return { headline, checks: ["The provider had a server error: try again later.", at] };
  if (cause?.name === "TimeoutError")
    return {
      headline,
      checks: ["The provider did not answer in time. Check OPENAI_BASE_URL and your network.", at],
    };
  return {
    headline,
    checks: [`The provider could not be reached. Check your network and OPENAI_BASE_URL (${error.baseUrl}).`],
  };
}

/**
 * Removes secrets from a text before it is printed: the values of the credential variables, and anything shaped
 * like an API key (providers echo a masked key in their 401 messages, which still shows part of it).
 */
export function redactSecrets(text: string, env: Readonly<Record<string, string | undefined>>): string {
  let clean = text;
  for (const name of [
    "GUMLOOP_API_KEY",
    "GUMLOOP_USER_ID",
    "GUMLOOP_TEAM_ID",
    "GUMLOOP_ACCESS_TOKEN",
    "OPENAI_API_KEY",
  ]) {
    const value = env[name];
    if (value && value.length >= 4) clean = clean.split(value).join("[redacted]");
  }
  return clean.replace(/\b(?:sk|gl)[-_][\w*-]{3,}/g, "[redacted key]");
}
