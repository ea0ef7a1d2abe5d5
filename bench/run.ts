/** Runs every benchmark and prints one table (with the date and machine) that the README quotes. */
import { machine, markdownTable, type BenchRow } from "./table.js";
import { mcpBench } from "./mcp.js";
import { importCost } from "./importCost.js";
import { overhead } from "./overhead.js";
import { benchPostgresUrl } from "./postgres.js";
import { sharedGate } from "./sharedGate.js";
import { pollingCost } from "./polling.js";
import { streamingCost } from "./streaming.js";
import { throughput } from "./throughput.js";
import { modelTurns } from "./turns.js";
import { tokenFootprint } from "./tokens.js";

const only = process.argv[2];
const suites: Record<string, () => BenchRow[] | Promise<BenchRow[]>> = {
  tokens: tokenFootprint,
  import: importCost,
  overhead: () => overhead(),
  polling: () => pollingCost(),
  streaming: () => streamingCost(),
  throughput,
  sharedGate: () => sharedGate(benchPostgresUrl()),
  turns: modelTurns,
  mcp: mcpBench,
};
const rows: BenchRow[] = [];
for (const [name, suite] of Object.entries(suites)) {
  if (only && only !== name) continue;
  process.stderr.write(`running ${name}…\n`);
  rows.push(...(await suite()));
}
console.log(`Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}\n`);
console.log(markdownTable(rows));
