/** OpenAI-compatible chat completions, billed in Gumloop credits. Served only by the streaming host. */
import { z } from "zod";
import { count, modelSchema, text, unlisted } from "./fields.js";
import { CREATE, defineEndpoint } from "./types.js";

export const create_a_gumloop_chat_completion = defineEndpoint({
  name: "create_a_gumloop_chat_completion",
  method: "write",
  tags: ["chat"],
  route: "POST /chat/completions",
  host: "stream",
  description: "Chat completion (costs credits); reply in choices[0].message.content.",
  annotations: { ...CREATE, openWorldHint: true },
  spendsCredits: true,
  // A model asks another model for text here. Gumloop's other documented fields (`tools`, `tool_choice`,
  // `response_format`, `modalities`, `image_config`, `provider`, image content parts, `stream`) serve programs
  // rather than a model's tool call, and would cost tokens on every call: they are left out.
  input: () =>
    z.object({
      model: text("Model id"),
      messages: unlisted(
        z
          .array(
            modelSchema(
              z.object({
                role: z.enum(["system", "developer", "user", "assistant"]).describe("Role"),
                content: z.string().describe("Text"),
              }),
            ),
          )
          .min(1),
      ).describe("Messages"),
      // 0 to 2, as OpenAI's API and Gumloop's streaming host take it (Gumloop's spec gives no range).
      temperature: unlisted(z.number().min(0, "must be 0 to 2").max(2, "must be 0 to 2"))
        .optional()
        .describe("0-2"),
      max_completion_tokens: unlisted(count("Max reply tokens")).optional(),
    }),
});
