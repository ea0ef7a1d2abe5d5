/** Teams the caller belongs to. */
import { z } from "zod";
import { READ, defineEndpoint } from "./types.js";

export const list_all_gumloop_teams = defineEndpoint({
  name: "list_all_gumloop_teams",
  method: "read",
  tags: ["teams"],
  route: "GET /teams",
  context: {},
  result: "teams",
  description: "List your teams (id, name).",
  annotations: READ,
  input: () => z.object({}),
});
