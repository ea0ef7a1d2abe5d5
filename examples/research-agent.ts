/**
 * The research agent: researches a topic by running a Gumloop agent, waits for it without spending model turns,
 * saves the report and data it produced, and summarises them.
 *
 * In this example, we:
 * 1. Pick the backends: the real Gumloop API when GUMLOOP_API_KEY and GUMLOOP_USER_ID are set, otherwise the
 *    emulator in-process; ChatOpenAI when OPENAI_API_KEY is set, otherwise a scripted offline model.
 * 2. Build a small LangGraph agent: a model bound to a few discovery tools plus the composite
 *    `run_gumloop_agent_session` tool, and a Gumloop tool node that hands 429s to the graph's retry policy.
 * 3. Stream it, printing live progress of the Gumloop session from the graph's custom events.
 * 4. Save the artifacts under ./out/<topic-slug>/ and print the summary. Ctrl-C cancels the Gumloop session.
 *
 * Run: npm run agent -- --topic "tidal energy"      (see --help)
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import {
  AIMessage,
  HumanMessage,
  SystemMessage,
  ToolMessage,
  type BaseMessage,
} from "@langchain/core/messages";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { END, MessagesAnnotation, START, StateGraph } from "@langchain/langgraph";
import { toolsCondition } from "@langchain/langgraph/prebuilt";
import { ChatOpenAI } from "@langchain/openai";
import {
  ENDPOINTS,
  GumloopClient,
  GumloopError,
  GumloopToolManager,
  createGumloopToolNode,
  createRunAgentSessionTool,
  gumloopToolNodeRetryPolicy,
  type GumloopProgressEvent,
  type SessionGraphStateType,
} from "langchain-gumloop";
import { startEmulator, type Emulator } from "gumloop-emulator";
import { ProgressPrinter } from "./lib/progress.js";
import { scriptedResearchModel } from "./lib/scriptedModel.js";

const HELP = `Usage: npm run agent -- [options]

Researches a topic with a Gumloop agent, saves its report and data, and prints a summary.

Options:
  --topic <text>     What to research (default: "the future of tidal energy")
  --agent <name|id>  Gumloop agent to run, by name (substring) or id (default: "research")
  --out <dir>        Where to save the files; they go to <dir>/<topic-slug>/ (default: ./out)
  --model <name>     OpenAI model, when OPENAI_API_KEY is set (default: gpt-4o-mini)
  --timeout <secs>   Give up on the Gumloop session after this long (default: 600)
  --help             Show this help

Backends (chosen automatically):
  Gumloop  the real API when GUMLOOP_API_KEY and GUMLOOP_USER_ID are set (GUMLOOP_BASE_URL optional),
           otherwise the offline emulator, started in this process
  Model    ChatOpenAI when OPENAI_API_KEY is set (OPENAI_BASE_URL for OpenAI-compatible servers),
           otherwise a scripted model that makes the calls a real model would (offline demo mode)

Exit codes: 0 done, 1 the research failed or timed out, 2 bad usage, 130 cancelled with Ctrl-C.`;

class UsageError extends Error {}

function options() {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        topic: { type: "string", default: "the future of tidal energy" },
        agent: { type: "string", default: "research" },
        out: { type: "string", default: "./out" },
        model: { type: "string", default: "gpt-4o-mini" },
        timeout: { type: "string", default: "600" },
        help: { type: "boolean", default: false },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const timeout = Number(parsed.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0)
    throw new UsageError(`--timeout must be a positive number of seconds`);
  if (!parsed.topic.trim()) throw new UsageError("--topic must not be empty");
  return { ...parsed, timeoutSeconds: timeout };
}

function slugify(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60) || "topic"
  );
}

/** Server-provided file names are untrusted: keep a plain name, never a path. */
function safeFileName(name: string | null, fallback: string): string {
  const base = (name ?? "").split(/[\\/]/).pop() ?? "";
  return /^[A-Za-z0-9._ -]{1,120}$/.test(base) && base !== "." && base !== ".." ? base : fallback;
}

async function gumloopBackend(): Promise<{
  client: GumloopClient;
  label: string;
  emulator: Emulator | null;
}> {
  if (process.env["GUMLOOP_API_KEY"] && process.env["GUMLOOP_USER_ID"]) {
    const client = new GumloopClient();
    return { client, label: `Gumloop API at ${client.baseUrl}`, emulator: null };
  }
  const emulator = await startEmulator({ port: 0 });
  const client = new GumloopClient(emulator.clientOptions());
  return { client, label: `Gumloop emulator at ${emulator.url} (offline, no keys needed)`, emulator };
}

function modelBackend(flags: ReturnType<typeof options>): { model: BaseChatModel; label: string } {
  if (process.env["OPENAI_API_KEY"]) {
    const baseURL = process.env["OPENAI_BASE_URL"];
    const model = new ChatOpenAI({
      model: flags.model,
      temperature: 0,
      ...(baseURL ? { configuration: { baseURL } } : {}),
    });
    return { model, label: `OpenAI ${flags.model}${baseURL ? ` at ${baseURL}` : ""}` };
  }
  const model = scriptedResearchModel({ topic: flags.topic, agent: flags.agent }) as unknown as BaseChatModel;
  return { model, label: "scripted model (OFFLINE DEMO MODE: set OPENAI_API_KEY to use a real model)" };
}

