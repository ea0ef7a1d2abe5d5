import { afterEach, describe, expect, it } from "vitest";
import {
  SEED_AGENTS,
  SEED_SESSIONS,
  type Emulator,
  type EmulatorOptions,
  type VirtualClock,
} from "../src/index.js";
import { emulatorEnv } from "../src/internals.js";
import {
  ARTIFACT_DOWNLOAD,
  ARTIFACT_LIST_ITEM,
  CREATOR,
  call,
  expectError,
  expectShape,
  startTestEmulator,
} from "./helpers.js";

let emulator: Emulator;
let clock: VirtualClock;

async function start(options: EmulatorOptions = {}): Promise<void> {
  ({ emulator, clock } = await startTestEmulator(options));
}
afterEach(() => emulator?.close());

const list = (query: Record<string, string | number> = {}, agentId: string = SEED_AGENTS.research) =>
  call(emulator, "GET", `/agents/${agentId}/artifacts`, { query });
const download = (
  artifactId: string,
  query: Record<string, string> = {},
  auth: "personal" | "other" = "personal",
) => call(emulator, "GET", `/artifacts/${artifactId}/download`, { query, auth });

describe("GET /agents/{agent_id}/artifacts (list_all_gumloop_artifacts)", () => {
  it("lists artifacts with the documented fields; media_type and size live under metadata", async () => {
    await start();
    const res = await list();
    expect(res.status).toBe(200);
    expectShape(res.body, { artifacts: "array", next_cursor: "string|null" });
    expect(res.body.artifacts).toHaveLength(7);
    expect(res.body.next_cursor).toBeNull();
    for (const [i, artifact] of res.body.artifacts.entries()) {
      expectShape(artifact, ARTIFACT_LIST_ITEM, `artifacts[${i}]`);
      expectShape(artifact.metadata, { media_type: "string", size: "integer" }, `artifacts[${i}].metadata`);
      expectShape(artifact.creator, CREATOR, `artifacts[${i}].creator`);
      expect(artifact).not.toHaveProperty("media_type");
      expect(artifact.url).toMatch(new RegExp(`^http://${emulator.host}/__storage/artifacts/`));
    }
    const created = res.body.artifacts.map((a: { created_at: string }) => a.created_at);
    expect(created).toEqual([...created].sort().reverse()); // default sort_order: newest
  });

  it("walks pages with next_cursor and never repeats or skips an artifact", async () => {
    await start();
    const all = (await list()).body.artifacts.map((a: { id: string }) => a.id);
    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    do {
      const res = await list({ page_size: 3, ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      sizes.push(res.body.artifacts.length);
      seen.push(...res.body.artifacts.map((a: { id: string }) => a.id));
      cursor = res.body.next_cursor;
    } while (cursor);
    expect(sizes).toEqual([3, 3, 1]);
    expect(seen).toEqual(all);
  });

  it("clamps page_size to 1–100 and rejects a non-integer with 400", async () => {
    await start();
    expect((await list({ page_size: 0 })).body.artifacts).toHaveLength(1);
    expect((await list({ page_size: -5 })).body.artifacts).toHaveLength(1);
    expect((await list({ page_size: 1000 })).body.artifacts).toHaveLength(7);
    expectError(await list({ page_size: "abc" }), 400, "invalid_page_size");
    expectError(await list({ page_size: "2.5" }), 400, "invalid_page_size");
    expectError(await list({ cursor: "garbage" }), 400, "invalid_cursor");
  });

  it("filters by session_id and search_query (case-insensitive) and sorts oldest first on request", async () => {
    await start();
    const bySession = (await list({ session_id: SEED_SESSIONS.quantum })).body.artifacts;
    expect(bySession.map((a: { filename: string }) => a.filename).sort()).toEqual([
      "quantum-computing-data.json",
      "quantum-computing-report.md",
      "quantum-computing-sources.csv",
    ]);
    const csv = (await list({ search_query: "SOURCES.CSV" })).body.artifacts;
    expect(csv).toHaveLength(3);
    const oldest = (await list({ sort_order: "oldest" })).body.artifacts;
    expect(oldest[0].filename).toBe("quantum-computing-report.md");
    expectError(await list({ sort_order: "biggest" }), 400);
  });

  it("404s an unknown agent and 403s another user's", async () => {
    await start();
    expectError(await list({}, "nope"), 404);
    expectError(await list({}, SEED_AGENTS.otherUsers), 403);
  });

  it("a research run adds a Markdown report and a CSV that name the topic", async () => {
    await start();
    const session = (
      await call(emulator, "POST", `/agents/${SEED_AGENTS.research}/sessions`, {
        body: { input: "Ocean Acidification" },
      })
    ).body.session;
    expect((await list({ session_id: session.id })).body.artifacts).toEqual([]);
    await clock.advance(8_000);
    const artifacts = (await list({ session_id: session.id })).body.artifacts;
    const byName = Object.fromEntries(artifacts.map((a: { filename: string }) => [a.filename, a]));
    expect(Object.keys(byName).sort()).toEqual([
      "ocean-acidification-report.md",
      "ocean-acidification-sources.csv",
    ]);
    expect(byName["ocean-acidification-report.md"].metadata.media_type).toBe("text/markdown");
    expect(byName["ocean-acidification-sources.csv"].metadata.media_type).toBe("text/csv");
    for (const artifact of artifacts) {
      const res = await fetch(artifact.url);
      const text = await res.text();
      expect(text).toContain("Ocean Acidification");
      expect(Buffer.byteLength(text)).toBe(artifact.metadata.size);
    }
  });
});

describe("GET /artifacts/{artifact_id}/download (get_single_gumloop_artifact_by_id)", () => {
  async function reportArtifact(): Promise<{ id: string; versionId: string }> {
    const artifacts = (await list({ session_id: SEED_SESSIONS.acme })).body.artifacts;
    const report = artifacts.find((a: { filename: string }) => a.filename.endsWith("-report.md"));
    return { id: report.id, versionId: report.version_id };
  }

  it("returns {download_url, filename, media_type, size}; the URL serves the bytes without credentials", async () => {
    await start();
    const { id } = await reportArtifact();
    const res = await download(id);
    expect(res.status).toBe(200);
    expectShape(res.body, ARTIFACT_DOWNLOAD);
    expect(res.body).toMatchObject({ filename: "acme-corp-report.md", media_type: "text/markdown" });
    const file = await fetch(res.body.download_url);
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("text/markdown");
    expect(file.headers.get("content-length")).toBe(String(res.body.size));
    expect(file.headers.get("content-disposition")).toContain('filename="acme-corp-report.md"');
    const bytes = new Uint8Array(await file.arrayBuffer());
    expect(bytes.length).toBe(res.body.size);
    expect(new TextDecoder().decode(bytes)).toContain("# Research report: Acme Corp");
    const logged = emulator.requests.at(-1)!;
    expect(logged).toMatchObject({
      host: "storage",
      route: "/__storage/{kind}/{id}/{filename}",
      status: 200,
    });
  });

  it("403s a tampered signature or path, and an expired URL after the clock passes its TTL", async () => {
    await start({ signedUrlTtlMs: 60_000 });
    const { id } = await reportArtifact();
    const url = new URL((await download(id)).body.download_url);
    const tampered = new URL(url);
    const signature = tampered.searchParams.get("signature")!;
    tampered.searchParams.set("signature", `${signature[0] === "a" ? "b" : "a"}${signature.slice(1)}`);
    const bad = await fetch(tampered);
    expect(bad.status).toBe(403);
    expect(await bad.text()).toContain("SignatureDoesNotMatch");
    const otherFile = new URL(url.href.replace("acme-corp-report.md", "acme-corp-sources.csv"));
    expect((await fetch(otherFile)).status).toBe(403);
    const noSignature = new URL(url);
    noSignature.search = "";
    expect((await fetch(noSignature)).status).toBe(403);

    expect((await fetch(url)).status).toBe(200);
    await clock.advance(61_000);
    const expired = await fetch(url);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain("ExpiredToken");
    expect((await fetch((await download(id)).body.download_url)).status).toBe(200);
  });

  it("selects a version with version_id (default: latest); unknown versions and artifacts 404", async () => {
    await start();
    const report = (await list({ session_id: SEED_SESSIONS.solar })).body.artifacts.find(
      (a: { filename: string }) => a.filename.endsWith("-report.md"),
    );
    expect(report.major_version).toBe(2);
    const latest = await download(report.id);
    expect(latest.body.size).toBe(report.metadata.size);
    const all = emulatorEnv(emulator).store.artifacts.get(report.id)!.versions;
    const first = await download(report.id, { version_id: all[0]!.versionId });
    expect(first.status).toBe(200);
    expect(first.body.size).toBeLessThan(latest.body.size);
    expect(await (await fetch(latest.body.download_url)).text()).toContain("Revised with 2026 figures");
    expectError(await download(report.id, { version_id: "ver_nope" }), 404);
    expectError(await download("art_nope"), 404);
  });

  it("403s another user's artifact", async () => {
    await start();
    const { id } = await reportArtifact();
    expectError(await download(id, {}, "other"), 403);
  });
});
