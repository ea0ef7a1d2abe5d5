/**
 * The research agent: researches a topic by running a Gumloop agent, waits for it without spending model turns,
 * saves the report and data it produced, and summarises them.
 *
 * In this example, we:
 * 1. Check the flags and the output directory before anything starts, and pick the backends: the real Gumloop
 *    API when credentials are set (personal key, team key or OAuth token), otherwise the emulator in-process;
 *    ChatOpenAI when OPENAI_API_KEY is set, otherwise a scripted offline model (examples/lib/backends.ts).
 * 2. Build a small LangGraph agent: a model bound to a few discovery tools plus the composite
 *    `run_gumloop_agent_session` tool (examples/lib/agentGraph.ts).
 * 3. Stream it on a thread of its own, so every run is a new research session, printing live progress and what
 *    it waits for. `--timeout` bounds the whole run; a refused key or an unreachable server ends it at once, with
 *    the real error and what to check (examples/lib/failures.ts).
 * 4. Save the artifacts under ./out/<topic-slug>/ and print the summary. `--resume <session>` waits again for a
 *    session an earlier run started; Ctrl-C cancels the session.
 *
 * Run: npm run agent -- --topic "tidal energy"      (see --help)
 */
import { randomBytes } from "node:crypto";
import { AIMessage, HumanMessage, ToolMessage, type BaseMessage } from "@langchain/core/messages";
import { GumloopError } from "langchain-gumloop";
import { isGumloopProgressEvent, type SessionGraphStateType } from "langchain-gumloop/graphs";
import { createResearchAgentGraph } from "./lib/agentGraph.js";
import { slugify } from "./lib/artifacts.js";
import { gumloopBackend, modelBackend } from "./lib/backends.js";
import { HELP, HELP_HINT, UsageError, parseOptions } from "./lib/cliOptions.js";
import {
  ModelProviderError,
  explainGumloopError,
  explainModelError,
  isFatalGumloopError,
  redactSecrets,
} from "./lib/failures.js";
import { fail, finishSession, reportStop } from "./lib/outcome.js";
import { checkOutputDirectory } from "./lib/outputDirectory.js";
import { ProgressPrinter } from "./lib/progress.js";
import { followRunSession, resumeCommand, sessionSleep, type Run } from "./lib/run.js";
import { RunControl } from "./lib/runControl.js";
import { Waits } from "./lib/waits.js";

async function main(): Promise<number> {
  const flags = parseOptions(process.argv.slice(2));
  if (flags.help) {
    console.log(HELP);
    return 0;
  }
  await checkOutputDirectory(flags.out, flags.resume ? undefined : slugify(flags.topic));
  const control = new RunControl(flags.timeoutSeconds);
  const waits = new Waits();
  const printer = new ProgressPrinter({ waits, deadlineAt: control.deadlineAt });
  let run: Run | undefined;
  try {
    const gumloop = await gumloopBackend(process.env, flags.timeoutSeconds, waits, {
      onCall: (operation, input) => {
        // The session id is chosen before the create is sent: known even if the run stops before an answer.
        const id = input["session_id"];
        if (operation !== "create_a_gumloop_session" || typeof id !== "string" || !run || run.sessionId)
          return;
        run.sessionId = id;
        printer.line(`New research session ${id} (to wait for it again later: ${resumeCommand(id)})`);
      },
      onFailure: (error) => {
        if (run) run.lastFailure = error;
        if (isFatalGumloopError(error)) control.stop({ kind: "gumloop", error });
      },
    });
    run = {
      flags,
      gumloop,
      control,
      waits,
      printer,
      sessionId: flags.resume,
      lastFailure: null,
      waitingAtStop: null,
    };
    const started = run;
    control.signal.addEventListener("abort", () => (started.waitingAtStop = waits.current()));
    for (const note of gumloop.notes) console.log(`Note: ${note}`);
    console.log(`Gumloop: ${gumloop.label}`);
    printer.start();
    return flags.resume ? await resume(run) : await research(run);
  } catch (error) {
    printer.stop();
    if (run && control.reason) return reportStop(run);
    if (error instanceof ModelProviderError) return fail(explainModelError(error));
    if (run && error instanceof GumloopError) return fail(explainGumloopError(error, run.gumloop.target));
    throw error;
  } finally {
    printer.stop();
    control.dispose();
    await run?.gumloop.emulator?.close();
  }
}

