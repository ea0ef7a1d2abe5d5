// Builds dist/*.js from src/: one file per entry point (`.`, `./graphs`, `./agent`, `./mcp`, the `gumloop-mcp` bin)
// and shared chunks, so that each class exists once whatever mix of subpaths a user imports. tsc writes the .d.ts
// files beside them (tsconfig.build.json: declarations only).
//
// Why a bundle: an ES module costs Node a resolve, a read and a compile of its own. As 61 files, the package root
// cost about 30 ms more to import than as a few chunks (bench/importCost.ts measures it). Dependencies stay
// external, so users' copies are deduplicated as before; `keepNames` keeps class and function names as written
// (error names, stack traces).
import { build } from "esbuild";

await build({
  entryPoints: [
    "src/index.ts",
    "src/graphs/index.ts",
    "src/agent/index.ts",
    "src/mcp/index.ts",
    "src/mcp/cli.ts",
  ],
  outbase: "src",
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20.19",
  packages: "external",
  keepNames: true,
  sourcemap: true,
  chunkNames: "chunks/[name]-[hash]",
  tsconfig: "tsconfig.build.json",
  logLevel: "warning",
});
