/**
 * Checks a skill upload before it is sent, the way Gumloop will judge it: one `.md` file (stored as SKILL.md) with
 * `name` and `description` front matter, or one `.zip`/`.skill` archive (checked by Gumloop), at most 10 MB. The
 * tools take one file, as Truto's `file`; loose files that together hold a SKILL.md are an archive's job.
 */
import { Buffer } from "node:buffer";
import { z } from "zod";
import { uploadFile, type UploadFile } from "./fields.js";

/**
 * Gumloop answers 413 when "the request body exceeded 10 MB" and does not say whether MB is 10^6 or 2^20 bytes.
 * The check counts file bytes against 2^20 × 10, so it never refuses what Gumloop would take; an upload a little
 * under it may still meet a 413 (multipart framing, or a decimal limit), which surfaces as the client's typed error.
 */
export const SKILL_MAX_BYTES = 10 * 1024 * 1024;

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

function size(file: UploadFile): number {
  if (typeof file.content === "string") return Buffer.byteLength(file.content, "utf8");
  return Buffer.byteLength(file.content_base64 ?? "", "base64");
}

function text(file: UploadFile): string {
  return file.content ?? Buffer.from(file.content_base64 ?? "", "base64").toString("utf8");
}

/** Skill upload rules as a zod refinement on the `file` object. */
export function checkSkillFile(file: UploadFile, context: z.RefinementCtx): void {
  if ((file.content === undefined) === (file.content_base64 === undefined)) return; // uploadFile says so
  if (size(file) > SKILL_MAX_BYTES) {
    context.addIssue({
      code: "custom",
      message: `the skill file is ${size(file)} bytes; the limit is 10 MB (${SKILL_MAX_BYTES})`,
    });
  }
  if (/\.(zip|skill)$/i.test(file.name)) return;
  if (!/\.md$/i.test(file.name)) {
    context.addIssue({
      code: "custom",
      path: ["name"],
      message: "send a SKILL.md (Markdown) or one .zip/.skill archive with SKILL.md at its root",
    });
    return;
  }
  const meta = frontMatter(text(file));
  const missing = (["name", "description"] as const).filter((key) => !meta[key]);
  if (missing.length) {
    context.addIssue({
      code: "custom",
      path: ["content"],
      message: `SKILL.md front matter lacks ${missing.join(" and ")}: start it with ---\\nname: ...\\ndescription: ...\\n---`,
    });
  }
}

/** The `file` field of the skill tools: one SKILL.md or one archive. */
export const skillFile = () =>
  uploadFile().describe("SKILL.md (name, description front matter) or .zip").superRefine(checkSkillFile);
