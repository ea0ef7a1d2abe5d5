/** `npm pack` ships what users need and nothing else. */
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";

describe("the published package", () => {
  it("contains only dist, README, LICENSE, CHANGELOG and package.json", () => {
    const output = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
      encoding: "utf8",
    });
    const [pack] = JSON.parse(output) as [{ files: { path: string }[] }];
    const paths = pack.files.map((file) => file.path);
    for (const path of paths) {
      expect(path).toMatch(/^(dist\/.*\.(js|d\.ts)|README\.md|LICENSE|CHANGELOG\.md|package\.json)$/);
    }
    expect(paths).toContain("README.md");
    expect(paths).toContain("LICENSE");
    expect(paths.some((path) => path.startsWith("src/") || path.startsWith("test/"))).toBe(false);
  }, 60_000);
});
