/**
 * The services behind a running emulator (store, scheduler, clock...), for this package's own tests. Not exported
 * from `gumloop-emulator`: the store's shape is an implementation detail that may change in any release,
 * so the public `Emulator` carries only what a user's test needs (credentials, ids, the request log, faults).
 */
import type { AreaEnv } from "./area.js";
import type { Emulator } from "./emulator.js";

const ENVS = new WeakMap<Emulator, AreaEnv>();

/** Records the services of an emulator that `startEmulator` has just built. */
export function attachEnv(emulator: Emulator, env: AreaEnv): Emulator {
  ENVS.set(emulator, env);
  return emulator;
}

/** The services of a running emulator. Throws for an object that `startEmulator` did not return. */
export function emulatorEnv(emulator: Emulator): AreaEnv {
  const env = ENVS.get(emulator);
  if (!env) throw new TypeError("emulatorEnv() takes an emulator returned by startEmulator()");
  return env;
}
