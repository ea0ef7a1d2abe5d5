/** Shared pieces of the skills suites: Skill shapes from skills.yml, multipart uploads, and archive reading. */
import { strFromU8, strToU8, unzipSync } from "fflate";
import { expect } from "vitest";
import type { Emulator } from "../src/index.js";
import { SEED_SKILLS } from "../src/areas/skills/routes.js";
import { call, type AuthKind, type Shape } from "./helpers.js";

/** skills.yml: the Skill object (create, update, list items). */
export const SKILL: Shape = {
  id: "string",
  name: "string",
  description: "string",
  team_id: "string",
  created_at: "date-time|null",
  updated_at: "date-time|null",
  metadata: "object",
  usage_count: "integer|null",
  view_count: "integer|null",
  last_used_at: "date-time|null",
  version_id: "string|null",
  major_version: "integer|null",
  is_deployed: "boolean|null",
  version_created_at: "date-time|null",
  creator: "object|null",
};

/** skills.yml: the download response. */
export const SKILL_DOWNLOAD: Shape = {
  download_url: "string",
  filename: "string",
  media_type: ["application/zip"],
  size: "integer|null",
  id: "string",
  version_id: "string|null",
  major_version: "integer|null",
};

/** The documented upload limit, 10 MB. */
export const MB10 = 10 * 1024 * 1024;

/** A SKILL.md with front matter (`extra` goes inside the front matter). */
export const skillMd = (
  name: string,
  description: string,
  extra = "",
  body = "# Instructions\n\nDo the thing.\n",
) => `---\nname: ${name}\ndescription: ${description}\n${extra}---\n\n${body}`;

/** A file part: name, content, optional media type. */
export type Part = [filename: string, content: string | Uint8Array, type?: string];

/** A multipart body with file parts under `field` (Gumloop's is `files`) and plain form fields. */
export function form(parts: Part[], fields: Record<string, string> = {}, field = "files"): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  for (const [filename, content, type] of parts) {
    const bytes = typeof content === "string" ? strToU8(content) : content;
    data.append(field, new Blob([bytes], { type: type ?? "application/octet-stream" }), filename);
  }
  return data;
}

/** The skills routes, called with plain fetch on whichever emulator `current()` returns. */
export function skillApi(current: () => Emulator) {
  const upload = (
    method: "POST" | "PATCH",
    path: string,
    body: FormData,
    options: { auth?: AuthKind; query?: Record<string, string> } = {},
  ) =>
    call(current(), method, path, {
      rawBody: body,
      auth: options.auth ?? "personal",
      query: options.query ?? {},
    });
  return {
    upload,
    create: (parts: Part[], fields: Record<string, string> = {}, auth: AuthKind = "personal") =>
      upload("POST", "/skills", form(parts, fields), { auth }),
    update: (skillId: string, parts: Part[], auth: AuthKind = "personal") =>
      upload("PATCH", `/skills/${skillId}`, form(parts), { auth }),
    list: (query: Record<string, string | number> = {}, auth: AuthKind = "personal") =>
      call(current(), "GET", "/skills", { query, auth }),
    download: (skillId: string, query: Record<string, string> = {}, auth: AuthKind = "personal") =>
      call(current(), "GET", `/skills/${skillId}/download`, { query, auth }),
    remove: (skillId: string, auth: AuthKind = "personal") =>
      call(current(), "DELETE", `/skills/${skillId}`, { auth }),
  };
}

/** The ids of a list response, in order. */
export const ids = (res: { body: { skills: { id: string }[] } }) => res.body.skills.map((s) => s.id);

/** Follows a download URL (no credentials) and unzips it into path → text. */
export async function fetchArchive(url: string): Promise<Record<string, string>> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/zip");
  const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
  return Object.fromEntries(Object.entries(files).map(([path, bytes]) => [path, strFromU8(bytes)]));
}

/** The default user's skills, newest first. */
export const MY_SKILLS = [
  SEED_SKILLS.meetingNotes,
  SEED_SKILLS.leadEnrichment,
  SEED_SKILLS.salesPlaybook,
  SEED_SKILLS.ticketTriage,
];
