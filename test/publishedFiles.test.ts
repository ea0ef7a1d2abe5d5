/** `npm pack` of each package ships what its users need and nothing else. */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/** The paths `npm pack` would put in the tarball of the package in `folder`. */
function packedPaths(folder: string): string[] {
  const output = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
    cwd: fileURLToPath(new URL(folder, import.meta.url)),
    encoding: "utf8",
  });
  const [pack] = JSON.parse(output) as [{ files: { path: string }[] }];
  return pack.files.map((file) => file.path);
}

describe("the published files", () => {
  it("of langchain-gumloop are dist, README, LICENSE, CHANGELOG and package.json, with no emulator code", () => {
    const paths = packedPaths("../");
    for (const path of paths) {
      expect(path).toMatch(/^(dist\/.*\.(js|d\.ts)|README\.md|LICENSE|CHANGELOG\.md|package\.json)$/);
      expect(path).not.toMatch(/emulator/i);
    }
    expect(paths).toEqual(
      expect.arrayContaining(["dist/index.js", "dist/index.d.ts", "README.md", "LICENSE"]),
    );
  }, 60_000);

  it("of gumloop-emulator are dist (with the bin), README, LICENSE and package.json", () => {
    const paths = packedPaths("../emulator/");
    for (const path of paths)
      expect(path).toMatch(/^(dist\/.*\.(js|d\.ts)|README\.md|LICENSE|package\.json)$/);
    expect(paths).toEqual(
      expect.arrayContaining(["dist/index.js", "dist/index.d.ts", "dist/cli.js", "README.md", "LICENSE"]),
    );
  }, 60_000);
});
