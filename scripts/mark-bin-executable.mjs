// After `tsc`, makes every file named in package.json "bin" executable. tsc writes 0644; `npm install` of the
// published package sets the mode itself, but a checkout that was built after `npm ci` has no such step, and
// npm 10's `npx` then fails with "Permission denied".
import { chmodSync, readFileSync } from "node:fs";

const { bin = {} } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
for (const path of typeof bin === "string" ? [bin] : Object.values(bin)) {
  chmodSync(new URL(`../${path}`, import.meta.url), 0o755);
}
