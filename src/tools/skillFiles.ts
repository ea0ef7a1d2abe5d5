/**
 * Checks a skill upload before it is sent, the way Gumloop will judge it: one `.md` (stored as SKILL.md), a
 * `.zip`/`.skill` archive (checked by Gumloop), or loose files that include a SKILL.md; the SKILL.md needs `name`
 * and `description` front matter; at most 10 MB in all.
 */
import { Buffer } from "node:buffer";
import { z } from "zod";
import { fileName, modelSchema } from "./fields.js";

/**
 * Gumloop answers 413 when "the request body exceeded 10 MB" and does not say whether MB is 10^6 or 2^20 bytes.
 * The check counts file bytes against 2^20 × 10, so it never refuses what Gumloop would take; an upload a little
 * under it may still meet a 413 (multipart framing, or a decimal limit), which surfaces as the client's typed error.
 */
export const SKILL_MAX_BYTES = 10 * 1024 * 1024;

export const skillFile = modelSchema(
  z.object({
    file_name: fileName("File name"),
    content: z.string().optional().describe("Text"),
    content_base64: z.string().optional().describe("Base64 (archives)"),
  }),
);

type SkillFile = z.infer<typeof skillFile>;

/** The `name` and `description` of a SKILL.md's YAML front matter, when present. */
export function frontMatter(markdown: string): { name?: string; description?: string } {
  const match = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---\s*(\r?\n|$)/.exec(markdown);
  if (!match) return {};
  const out: Record<string, string> = {};
  for (const line of match[1]!.split(/\r?\n/)) {
    const field = /^(name|description)\s*:\s*(.*?)\s*$/.exec(line);
    if (field && field[2]) out[field[1]!] = field[2].replace(/^["']|["']$/g, "");
  }
  return out;
}

function size(file: SkillFile): number {
  if (typeof file.content === "string") return Buffer.byteLength(file.content, "utf8");
  return Buffer.byteLength(file.content_base64 ?? "", "base64");
}

function text(file: SkillFile): string {
  return file.content ?? Buffer.from(file.content_base64 ?? "", "base64").toString("utf8");
}

/** Skill upload rules as a zod refinement on the `files` array. */
export function checkSkillFiles(files: SkillFile[], context: z.RefinementCtx): void {
  files.forEach((file, index) => {
    if ((file.content === undefined) === (file.content_base64 === undefined)) {
      context.addIssue({
        code: "custom",
        path: [index],
        message: "give exactly one of content or content_base64",
      });
    }
  });
  const total = files.reduce((sum, file) => sum + size(file), 0);
  if (total > SKILL_MAX_BYTES) {
    context.addIssue({
      code: "custom",
      message: `skill files total ${total} bytes; the limit is 10 MB (${SKILL_MAX_BYTES})`,
    });
  }
  const isArchive = (file: SkillFile) => /\.(zip|skill)$/i.test(file.file_name);
  if (files.length === 1 && isArchive(files[0]!)) return;
  const skillIndex =
    files.length === 1 && /\.md$/i.test(files[0]!.file_name)
      ? 0
      : files.findIndex((file) => file.file_name.toUpperCase() === "SKILL.MD");
  if (skillIndex < 0) {
    context.addIssue({
      code: "custom",
      message:
        "include a SKILL.md (or send a single .md file, or one .zip/.skill archive with SKILL.md at its root)",
    });
    return;
  }
  const meta = frontMatter(text(files[skillIndex]!));
  const missing = (["name", "description"] as const).filter((key) => !meta[key]);
  if (missing.length) {
    context.addIssue({
      code: "custom",
      path: [skillIndex, "content"],
      message: `SKILL.md front matter lacks ${missing.join(" and ")}: start it with ---\\nname: ...\\ndescription: ...\\n---`,
    });
  }
}
