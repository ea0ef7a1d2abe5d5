/** Child of https.test.ts: started with NODE_EXTRA_CA_CERTS set to the test certificate, it calls over TLS. */
import { GumloopClient } from "../../src/client/client.js";
import { getSession } from "./fixtures.js";
import { startHttpsServer } from "./httpsServer.js";

const server = await startHttpsServer();
const client = new GumloopClient({
  apiKey: "gl_child_key_1234",
  userId: "user_child",
  baseUrl: server.url,
  env: {},
});
const first = await client.call(getSession, { session_id: "s1" });
const second = await client.call(getSession, { session_id: "s1" });
process.stdout.write(JSON.stringify({ status: first.status, data: first.data, again: second.status }));
await server.close();
