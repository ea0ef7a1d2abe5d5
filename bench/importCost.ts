/**
 * What importing the package costs: `import { GumloopToolManager } from "langchain-gumloop"` plus `getTools()` (all
 * 38 tools built) against `import "@langchain/core/tools"` alone, each in a fresh Node process, alternating, medians
 * of 15 runs each. Measures the built package (dist/), as users load it; `npm run build` first.
 *
 * Tools build their schemas on first use, so a second row shows the whole price of handing all 38 to a model:
 * the same, plus every tool converted to OpenAI's tool format (what `bindTools` does), against core's tools and its
 * converter alone.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import type { BenchRow } from "./table.js";

const RUNS = 15;
const ROOT = new URL("../", import.meta.url).pathname;

const TOOLS =
  'const { GumloopToolManager } = await import("langchain-gumloop"); ' +
  'const tools = new GumloopToolManager({ apiKey: "k", userId: "u", env: {} }).getTools();';
const CONVERTER = 'const { convertToOpenAITool } = await import("@langchain/core/utils/function_calling");';

const SCRIPTS = {
  package: TOOLS,
  baseline: 'await import("@langchain/core/tools");',
  bound: `${TOOLS} ${CONVERTER} tools.map((tool) => convertToOpenAITool(tool));`,
  boundBaseline: `await import("@langchain/core/tools"); ${CONVERTER}`,
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

/** `+12` or `-3`: a difference with its sign. */
const signed = (ms: number) => `${ms < 0 ? "-" : "+"}${Math.abs(ms).toFixed(0)}`;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export function importCost(): BenchRow[] {
  if (!existsSync(new URL("../dist/index.js", import.meta.url)))
    throw new Error("the import benchmark measures the built package: run npm run build first");
  const names = Object.keys(SCRIPTS) as (keyof typeof SCRIPTS)[];
  const times = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<
    keyof typeof SCRIPTS,
    number[]
  >;
  // One warm-up of each (the file system cache), then alternate so that drift hits all alike.
  for (const name of names) timeProcess(SCRIPTS[name]);
  for (let run = 0; run < RUNS; run++) {
    for (const name of names) times[name].push(timeProcess(SCRIPTS[name]));
  }
  const row = (name: string, ours: number, base: number, goal: string, pass: boolean | null): BenchRow => ({
    name,
    value: `${ours.toFixed(0)} ms vs ${base.toFixed(0)} ms (${signed(ours - base)} ms)`,
    ratio: ours / base,
    goal,
    pass,
  });
  const imported = median(times.package) - median(times.baseline);
  return [
    row(
      `import: langchain-gumloop + getTools() vs @langchain/core/tools alone (fresh process, median of ${RUNS})`,
      median(times.package),
      median(times.baseline),
      "at most +30 ms",
      imported <= 30,
    ),
    row(
      `import + getTools() + all 38 converted for a model (bindTools' work) vs core's tools and converter alone`,
      median(times.bound),
      median(times.boundBaseline),
      "reported: schemas are built on first use",
      null,
    ),
  ];
}
