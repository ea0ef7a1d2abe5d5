/**
 * Child of transport.test.ts: one call to the given server, then nothing: the process must exit on its own. Prints
 * the status and, as the process exits, how long it lived after the response (the parent judges that, not its own
 * wall clock, so a slow child start on a loaded machine does not matter).
 */
import { getSession, makeClient } from "./fixtures.js";

const response = await makeClient(process.argv[2]!).call(getSession, { session_id: "s1" });
const answeredAt = performance.now();
// Writes to a pipe are synchronous on Linux and macOS, so this line reaches the parent.
process.on("exit", () => process.stdout.write(` ${Math.round(performance.now() - answeredAt)}`));
process.stdout.write(String(response.status));
