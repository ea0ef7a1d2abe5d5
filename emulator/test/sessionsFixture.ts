/** Shared by the session contract tests: the emulator, and calls to the session routes. */
import { call } from "./helpers.js";
import { emulator } from "./fixture.js";
export { clock, emulator, start } from "./fixture.js";

export const create = (agentId: string, body: unknown = {}, auth: "personal" | "other" = "personal") =>
  call(emulator, "POST", `/agents/${agentId}/sessions`, { body, auth });
export const retrieve = (sessionId: string) => call(emulator, "GET", `/sessions/${sessionId}`);
export const send = (sessionId: string, body: unknown) =>
  call(emulator, "POST", `/sessions/${sessionId}/messages`, { body });
export const cancel = (sessionId: string) =>
  call(emulator, "POST", `/sessions/${sessionId}/cancel`, { body: {} });
export const stateOf = async (sessionId: string) => (await retrieve(sessionId)).body.session.state as string;
