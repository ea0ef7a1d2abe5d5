import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { VERSION } from "../src/index.js";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  version: string;
  engines: { node: string };
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

describe("package", () => {
  it("exports the version from package.json", () => {
    expect(VERSION).toBe(pkg.version);
  });

  it("supports Node 20 and pins dev tools to versions that run on it", () => {
    expect(pkg.engines.node).toBe(">=20.19");
    expect(pkg.devDependencies["vitest"]).toMatch(/^4\.1\.\d+$/);
    expect(pkg.devDependencies["@langchain/openai"]).toBe("1.5.8");
    for (const version of Object.values(pkg.devDependencies)) expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(Object.keys(pkg.peerDependencies).sort()).toEqual(["@langchain/core", "@langchain/langgraph"]);
  });
});
