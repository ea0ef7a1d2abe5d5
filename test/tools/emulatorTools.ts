/** An emulator on port 0 and a tool manager whose client points at it: what tool tests against the emulator need. */
import { GumloopClient } from "../../src/client/client.js";
import type { Emulator } from "gumloop-emulator";
import { startTestEmulator } from "../helpers/emulator.js";
import { GumloopToolManager } from "../../src/toolManager.js";

export async function startEmulatorTools(): Promise<{ emulator: Emulator; manager: GumloopToolManager }> {
  const emulator = await startTestEmulator();
  return {
    emulator,
    manager: new GumloopToolManager({ client: new GumloopClient(emulator.clientOptions()) }),
  };
}
