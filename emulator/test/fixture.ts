/**
 * The emulator a contract test file runs against: `start()` launches a fresh one (on a virtual clock) for the test,
 * and it is closed after each test. `emulator` and `clock` are live bindings: importers see the current ones.
 */
import { afterEach } from "vitest";
import type { Emulator, EmulatorOptions, VirtualClock } from "../src/index.js";
import { startTestEmulator } from "./helpers.js";

export let emulator: Emulator;
export let clock: VirtualClock;

export async function start(options: EmulatorOptions = {}): Promise<void> {
  ({ emulator, clock } = await startTestEmulator(options));
}

afterEach(() => emulator?.close());