/** A new research: the agent finds the Gumloop agent, runs it once, and summarises. */
async function research(run: Run): Promise<number> {
  const { flags, gumloop, control, waits, printer } = run;
  const model = modelBackend(flags, process.env);
  console.log(`Model:   ${model.label}`);
  console.log(`Topic:   ${flags.topic}`);
  const graph = createResearchAgentGraph({
    client: gumloop.client,
    model,
    waits,
    agent: flags.agent,
    deadlineMs: control.remainingMs(),
    sleep: sessionSleep(run),
  });
  const messages: BaseMessage[] = [new HumanMessage(`Research this topic: ${flags.topic}`)];
  const stream = await graph.stream(
    { messages },
    {
      streamMode: ["updates", "custom"],
      signal: control.signal,
      recursionLimit: 30,
      // A thread of its own: the run tool derives the session from it, so a second run is a second session.
      configurable: { thread_id: `research_${randomBytes(8).toString("hex")}` },
    },
  );
  for await (const [mode, chunk] of stream as AsyncIterable<[string, unknown]>) {
    if (mode === "custom") {
      if (isGumloopProgressEvent(chunk)) printer.event(chunk);
      continue;
    }
    for (const update of Object.values(chunk as Record<string, { messages?: BaseMessage[] }>)) {
      for (const message of update?.messages ?? []) {
        messages.push(message);
        if (!AIMessage.isInstance(message)) continue;
        for (const call of message.tool_calls ?? [])
          printer.line(`→ ${call.name}(${JSON.stringify(call.args)})`);
      }
    }
  }
  printer.stop();

  const isTool = (m: BaseMessage, name?: string): m is ToolMessage =>
    ToolMessage.isInstance(m) && (name === undefined || m.name === name);
  const runMessage = messages.find((m) => isTool(m, "run_gumloop_agent_session")) as ToolMessage | undefined;
  const summary = String(messages.filter((m) => AIMessage.isInstance(m)).at(-1)?.content ?? "").trim();
  const failed = (runMessage ? [runMessage] : messages.filter((m) => isTool(m))).find(
    (m) => m.status === "error",
  );
  if (failed) {
    // Report the error itself, explained from its type when the client saw it, not the model's reading of it.
    const text = String(failed.content)
      .replace(/^Error: /, "")
      .replace(/\n Please fix your mistakes\.$/, "");
    const explained = run.lastFailure ? explainGumloopError(run.lastFailure, gumloop.target) : null;
    return fail({
      headline: `${runMessage ? "The research run failed" : "Gumloop failed"}: ${text}`,
      checks: explained?.checks ?? [],
    });
  }
  if (!runMessage)
    return fail(`The agent did not run: no Gumloop agent matches "${flags.agent}". ${summary}`.trim());
  return finishSession(run, runMessage.artifact as SessionGraphStateType, flags.topic, summary);
}

/** `--resume`: wait again for an existing session; no model is needed. */
async function resume(run: Run): Promise<number> {
  console.log(`Resuming session ${run.sessionId}: waiting for it again (no new session is started).`);
  const followed = await followRunSession(run, run.sessionId!);
  return finishSession(run, followed.state, followed.topic, null);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`${redactSecrets(error.message, process.env)}\n${HELP_HINT}`);
      process.exit(2);
    }
    console.error(redactSecrets(`Error: ${String((error as Error)?.message ?? error)}`, process.env));
    process.exit(1);
  },
);
