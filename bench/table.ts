/** Benchmark rows and the table they print as. */
import { cpus } from "node:os";

export interface BenchRow {
  readonly name: string;
  readonly value: string;
  /** Our number divided by the baseline measured in the same run (or the reference named in `goal`). */
  readonly ratio: number | null;
  readonly goal: string;
  readonly pass: boolean | null;
}

export function machine(): string {
  const cpu = cpus()[0]?.model.trim() ?? "unknown CPU";
  return `Node ${process.version}, ${cpus().length} × ${cpu}`;
}

export function markdownTable(rows: readonly BenchRow[]): string {
  const lines = ["| benchmark | result | ratio | goal | met |", "| --- | --- | --- | --- | --- |"];
  for (const row of rows) {
    const ratio = row.ratio === null ? "" : `${row.ratio.toFixed(2)}x`;
    const met = row.pass === null ? "" : row.pass ? "yes" : "**no**";
    lines.push(`| ${row.name} | ${row.value} | ${ratio} | ${row.goal} | ${met} |`);
  }
  return lines.join("\n");
}
