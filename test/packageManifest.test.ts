/** What the two package.json files promise: versions, engines, entry points and dependency ranges. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { VERSION } from "../src/index.js";

interface Manifest {
  name: string;
  version: string;
  type: string;
  license: string;
  engines: { node: string };
  exports: Record<string, unknown>;
  bin?: Record<string, string>;
  files: string[];
  sideEffects: boolean;
  workspaces?: string[];
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

const manifest = (path: string) =>
  JSON.parse(readFileSync(new URL(path, import.meta.url), "utf8")) as Manifest;
const root = manifest("../package.json");
const emulator = manifest("../emulator/package.json");
const EMULATOR_DEPENDENCIES = ["busboy", "fflate", "find-my-way"];

describe("langchain-gumloop's package.json", () => {
  it("exports the version from package.json", () => {
    expect(VERSION).toBe(root.version);
  });

  it("supports Node 20 and pins dev tools to versions that run on it", () => {
    expect(root.engines.node).toBe("^20.19.0 || ^24.0.0");
    expect(root.devDependencies["vitest"]).toMatch(/^4\.1\.\d+$/);
    expect(root.devDependencies["@langchain/openai"]).toBe("1.5.8");
    for (const [name, version] of Object.entries(root.devDependencies)) {
      if (name !== "gumloop-emulator") expect(version, name).toMatch(/^\d+\.\d+\.\d+$/);
    }
    expect(Object.keys(root.peerDependencies ?? {}).sort()).toEqual([
      "@langchain/core",
      "@langchain/langgraph",
      "langchain",
    ]);
    // Only `langchain-gumloop/graphs`, `/agent` and `/mcp` need LangGraph, and only `/agent` needs `langchain`
    // (for createAgent's middleware); the root imports neither.
    expect(root.peerDependenciesMeta).toEqual({
      "@langchain/langgraph": { optional: true },
      langchain: { optional: true },
    });
    // The peer range starts at the version the suite runs against.
    expect(root.peerDependencies?.["langchain"]).toBe(`^${root.devDependencies["langchain"]}`);
  });

  it("takes caret ranges of its runtime dependencies, none of them the emulator's", () => {
    expect(Object.keys(root.dependencies).sort()).toEqual([
      "@modelcontextprotocol/sdk",
      "csv-parse",
      "eventsource-parser",
      "zod",
    ]);
    for (const [name, version] of Object.entries(root.dependencies))
      expect(version, name).toMatch(/^\^\d+\.\d+\.\d+$/);
  });

  it("has the emulator as a workspace and a dev dependency only, with no emulator entry point or bin", () => {
    expect(root.workspaces).toEqual(["emulator"]);
    expect(root.devDependencies["gumloop-emulator"]).toBe("*");
    expect(root.dependencies["gumloop-emulator"]).toBeUndefined();
    expect(Object.keys(root.exports)).toEqual([".", "./graphs", "./agent", "./mcp", "./package.json"]);
    expect(root.bin).toEqual({ "gumloop-mcp": "dist/mcp/cli.js" });
  });
});

describe("gumloop-emulator's package.json", () => {
  it("is an ESM package for Node 20 with typed entry points in dist and the bin", () => {
    expect(emulator).toMatchObject({
      name: "gumloop-emulator",
      version: "0.1.0",
      type: "module",
      license: "MIT",
      engines: { node: "^20.19.0 || ^24.0.0" },
      sideEffects: false,
      bin: { "gumloop-emulator": "dist/cli.js" },
    });
    expect(emulator.exports["."]).toEqual({
      "gumloop-source": "./src/index.ts",
      types: "./dist/index.d.ts",
      default: "./dist/index.js",
    });
  });

  it("declares its own runtime dependencies with caret ranges, and their types as a dev dependency", () => {
    expect(Object.keys(emulator.dependencies).sort()).toEqual(EMULATOR_DEPENDENCIES);
    for (const [name, version] of Object.entries(emulator.dependencies)) {
      expect(version, name).toMatch(/^\^\d+\.\d+\.\d+$/);
    }
    expect(emulator.devDependencies["@types/busboy"]).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("pins the dev tools it shares with the root to the root's versions", () => {
    for (const [name, version] of Object.entries(emulator.devDependencies)) {
      const rootVersion = root.devDependencies[name] ?? root.dependencies[name]?.replace(/^\^/, "");
      if (rootVersion !== undefined) expect(version, name).toBe(rootVersion);
    }
  });
});
