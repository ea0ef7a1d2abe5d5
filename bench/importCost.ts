/**
 * What importing the package costs: `import { GumloopToolManager } from "langchain-gumloop"` plus `getTools()` (all
 * 38 tools built) against `import "@langchain/core/tools"` alone, each in a fresh Node process, alternating, medians
 * of 15 runs each. Measures the built package (dist/), as users load it; `npm run build` first.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import type { BenchRow } from "./table.js";

const RUNS = 15;
const ROOT = new URL("../", import.meta.url).pathname;

const SCRIPTS = {
  package:
    'const { GumloopToolManager } = await import("langchain-gumloop"); ' +
    'new GumloopToolManager({ apiKey: "k", userId: "u", env: {} }).getTools();',
  baseline: 'await import("@langchain/core/tools");',
};

/** Wall time of one fresh process running `script`, ms (process start and exit included). */
function timeProcess(script: string): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    cwd: ROOT,
    stdio: "pipe",
  });
  const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0)
    throw new Error(`import bench process failed: ${result.stderr.toString().slice(0, 500)}`);
  return elapsed;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export function importCost(): BenchRow[] {
  if (!existsSync(new URL("../dist/index.js", import.meta.url)))
    throw new Error("the import benchmark measures the built package: run npm run build first");
  const times = { package: [] as number[], baseline: [] as number[] };
  // One warm-up of each (the file system cache), then alternate so that drift hits both alike.
  timeProcess(SCRIPTS.package);
  timeProcess(SCRIPTS.baseline);
  for (let run = 0; run < RUNS; run++) {
    times.package.push(timeProcess(SCRIPTS.package));
    times.baseline.push(timeProcess(SCRIPTS.baseline));
  }
  const ours = median(times.package);
  const base = median(times.baseline);
  return [
    {
      name: `import: langchain-gumloop + getTools() vs @langchain/core/tools alone (fresh process, median of ${RUNS})`,
      value: `${ours.toFixed(0)} ms vs ${base.toFixed(0)} ms (+${(ours - base).toFixed(0)} ms)`,
      ratio: ours / base,
      goal: "at most +30 ms",
      pass: ours - base <= 30,
    },
  ];
}
