/**
 * The research agent's command line: its flags, their checks, and the help text. Everything here is checked before
 * anything starts, and a mistake is reported as one line plus where to find the options (not the whole help).
 */
import { parseArgs } from "node:util";

export const HELP = `Usage: npm run agent -- [options]

Researches a topic with a Gumloop agent, saves its report and data, and prints a summary.
Every run starts a new research session; --resume waits again for one an earlier run started.

Options:
  --topic <text>        What to research (default: "the future of tidal energy")
  --agent <name|id>     Gumloop agent to run, by name (substring) or id (default: "research")
  --out <dir>           Where to save the files; they go to <dir>/<topic-slug>/ (default: ./out)
  --model <name>        OpenAI model, when OPENAI_API_KEY is set (default: gpt-4o-mini)
  --timeout <secs>      Give up after this long: the whole run, every wait included (default: 600)
  --resume <session>    Wait again for the session an earlier run started (its id is printed as
                        "New research session lc_..."), then save its files; no new session is started
  --approve             Accept what the Gumloop agent asks approval for (on a terminal you are asked)
  --help                Show this help

Backends (chosen automatically):
  Gumloop  the real API when GUMLOOP_API_KEY is set with GUMLOOP_USER_ID (personal key) or
           GUMLOOP_TEAM_ID (team key), or when GUMLOOP_ACCESS_TOKEN is set (OAuth); GUMLOOP_BASE_URL
           optional. Otherwise the offline emulator, started in this process
  Model    ChatOpenAI when OPENAI_API_KEY is set (OPENAI_BASE_URL for OpenAI-compatible servers),
           otherwise a scripted model that makes the calls a real model would (offline demo mode)

Exit codes: 0 done, 1 the research failed or timed out, 2 bad usage or settings, 130 cancelled with Ctrl-C.`;

/** Where a usage error sends the user instead of printing the whole help. */
export const HELP_HINT = 'Run "npm run agent -- --help" to see the options.';

/** A mistake in the flags or the environment: reported in one line, exit code 2. */
export class UsageError extends Error {}

export interface AgentOptions {
  readonly topic: string;
  readonly agent: string;
  readonly out: string;
  readonly model: string;
  readonly timeoutSeconds: number;
  /** The session to wait for again, or null for a new research. */
  readonly resume: string | null;
  readonly approve: boolean;
  readonly help: boolean;
}

const DEFAULTS = {
  topic: "the future of tidal energy",
  agent: "research",
  out: "./out",
  model: "gpt-4o-mini",
  timeout: "600",
};

/** Flags that take a value; a value may look like a negative number, which parseArgs would read as a flag. */
const VALUE_FLAGS = new Set(["--topic", "--agent", "--out", "--model", "--timeout", "--resume"]);

/**
 * `--timeout -5` reaches parseArgs as a flag named `-5` and fails with a message about ambiguity. Joined into
 * `--timeout=-5`, the value arrives and gets our own check and message.
 */
function joinDashValues(argv: readonly string[]): string[] {
  const joined: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    const next = argv[index + 1];
    if (VALUE_FLAGS.has(arg) && next !== undefined && /^-\d/.test(next)) {
      joined.push(`${arg}=${next}`);
      index++;
    } else joined.push(arg);
  }
  return joined;
}

export function parseOptions(argv: readonly string[]): AgentOptions {
  let values;
  try {
    values = parseArgs({
      args: joinDashValues(argv),
      options: {
        topic: { type: "string" },
        agent: { type: "string" },
        out: { type: "string" },
        model: { type: "string" },
        timeout: { type: "string" },
        resume: { type: "string" },
        approve: { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const timeoutText = values.timeout ?? DEFAULTS.timeout;
  const timeoutSeconds = Number(timeoutText);
  if (!timeoutText.trim() || !Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0)
    throw new UsageError(`--timeout must be a positive number of seconds (got "${timeoutText}")`);
  const topic = values.topic ?? DEFAULTS.topic;
  if (!topic.trim()) throw new UsageError("--topic must not be empty");
  const resume = values.resume ?? null;
  if (resume !== null) {
    // The client checks every id it puts in a path; this only catches a mistyped one before anything starts.
    if (!/^[\w.:~-]{1,256}$/.test(resume))
      throw new UsageError(`--resume needs a session id such as lc_0123abcd (got "${resume}")`);
    if (values.topic !== undefined || values.agent !== undefined)
      throw new UsageError("--resume waits for an existing session: leave out --topic and --agent");
  }
  return {
    topic,
    agent: values.agent ?? DEFAULTS.agent,
    out: values.out ?? DEFAULTS.out,
    model: values.model ?? DEFAULTS.model,
    timeoutSeconds,
    resume,
    approve: values.approve,
    help: values.help,
  };
}
