#!/usr/bin/env node
/**
 * Fails when a public export of an entry point has no documentation comment: runs API Extractor with its API
 * report written to a temporary folder and looks for top-level `(undocumented)` entries. Needs a build (dist/).
 * Usage: node scripts/check-api-docs.mjs
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const CONFIGS = {
  index: "api-extractor.json",
  graphs: "api-extractor.graphs.json",
  mcp: "api-extractor.mcp.json",
  agent: "api-extractor.agent.json",
};
const dir = mkdtempSync(join(tmpdir(), "api-report-"));
let missing = 0;
try {
  for (const [entry, file] of Object.entries(CONFIGS)) {
    const config = JSON.parse(readFileSync(file, "utf8"));
    config.apiReport = {
      enabled: true,
      reportFolder: dir,
      reportFileName: `${entry}.api.md`,
      reportTempFolder: dir,
    };
    const temporary = `.api-extractor.${entry}.tmp.json`;
    writeFileSync(temporary, JSON.stringify(config));
    try {
      execFileSync("npx", ["api-extractor", "run", "--local", "-c", temporary], { stdio: "ignore" });
    } finally {
      rmSync(temporary, { force: true });
    }
    const lines = readFileSync(join(dir, `${entry}.api.md`), "utf8").split("\n");
    lines.forEach((line, i) => {
      if (!line.includes("@public (undocumented)")) return;
      missing += 1;
      console.error(`${entry}: undocumented export: ${lines[i + 1]?.trim()}`);
    });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (missing > 0) process.exit(1);
console.log("every public export is documented");
