/** Where the `gumloop-emulator` CLI is: beside the package's resolved entry, `src/cli.ts` from sources (as the
 * benches run, with the "gumloop-source" condition), else `dist/cli.js`. */
import { extname } from "node:path";
import { fileURLToPath } from "node:url";

const ENTRY = import.meta.resolve("gumloop-emulator");

export const EMULATOR_CLI = fileURLToPath(new URL(`./cli${extname(ENTRY)}`, ENTRY));
