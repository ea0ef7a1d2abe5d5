/**
 * Quickstart: Gumloop tools on a chat model with `bindTools`.
 *
 * In this example, we:
 * 1. Start the Gumloop emulator in this process (offline, no keys needed).
 * 2. Build the read-only agent and session tools with a GumloopToolManager pointed at it.
 * 3. Bind them to a model: ChatOpenAI when OPENAI_API_KEY is set, otherwise a scripted offline model.
 * 4. Ask a question, run the tool call the model makes, and hand the result back to the model for its answer.
 *
 * Run: npx tsx --conditions=gumloop-source examples/bind-tools.ts
 */
import { AIMessage, HumanMessage, type BaseMessage } from "@langchain/core/messages";
import { fakeModel } from "@langchain/core/testing";
import { ChatOpenAI } from "@langchain/openai";
import { GumloopToolManager } from "langchain-gumloop";
import { startEmulator } from "gumloop-emulator";

// 1. The emulator speaks the Gumloop API on localhost. Against real Gumloop: `new GumloopToolManager()`, which
//    reads GUMLOOP_API_KEY and GUMLOOP_USER_ID from the environment.
const emulator = await startEmulator({ port: 0 });

// 2. The manager builds the tools and the client they share. Tools are chosen by area tag; `readOnly` leaves out
//    everything that creates, changes or deletes.
const manager = new GumloopToolManager(emulator.clientOptions());
const tools = manager.getTools({ tags: ["agents", "sessions"], readOnly: true });
console.log(`Tools: ${tools.map((tool) => tool.name).join(", ")}`);

// 3. Any LangChain chat model that supports tool calling. The scripted one makes the call a real model would.
const model = process.env["OPENAI_API_KEY"]
  ? new ChatOpenAI({ model: "gpt-4o-mini", temperature: 0 })
  : fakeModel()
      .respondWithTools([{ name: "list_all_gumloop_agents", args: { search: "research" }, id: "call_1" }])
      .respond(new AIMessage("You have one research agent: the Deep Research Agent (agtResearch0001)."));
const bound = model.bindTools(tools);

// 4. One round trip: the model asks for a tool, we run it, the model answers from the result.
const messages: BaseMessage[] = [
  new HumanMessage("Which of my Gumloop agents does research? Search for it."),
];
const request = await bound.invoke(messages);
messages.push(request);
for (const call of request.tool_calls ?? []) {
  const tool = tools.find((candidate) => candidate.name === call.name)!;
  const result = await tool.invoke(call); // a ToolMessage: JSON for the model, the full response as its artifact
  console.log(`→ ${call.name}(${JSON.stringify(call.args)})`);
  console.log(`← ${String(result.content).slice(0, 200)}`);
  messages.push(result);
}
const answer = await bound.invoke(messages);
console.log(`Answer: ${String(answer.content)}`);

await emulator.close();
