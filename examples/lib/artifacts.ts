/**
 * Saving what a Gumloop session produced. File names come from the server and are untrusted, so only a plain
 * name is kept. Files from the offline emulator are canned text that reads like real research; each saved text
 * file says so at its top, so a copy that travels without this terminal's output is not mistaken for a finding.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { extname, join, resolve } from "node:path";
import type { SessionArtifact } from "langchain-gumloop/graphs";

export function slugify(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60) || "topic"
  );
}

/** Server-provided file names are untrusted: keep a plain name, never a path. */
export function safeFileName(name: string | null, fallback: string): string {
  const base = (name ?? "").split(/[\\/]/).pop() ?? "";
  return /^[A-Za-z0-9._ -]{1,120}$/.test(base) && base !== "." && base !== ".." ? base : fallback;
}

export const DEMO_NOTICE =
  "OFFLINE DEMO: canned text written by the Gumloop emulator, not real research. " +
  "Set GUMLOOP_API_KEY (see npm run agent -- --help) to run a real Gumloop agent.";

/** The notice in the file's own syntax, or null for formats where a first line would break the data (CSV). */
function noticeFor(filename: string): string | null {
  const extension = extname(filename).toLowerCase();
  if (extension === ".md" || extension === ".markdown") return `> **${DEMO_NOTICE}**\n\n`;
  if (extension === ".txt") return `${DEMO_NOTICE}\n\n`;
  if (extension === ".html" || extension === ".htm") return `<!-- ${DEMO_NOTICE} -->\n`;
  return null;
}

/**
 * Writes each artifact that has bytes into `<out>/<slug>/` and returns the paths written. With `demo`, text
 * files start with {@link DEMO_NOTICE}.
 */
export async function saveArtifacts(
  artifacts: readonly SessionArtifact[],
  directory: string,
  demo: boolean,
): Promise<string[]> {
  const withBytes = artifacts.filter((artifact) => artifact.bytes);
  if (withBytes.length === 0) return [];
  const target = resolve(directory);
  await mkdir(target, { recursive: true });
  const saved: string[] = [];
  for (const [index, artifact] of withBytes.entries()) {
    const name = safeFileName(artifact.filename, `artifact-${index + 1}`);
    const notice = demo ? noticeFor(name) : null;
    const path = join(target, name);
    await writeFile(path, notice ? Buffer.concat([Buffer.from(notice), artifact.bytes!]) : artifact.bytes!);
    saved.push(path);
  }
  return saved;
}
