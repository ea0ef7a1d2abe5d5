/**
 * How every root suite starts an emulator: the `gumloop-emulator` package, used by its name as a user's tests use
 * it, listening on a free port. Pass `clock: new VirtualClock({ autoAdvance: true })` for jobs that finish in
 * milliseconds of real time.
 */
import { startEmulator, type Emulator, type EmulatorOptions } from "gumloop-emulator";

export type TestEmulatorOptions = Omit<EmulatorOptions, "port" | "host">;

/** Starts an emulator on 127.0.0.1 and a free port; the caller closes it. */
export function startTestEmulator(options: TestEmulatorOptions = {}): Promise<Emulator> {
  return startEmulator({ ...options, port: 0 });
}
