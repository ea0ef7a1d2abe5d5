import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/**
 * One `npm test` for the repository: this package's suites, and the `gumloop-emulator` workspace's (its own config,
 * emulator/vitest.config.ts).
 */
export default defineConfig({
  resolve: {
    // Examples import the package by name, as users do; in this repository that name means the sources.
    alias: [
      {
        find: /^langchain-gumloop\/graphs$/,
        replacement: fileURLToPath(new URL("./src/graphs/index.ts", import.meta.url)),
      },
      {
        find: /^langchain-gumloop\/agent$/,
        replacement: fileURLToPath(new URL("./src/agent/index.ts", import.meta.url)),
      },
      {
        find: /^langchain-gumloop\/mcp$/,
        replacement: fileURLToPath(new URL("./src/mcp/index.ts", import.meta.url)),
      },
      { find: /^langchain-gumloop$/, replacement: fileURLToPath(new URL("./src/index.ts", import.meta.url)) },
    ],
  },
  ssr: {
    // `gumloop-emulator` resolves to its sources through the "gumloop-source" condition of its exports: no build needed.
    resolve: { conditions: ["gumloop-source", "module", "node", "development|production"] },
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "langchain-gumloop",
          include: ["test/**/*.test.ts", "examples/**/*.test.ts"],
          globalSetup: ["test/globalSetup.ts"],
          testTimeout: 20_000,
          hookTimeout: 20_000,
        },
      },
      "emulator",
    ],
  },
});
