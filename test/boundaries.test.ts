/**
 * The line between the two packages: the emulator is an independent implementation of Gumloop's API (it must not
 * share the client's assumptions), and langchain-gumloop must not ship or load any emulator code.
 */
import { readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const EMULATOR = join(ROOT, "emulator");

interface Import {
  /** The file, relative to the repository's root. */
  readonly file: string;
  readonly specifier: string;
  /** For a relative specifier, the absolute path it points to. */
  readonly target?: string;
}

/** Every `import … from`, `export … from`, side-effect `import "…"` and `import("…")` in the .ts files under `folder`. */
function importsUnder(folder: string): Import[] {
  const files = readdirSync(folder, { recursive: true, encoding: "utf8" }).filter((name) =>
    name.endsWith(".ts"),
  );
  return files.flatMap((name) => {
    const path = join(folder, name);
    const text = readFileSync(path, "utf8");
    return [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(?\s*)["']([^"']+)["']/g)].map(([, specifier]) => ({
      file: relative(ROOT, path),
      specifier: specifier!,
      target: specifier!.startsWith(".") ? resolve(dirname(path), specifier!) : undefined,
    }));
  });
}

const isInside = (path: string, folder: string) => !relative(folder, path).startsWith("..");
const show = ({ file, specifier }: Import) => `${file} imports "${specifier}"`;

describe("package boundaries", () => {
  const emulatorImports = importsUnder(join(EMULATOR, "src"));
  const rootImports = importsUnder(join(ROOT, "src"));

  it("finds the imports it checks", () => {
    expect(emulatorImports.map(show)).toContain('emulator/src/index.ts imports "./emulator.js"');
    expect(rootImports.map(show)).toContain('src/index.ts imports "./toolManager.js"');
  });

  it("emulator/src imports nothing from langchain-gumloop and no path outside emulator/", () => {
    const crossing = emulatorImports.filter(
      ({ specifier, target }) =>
        /^langchain-gumloop(\/|$)/.test(specifier) || (target !== undefined && !isInside(target, EMULATOR)),
    );
    expect(crossing.map(show)).toEqual([]);
  });

  it("emulator/src imports only Node built-ins and the emulator's declared dependencies", () => {
    const { dependencies } = JSON.parse(readFileSync(join(EMULATOR, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    const allowed = new Set([...Object.keys(dependencies), ...builtinModules.map((name) => `node:${name}`)]);
    const undeclared = emulatorImports.filter(
      ({ specifier, target }) => target === undefined && !allowed.has(specifier),
    );
    expect(undeclared.map(show)).toEqual([]);
  });

  it("src/ imports nothing from gumloop-emulator and no path into emulator/", () => {
    const crossing = rootImports.filter(
      ({ specifier, target }) =>
        /^gumloop-emulator(\/|$)/.test(specifier) || (target !== undefined && isInside(target, EMULATOR)),
    );
    expect(crossing.map(show)).toEqual([]);
  });
});

/** Every file reachable from `entry` through relative imports, with the bare specifiers each imports. */
function reachableFrom(entry: string): Import[] {
  const byFile = new Map<string, Import[]>();
  for (const found of importsUnder(join(ROOT, "src"))) {
    const list = byFile.get(found.file) ?? [];
    list.push(found);
    byFile.set(found.file, list);
  }
  const seen = new Set<string>();
  const reached: Import[] = [];
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const found of byFile.get(file) ?? []) {
      reached.push(found);
      if (found.target) visit(relative(ROOT, found.target.replace(/\.js$/, ".ts")));
    }
  };
  visit(relative(ROOT, join(ROOT, entry)));
  return reached;
}

describe("layers of langchain-gumloop", () => {
  const rootImports = importsUnder(join(ROOT, "src"));
  const inFolder =
    (folder: string) =>
    ({ file }: Import) =>
      file.startsWith(`src/${folder}/`);
  const into =
    (folder: string) =>
    ({ target }: Import) =>
      target !== undefined && isInside(target, join(ROOT, "src", folder));

  it("the package root loads no LangGraph, directly or through anything it imports", () => {
    const reached = reachableFrom("src/index.ts");
    expect(reached.map(show)).toContain('src/toolManager.ts imports "./langchain/buildTool.js"');
    expect(reached.filter(({ specifier }) => specifier.startsWith("@langchain/langgraph")).map(show)).toEqual(
      [],
    );
  });

  it("only langchain-gumloop/agent loads the langchain package (the root and ./graphs work without it)", () => {
    for (const entry of ["src/index.ts", "src/graphs/index.ts", "src/mcp/index.ts"]) {
      const reached = reachableFrom(entry);
      expect(reached.length, entry).toBeGreaterThan(10);
      expect(reached.filter(({ specifier }) => /^langchain(\/|$)/.test(specifier)).map(show)).toEqual([]);
    }
    expect(reachableFrom("src/agent/index.ts").map(show)).toContain(
      'src/agent/retryMiddleware.ts imports "langchain"',
    );
  });

  it("the graphs import nothing from src/langchain (only the ./graphs barrel re-exports from it)", () => {
    const crossing = rootImports.filter(
      (found) =>
        inFolder("graphs")(found) && found.file !== "src/graphs/index.ts" && into("langchain")(found),
    );
    expect(crossing.map(show)).toEqual([]);
  });

  it("the client and the definitions import nothing from the layers built on them", () => {
    const upward = rootImports.filter(
      (found) =>
        (inFolder("client")(found) || inFolder("tools")(found)) &&
        (into("langchain")(found) || into("graphs")(found) || into("mcp")(found) || into("catalogue")(found)),
    );
    expect(upward.map(show)).toEqual([]);
  });
});
