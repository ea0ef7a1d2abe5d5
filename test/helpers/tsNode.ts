/**
 * Node flags that run a TypeScript file of this repository in a child process, as the tests and benches do: tsx
 * for TypeScript, and the "gumloop-source" export condition so that `gumloop-emulator` resolves to its sources (no build).
 */
export const TS_NODE_FLAGS: readonly string[] = ["--conditions=gumloop-source", "--import", "tsx"];
