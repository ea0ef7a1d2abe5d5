/** Artifacts (artifacts.yml): list an agent's files, and get a signed download URL for one. */
import { defineArea, type AreaEnv } from "../../area.js";
import { json, type RequestContext, type Reply } from "../../server/context.js";
import { forbidden, invalidRequest, notFound } from "../../server/errors.js";
import type { ArtifactRecord } from "../../world/model.js";
import { offsetPage, parsePageSize } from "../../server/pagination.js";
import { iso } from "../../world/time.js";
import { requireAgent } from "../agents/records.js";
import { ARTIFACT_BLOB_KIND, latestVersion } from "./store.js";
import { seedHistory } from "../sessions/seed.js";

/** A list item: `media_type` and `size` live under `metadata` here (top level only on download). */
function artifactListItem(env: AreaEnv, artifact: ArtifactRecord): Record<string, unknown> {
  const version = latestVersion(artifact);
  return {
    id: artifact.id,
    version_id: version.versionId,
    major_version: version.majorVersion,
    agent_id: artifact.agentId,
    session_id: artifact.sessionId,
    filename: version.filename,
    created_at: iso(version.createdAt),
    metadata: { media_type: version.mediaType, size: version.size },
    url: env.signer.sign(ARTIFACT_BLOB_KIND, version.versionId, version.filename),
    creator: env.store.creatorView(version.creatorId),
  };
}

function listArtifacts(ctx: RequestContext): Reply {
  const agent = requireAgent(ctx, ctx.param("agent_id"));
  const sessionId = ctx.queryParam("session_id");
  const search = ctx.queryParam("search_query")?.toLowerCase();
  const sortOrder = ctx.queryParam("sort_order") ?? "newest";
  // Only `newest` is documented; `oldest` is inference, anything else is rejected like the agents list does.
  if (sortOrder !== "newest" && sortOrder !== "oldest") {
    throw invalidRequest("sort_order must be newest or oldest", "sort_order", "invalid_sort");
  }
  const pageSize = parsePageSize(ctx.queryParam("page_size"), { clamp: true });
  const direction = sortOrder === "newest" ? -1 : 1;
  const artifacts = [...ctx.env.store.artifacts.values()]
    .filter((a) => a.agentId === agent.id && !a.deleted)
    .filter((a) => !sessionId || a.sessionId === sessionId)
    .filter((a) => !search || latestVersion(a).filename.toLowerCase().includes(search))
    .sort(
      (a, b) =>
        direction * (latestVersion(a).createdAt - latestVersion(b).createdAt) ||
        direction * a.id.localeCompare(b.id),
    );
  const fingerprint = JSON.stringify([agent.id, sessionId, search, sortOrder]);
  const { page, nextCursor } = offsetPage(artifacts, pageSize, ctx.queryParam("cursor"), fingerprint);
  return json(200, { artifacts: page.map((a) => artifactListItem(ctx.env, a)), next_cursor: nextCursor });
}

function downloadArtifact(ctx: RequestContext): Reply {
  const artifactId = ctx.param("artifact_id");
  const artifact = ctx.env.store.artifacts.get(artifactId);
  if (!artifact || artifact.deleted) throw notFound("Artifact", artifactId);
  const agent = ctx.env.store.agents.get(artifact.agentId);
  if (!agent || !ctx.canAccessTeam(agent.teamId))
    throw forbidden(`You do not have access to artifact ${artifactId}.`);
  const versionId = ctx.queryParam("version_id");
  const version = versionId
    ? artifact.versions.find((v) => v.versionId === versionId)
    : latestVersion(artifact);
  if (!version) throw notFound("Artifact version", versionId!);
  if (!ctx.env.store.blobs.has(version.blobKey)) throw notFound("Artifact file", artifactId);
  return json(200, {
    download_url: ctx.env.signer.sign(ARTIFACT_BLOB_KIND, version.versionId, version.filename),
    filename: version.filename,
    media_type: version.mediaType,
    size: version.size,
  });
}

/** Read-only counts for `inspect()`. */
export interface ArtifactsSnapshot {
  total: number;
  perAgent: Record<string, number>;
  perSession: Record<string, number>;
}

/** The artifacts area (also seeds the historical sessions the artifacts belong to). */
export const artifactsArea = defineArea({
  name: "artifacts",
  seed: (env: AreaEnv) => seedHistory(env),
  routes(r) {
    r.get("/agents/{agent_id}/artifacts", listArtifacts, { statuses: [200, 400, 401, 403, 404, 500] });
    r.get("/artifacts/{artifact_id}/download", downloadArtifact, { statuses: [200, 401, 403, 404, 502] });
  },
  inspect(env): ArtifactsSnapshot {
    const snapshot: ArtifactsSnapshot = { total: 0, perAgent: {}, perSession: {} };
    for (const a of env.store.artifacts.values()) {
      if (a.deleted) continue;
      snapshot.total++;
      snapshot.perAgent[a.agentId] = (snapshot.perAgent[a.agentId] ?? 0) + 1;
      if (a.sessionId) snapshot.perSession[a.sessionId] = (snapshot.perSession[a.sessionId] ?? 0) + 1;
    }
    return snapshot;
  },
});
