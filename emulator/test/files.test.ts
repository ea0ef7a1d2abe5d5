/**
 * Contract tests of the file routes (file-handling.yml): uploads (JSON + base64), downloads of a run's files as
 * raw bytes and as a real zip. Plain fetch and a virtual clock.
 */
import { unzipSync } from "fflate";
import { afterEach, describe, expect, it } from "vitest";
import type { Emulator, EmulatorOptions, VirtualClock } from "../src/index.js";
import { SEED_FLOWS, SEED_RUNS } from "../src/areas/flows/seed.js";
import { call, expectError, expectShape, startTestEmulator, type AuthKind, type Shape } from "./helpers.js";

let emulator: Emulator;
let clock: VirtualClock;

async function start(options: EmulatorOptions = {}): Promise<void> {
  ({ emulator, clock } = await startTestEmulator(options));
}
afterEach(() => emulator?.close());

// file-handling.yml response fields.
const UPLOADED: Shape = { success: "boolean", file_name: "string" };
const BULK_OK: Shape = { success: "boolean", uploaded_files: "array" };
const BULK_PARTIAL: Shape = { partial_success: "boolean", uploaded_files: "array", failed_files: "array" };

const b64 = (data: string | Uint8Array) => Buffer.from(data).toString("base64");

/** A legacy POST: Bearer key only (no x-auth-key), `user_id` added unless the body names a user or project. */
function post(path: string, body: Record<string, unknown>, auth: AuthKind = "none") {
  const named = "user_id" in body || "project_id" in body;
  return call(emulator, "POST", path, {
    auth,
    headers: auth === "none" ? { authorization: `Bearer ${emulator.apiKey}` } : {},
    body: named ? body : { user_id: emulator.userId, ...body },
  });
}

