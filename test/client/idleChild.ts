/** Child of transport.test.ts: one call to the given server, then nothing: the process must exit on its own. */
import { getSession, makeClient } from "./fixtures.js";

const response = await makeClient(process.argv[2]!).call(getSession, { session_id: "s1" });
process.stdout.write(String(response.status));
