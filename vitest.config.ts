import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // Examples import the package by name, as users do; in this repository that name means the sources.
    alias: [
      {
        find: /^langchain-gumloop\/mcp$/,
        replacement: fileURLToPath(new URL("./src/mcp/index.ts", import.meta.url)),
      },
      {
        find: /^langchain-gumloop\/emulator$/,
        replacement: fileURLToPath(new URL("./src/emulator/index.ts", import.meta.url)),
      },
      { find: /^langchain-gumloop$/, replacement: fileURLToPath(new URL("./src/index.ts", import.meta.url)) },
    ],
  },
  test: {
    include: ["test/**/*.test.ts", "examples/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