/** A POST whose response body is read as bytes. */
async function postBytes(path: string, body: Record<string, unknown>) {
  const res = await fetch(`${emulator.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${emulator.apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ user_id: emulator.userId, ...body }),
  });
  return { status: res.status, headers: res.headers, bytes: new Uint8Array(await res.arrayBuffer()) };
}

const uploads = () => emulator.inspect().files as { uploads: Record<string, string[]> };

describe("POST /upload_file (create_a_gumloop_file)", () => {
  it("200 {success, file_name}; the file is stored in the user's (or project's) workspace", async () => {
    await start();
    const res = await post("/upload_file", { file_name: "leads.csv", file_content: b64("name\nAda\n") });
    expect(res.status).toBe(200);
    expectShape(res.body, UPLOADED);
    expect(res.body).toEqual({ success: true, file_name: "leads.csv" });
    const team = await post("/upload_file", {
      project_id: emulator.teamId,
      file_name: "team.txt",
      file_content: b64("x"),
    });
    expect(team.status).toBe(200);
    expect(uploads().uploads[`user:${emulator.userId}`]).toContain("leads.csv");
    expect(uploads().uploads[`team:${emulator.teamId}`]).toEqual(["team.txt"]);
    // x-auth-key is accepted when sent.
    expect(
      (await post("/upload_file", { file_name: "a.txt", file_content: b64("a") }, "personal")).status,
    ).toBe(200);
  });

  it("400 on a missing, empty or path-like file_name and on missing, empty or invalid base64", async () => {
    await start();
    const bad = [
      { file_content: b64("x") },
      { file_name: "", file_content: b64("x") },
      { file_name: "../etc/passwd", file_content: b64("x") },
      { file_name: "dir/a.txt", file_content: b64("x") },
      { file_name: "..", file_content: b64("x") },
      { file_name: 42, file_content: b64("x") },
      { file_name: "a.txt" },
      { file_name: "a.txt", file_content: "" },
      { file_name: "a.txt", file_content: "not base64!" },
      { file_name: "a.txt", file_content: "QQ=" },
      { file_name: "a.txt", file_content: "====" },
    ];
    for (const body of bad) expectError(await post("/upload_file", body), 400);
    const missing = await post("/upload_file", { file_name: "a.txt" });
    expect(missing.body.error.param).toBe("file_content");
    expect(uploads().uploads[`user:${emulator.userId}`]).toEqual(["quarterly-notes.txt"]);
  });

  it("legacy auth: 400 without user_id/project_id, 403 for another user, 401 without a key; JSON only", async () => {
    await start();
    const file = { file_name: "a.txt", file_content: b64("a") };
    expectError(await call(emulator, "POST", "/upload_file", { auth: "none", body: file }), 401);
    expectError(
      await call(emulator, "POST", "/upload_file", {
        auth: "none",
        headers: { authorization: `Bearer ${emulator.apiKey}` },
        body: file,
      }),
      400,
    );
    expectError(
      await post("/upload_file", { ...file, user_id: emulator.otherUser.userId }),
      403,
      "api_key_mismatch",
    );
    expectError(await post("/upload_file", { ...file, project_id: emulator.otherUser.teamId }), 403);
    const form = new FormData();
    form.append("user_id", emulator.userId);
    form.append("file", new Blob(["hello"]), "a.txt");
    const multipart = await call(emulator, "POST", "/upload_file", {
      auth: "none",
      headers: { authorization: `Bearer ${emulator.apiKey}` },
      rawBody: form,
    });
    expectError(multipart, 400);
    expect(multipart.body.error.message).toMatch(/base64/);
  });
});

describe("POST /upload_files (gumloop_files_bulk_create)", () => {
  it("200 {success, uploaded_files} when every file is stored", async () => {
    await start();
    const res = await post("/upload_files", {
      files: [
        { file_name: "a.txt", file_content: b64("a") },
        { file_name: "b.json", file_content: b64("{}") },
      ],
    });
    expect(res.status).toBe(200);
    expectShape(res.body, BULK_OK);
    expect(res.body).toEqual({ success: true, uploaded_files: ["a.txt", "b.json"] });
  });

  it("207 {partial_success, uploaded_files, failed_files} when some entries are invalid; only good ones stored", async () => {
    await start();
    const res = await post("/upload_files", {
      files: [
        { file_name: "good.txt", file_content: b64("ok") },
        { file_name: "bad.txt", file_content: "%%%" },
        { file_name: "../x.txt", file_content: b64("x") },
        { file_content: b64("nameless") },
        "not an object",
      ],
    });
    expect(res.status).toBe(207);
    expectShape(res.body, BULK_PARTIAL);
    expect(res.body).toEqual({
      partial_success: true,
      uploaded_files: ["good.txt"],
      failed_files: ["bad.txt", "../x.txt", "files[3]", "files[4]"],
    });
    expect(uploads().uploads[`user:${emulator.userId}`]).toEqual(["quarterly-notes.txt", "good.txt"]);
  });

  it("500 'all file uploads failed' when no entry could be stored; 400 for a malformed request; 403 mismatch", async () => {
    await start();
    const none = await post("/upload_files", {
      files: [{ file_name: "a.txt", file_content: "" }, { file_name: "" }],
    });
    expectError(none, 500, "file_upload_failed");
    expect(none.body.error.message).toMatch(/all file uploads failed/i);
    expect(none.body.error.details).toEqual({ failed_files: ["a.txt", "files[1]"] });
    expectError(await post("/upload_files", {}), 400);
    expectError(await post("/upload_files", { files: [] }), 400);
    expectError(await post("/upload_files", { files: "a.txt" }), 400);
    const ok = { files: [{ file_name: "a.txt", file_content: b64("a") }] };
    expectError(await post("/upload_files", { ...ok, user_id: emulator.otherUser.userId }), 403);
    expectError(
      await call(emulator, "POST", "/upload_files", {
        auth: "none",
        headers: { authorization: `Bearer ${emulator.apiKey}` },
        body: ok,
      }),
      400,
    );
  });
});

describe("upload → flow file input → download round trip", () => {
  it("an uploaded file feeds a flow's file input; the run's files download byte for byte", async () => {
    await start();
    const source = new Uint8Array([0x54, 0x69, 0x64, 0x65, 0x73, 0x0a, 0x00, 0xff, 0xfe, 0x80]); // "Tides\n" + binary
    expect((await post("/upload_file", { file_name: "tides.bin", file_content: b64(source) })).status).toBe(
      200,
    );
    const run = await post("/start_pipeline", {
      saved_item_id: SEED_FLOWS.report,
      topic: "Tidal power",
      source_file: "tides.bin",
    });
    expect(run.status).toBe(200);
    const runId = run.body.run_id;
    const download = (file_name: string) =>
      postBytes("/download_file", { file_name, run_id: runId, saved_item_id: SEED_FLOWS.report });

    // Output files appear only when the run is DONE; the input file is there from the start. (Not found: 403, as
    // file-handling.yml declares no 404 for download_file; see server/declared.ts.)
    expect((await download("tidal-power-report.md")).status).toBe(403);
    const input = await download("tides.bin");
    expect(input.status).toBe(200);
    expect(input.bytes).toEqual(source);
    expect(input.headers.get("content-type")).toBe("application/octet-stream");

    await clock.advance(5_000);
    const runView = await call(emulator, "GET", "/get_pl_run", {
      query: { run_id: runId, user_id: emulator.userId },
    });
    expect(runView.body.state).toBe("DONE");
    expect(runView.body.outputs.report_file).toBe("tidal-power-report.md");
    const report = await download(runView.body.outputs.report_file);
    expect(report.status).toBe(200);
    expect(report.headers.get("content-type")).toBe("text/markdown");
    expect(report.headers.get("content-disposition")).toContain('filename="tidal-power-report.md"');
    const text = new TextDecoder().decode(report.bytes);
    expect(text).toContain("# Report: Tidal power");
    expect(text).toContain("tides.bin (10 bytes)");
    expect(text).toContain('begins: "Tides"');

    const zip = await postBytes("/download_files", {
      file_names: ["tidal-power-report.md", "tidal-power-data.csv", "tides.bin", "tides.bin"],
      run_id: runId,
    });
    expect(zip.status).toBe(200);
    expect(zip.headers.get("content-type")).toBe("application/zip");
    const entries = unzipSync(zip.bytes);
    expect(Object.keys(entries).sort()).toEqual([
      "tidal-power-data.csv",
      "tidal-power-report.md",
      "tides.bin",
    ]);
    expect(entries["tides.bin"]).toEqual(source);
    expect(entries["tidal-power-report.md"]).toEqual(report.bytes);
    expect(new TextDecoder().decode(entries["tidal-power-data.csv"])).toContain("source_bytes,10");
  });

  it("a file input naming no uploaded file makes the run fail with a log line", async () => {
    await start({ durations: { flow: 1_000 } });
    const runId = (
      await post("/start_pipeline", { saved_item_id: SEED_FLOWS.report, topic: "X", source_file: "nope.pdf" })
    ).body.run_id;
    await clock.advance(1_000);
    const view = await call(emulator, "GET", "/get_pl_run", {
      query: { run_id: runId, user_id: emulator.userId },
    });
    expect(view.body.state).toBe("FAILED");
    expect(view.body.log.join("\n")).toContain('file "nope.pdf" for input "source_file" was not found');
  });

  it("a project upload is found when the run names that project", async () => {
    await start({ durations: { flow: 1_000 } });
    await post("/upload_file", {
      project_id: emulator.teamId,
      file_name: "team-notes.txt",
      file_content: b64("Team\n"),
    });
    const runId = (
      await post("/start_pipeline", {
        user_id: emulator.userId,
        project_id: emulator.teamId,
        saved_item_id: SEED_FLOWS.report,
        topic: "Team",
        source_file: "team-notes.txt",
      })
    ).body.run_id;
    await clock.advance(1_000);
    const view = await call(emulator, "GET", "/get_pl_run", {
      query: { run_id: runId, user_id: emulator.userId },
    });
    expect(view.body.state).toBe("DONE");
    expect(view.body.outputs.summary).toContain("based on team-notes.txt");
  });
});

describe("POST /download_file (get_single_gumloop_file_by_id)", () => {
  const seeded = { run_id: SEED_RUNS.report, saved_item_id: SEED_FLOWS.report };

  it("serves a seeded run's file with its content type; user_id is optional", async () => {
    await start();
    const csv = await postBytes("/download_file", { ...seeded, file_name: "solar-energy-storage-data.csv" });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toBe("text/csv");
    expect(new TextDecoder().decode(csv.bytes)).toMatch(/^metric,value\ntopic,Solar energy storage\n/);
    const withoutUser = await fetch(`${emulator.url}/download_file`, {
      method: "POST",
      headers: { authorization: `Bearer ${emulator.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ ...seeded, file_name: "quarterly-notes.txt" }),
    });
    expect(withoutUser.status).toBe(200);
    expect(await withoutUser.text()).toMatch(/^Quarterly notes/);
  });

  it("400 missing file_name / run_id / saved_item_id; 403 (not 401 or 404, undeclared) on verification failure or unknown", async () => {
    await start();
    const file = { ...seeded, file_name: "solar-energy-storage-report.md" };
    expectError(await post("/download_file", { ...file, file_name: undefined }), 400);
    expectError(await post("/download_file", { ...file, file_name: "a/b.md" }), 400);
    expectError(await post("/download_file", { ...file, run_id: undefined }), 400);
    expectError(await post("/download_file", { ...file, saved_item_id: undefined }), 400);
    const mismatch = await post("/download_file", { ...file, user_id: emulator.otherUser.userId });
    expectError(mismatch, 403, "unauthorized");
    expect(mismatch.body.error.message).toBe("Unauthorized (API key or user verification failed)");
    const othersRun = await call(emulator, "POST", "/download_file", {
      auth: "other",
      body: { ...file, user_id: emulator.otherUser.userId },
    });
    expectError(othersRun, 403, "unauthorized");
    expectError(await post("/download_file", { ...file, run_id: "run_nope" }), 403, "run_not_found");
    expectError(await post("/download_file", { ...file, file_name: "missing.md" }), 403, "file_not_found");
    expectError(await post("/download_file", { ...file, saved_item_id: SEED_FLOWS.summarize }), 403);
  });
});

