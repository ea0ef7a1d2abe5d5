/** Models available to agents and chat completions. */
import { z } from "zod";
import { READ, defineEndpoint } from "./types.js";

export const list_all_gumloop_models = defineEndpoint({
  name: "list_all_gumloop_models",
  method: "read",
  tags: ["models"],
  route: "GET /models",
  identity: ["team_id"],
  result: "model_groups",
  // Gumloop calls each group's shape open; `options[].value` as the model id is what its own CLI reads (inference).
  description: "List model groups; model ids are in options[].value.",
  annotations: READ,
  input: () => z.object({}),
});
