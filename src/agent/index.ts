// The public surface of `langchain-gumloop/agent`: what LangChain's `createAgent` needs to run the Gumloop tools
// well, as middleware. Needs the `langchain` peer (and, through it, LangGraph); the package root and
// `langchain-gumloop/graphs` load neither this entry point nor `langchain`. Named exports only.

export { gumloopToolRetryMiddleware } from "./retryMiddleware.js";
export type { GumloopToolRetryOptions } from "./retryMiddleware.js";
export { gumloopInterruptOn } from "./interruptOn.js";
export type { ApprovalDecisionType, GumloopInterruptOnOptions } from "./interruptOn.js";