describe("POST /download_files (list_all_gumloop_files)", () => {
  it("zips the requested files of a seeded run", async () => {
    await start();
    const names = ["solar-energy-storage-report.md", "quarterly-notes.txt"];
    const res = await postBytes("/download_files", { file_names: names, run_id: SEED_RUNS.report });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/zip");
    expect(res.headers.get("content-disposition")).toContain(`${SEED_RUNS.report}.zip`);
    const entries = unzipSync(res.bytes);
    expect(Object.keys(entries)).toEqual(names);
    for (const name of names) {
      const single = await postBytes("/download_file", {
        file_name: name,
        run_id: SEED_RUNS.report,
        saved_item_id: SEED_FLOWS.report,
      });
      expect(entries[name]).toEqual(single.bytes);
    }
  });

  it("400 missing/empty file_names or run_id or user; 403 key mismatch or unknown run or file (no 404 declared)", async () => {
    await start();
    const ok = { file_names: ["quarterly-notes.txt"], run_id: SEED_RUNS.report };
    expectError(await post("/download_files", { run_id: SEED_RUNS.report }), 400);
    expectError(await post("/download_files", { ...ok, file_names: [] }), 400);
    expectError(await post("/download_files", { ...ok, file_names: "quarterly-notes.txt" }), 400);
    expectError(await post("/download_files", { ...ok, file_names: [""] }), 400);
    expectError(await post("/download_files", { ...ok, run_id: undefined }), 400);
    expectError(
      await call(emulator, "POST", "/download_files", {
        auth: "none",
        headers: { authorization: `Bearer ${emulator.apiKey}` },
        body: ok,
      }),
      400,
    );
    expectError(
      await post("/download_files", { ...ok, user_id: emulator.otherUser.userId }),
      403,
      "api_key_mismatch",
    );
    expectError(await post("/download_files", { ...ok, run_id: SEED_RUNS.otherUsers }), 403);
    expectError(await post("/download_files", { ...ok, run_id: "run_nope" }), 403, "run_not_found");
    const missing = await post("/download_files", { ...ok, file_names: ["quarterly-notes.txt", "nope.csv"] });
    expectError(missing, 403, "file_not_found");
    expect(missing.body.error.details).toEqual({ missing: ["nope.csv"] });
    expectError(await post("/download_files", { ...ok, saved_item_id: SEED_FLOWS.summarize }), 403);
    expect((await postBytes("/download_files", { ...ok, saved_item_id: SEED_FLOWS.report })).status).toBe(
      200,
    );
  });
});

describe("seedData.files", () => {
  it("adds uploads to the user's or a team's workspace", async () => {
    await start({
      seedData: {
        files: [
          { file_name: "seeded.csv", content: "a,b\n" },
          { file_name: "team.bin", content: new Uint8Array([1, 2]), team_id: "team_4f8c92ab" },
        ],
      },
    });
    expect(uploads().uploads).toMatchObject({
      [`user:${emulator.userId}`]: ["quarterly-notes.txt", "seeded.csv"],
      "team:team_4f8c92ab": ["team.bin"],
    });
  });
});