async function main(): Promise<number> {
  const flags = options();
  if (flags.help) {
    console.log(HELP);
    return 0;
  }
  const gumloop = await gumloopBackend();
  const { model, label } = modelBackend(flags);
  console.log(`Gumloop: ${gumloop.label}`);
  console.log(`Model:   ${label}`);
  console.log(`Topic:   ${flags.topic}`);

  const { client } = gumloop;
  const manager = new GumloopToolManager({ client });
  const tools = [
    ...manager.getTools({
      names: [
        "list_all_gumloop_agents",
        "get_single_gumloop_agent_by_id",
        "get_single_gumloop_session_by_id",
        "list_all_gumloop_artifacts",
      ],
    }),
    createRunAgentSessionTool({
      client,
      deadlineMs: flags.timeoutSeconds * 1_000,
      // Interactive use: a gentler backoff than the default ×2 notices a short run sooner.
      schedule: { factor: 1.5 },
    }),
  ];
  const bound = model.bindTools!(tools);
  const system = new SystemMessage(
    `You research topics with Gumloop. Find the Gumloop agent matching "${flags.agent}" (list_all_gumloop_agents with search, ` +
      "or get_single_gumloop_agent_by_id for an id), run it once on the topic with run_gumloop_agent_session, then " +
      "summarise its final message in a few lines and name the files it produced. Do not poll: the run tool waits.",
  );
  const agent = new StateGraph(MessagesAnnotation)
    .addNode("agent", async (state) => ({ messages: [await bound.invoke([system, ...state.messages])] }))
    .addNode("tools", createGumloopToolNode(tools), { retryPolicy: gumloopToolNodeRetryPolicy() })
    .addEdge(START, "agent")
    .addConditionalEdges("agent", toolsCondition, ["tools", END])
    .addEdge("tools", "agent")
    .compile();

  const controller = new AbortController();
  const printer = new ProgressPrinter();
  let sessionId: string | null = null;
  let interrupted = false;
  const onSigint = () => {
    interrupted = true;
    controller.abort(new Error("cancelled with Ctrl-C"));
  };
  process.once("SIGINT", onSigint);

  const messages: BaseMessage[] = [new HumanMessage(`Research this topic: ${flags.topic}`)];
  try {
    const stream = await agent.stream(
      { messages },
      { streamMode: ["updates", "custom"], signal: controller.signal, recursionLimit: 30 },
    );
    for await (const [mode, chunk] of stream as AsyncIterable<[string, unknown]>) {
      if (mode === "custom") {
        const event = chunk as GumloopProgressEvent;
        if (event.kind === "gumloop_progress") {
          sessionId = event.job === "session" ? event.id : sessionId;
          printer.event(event);
        }
        continue;
      }
      for (const update of Object.values(chunk as Record<string, { messages?: BaseMessage[] }>)) {
        for (const message of update?.messages ?? []) {
          messages.push(message);
          if (AIMessage.isInstance(message)) {
            for (const call of message.tool_calls ?? []) {
              printer.done();
              console.log(`→ ${call.name}(${JSON.stringify(call.args)})`);
            }
          }
        }
      }
    }
  } catch (error) {
    printer.done();
    if (interrupted) {
      if (sessionId) {
        await client
          .call(ENDPOINTS.delete_a_gumloop_session_by_id, { session_id: sessionId })
          .then(() => console.error(`Cancelled Gumloop session ${sessionId}.`))
          .catch((cancelError: Error) =>
            console.error(`Could not cancel session ${sessionId}: ${cancelError.message}`),
          );
      }
      console.error("Stopped (Ctrl-C).");
      return 130;
    }
    throw error;
  } finally {
    process.removeListener("SIGINT", onSigint);
    await gumloop.emulator?.close();
  }
  printer.done();

  const run = messages.find((m) => ToolMessage.isInstance(m) && m.name === "run_gumloop_agent_session") as
    ToolMessage | undefined;
  const summary = messages.filter((m) => AIMessage.isInstance(m)).at(-1)?.content;
  if (!run || run.status === "error") {
    console.error(
      run
        ? `The research run failed: ${String(run.content).replace(/\n Please fix your mistakes\.$/, "")}`
        : `The agent did not run: no Gumloop agent matches "${flags.agent}". ${String(summary ?? "")}`.trim(),
    );
    return 1;
  }
  const state = run.artifact as SessionGraphStateType;
  if (state.status !== "completed") {
    const why =
      state.status === "timed_out" ? `timed out after ${flags.timeoutSeconds}s` : `ended as ${state.status}`;
    console.error(`The Gumloop session ${state.sessionId} ${why}. ${state.finalMessage ?? ""}`.trim());
    return 1;
  }

  const directory = resolve(flags.out, slugify(flags.topic));
  await mkdir(directory, { recursive: true });
  const saved: string[] = [];
  for (const [index, artifact] of state.artifacts.entries()) {
    if (!artifact.bytes) continue;
    const path = join(directory, safeFileName(artifact.filename, `artifact-${index + 1}`));
    await writeFile(path, artifact.bytes);
    saved.push(path);
  }
  console.log("\n" + String(summary ?? "").trim());
  console.log(`\nSession ${state.sessionId}: ${state.status} after ${state.polls} polls.`);
  console.log("Saved:");
  for (const path of saved) console.log(`  ${path}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${HELP}`);
      process.exit(2);
    }
    const message =
      error instanceof GumloopError ? error.message : String((error as Error)?.message ?? error);
    console.error(`Error: ${message}`);
    process.exit(1);
  },
);
