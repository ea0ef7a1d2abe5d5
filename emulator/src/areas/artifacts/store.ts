/** Creating artifacts (and their bytes) from runs and seeds. */
import type { AreaEnv } from "../../area.js";
import type { ArtifactRecord, ArtifactVersionRecord } from "../../world/model.js";
import { putBlob } from "../../server/signing.js";

/** Blob kind of artifact bytes in signed URLs (`/__storage/artifacts/<version id>/<filename>`). */
export const ARTIFACT_BLOB_KIND = "artifacts";

/** What a new artifact version holds. */
export interface ArtifactContent {
  filename: string;
  mediaType: string;
  content: string | Uint8Array;
  createdAt: number;
  creatorId: string | null;
  /** @default generated */
  versionId?: string;
}

function toBytes(content: string | Uint8Array): Uint8Array {
  return typeof content === "string" ? new TextEncoder().encode(content) : content;
}

/** Stores a version's bytes and returns its record. */
function storeVersion(env: AreaEnv, major: number, content: ArtifactContent): ArtifactVersionRecord {
  const versionId = content.versionId ?? env.ids.next("ver_", 8);
  const bytes = toBytes(content.content);
  putBlob(env.store, ARTIFACT_BLOB_KIND, versionId, {
    bytes,
    mediaType: content.mediaType,
    filename: content.filename,
  });
  return {
    versionId,
    majorVersion: major,
    filename: content.filename,
    mediaType: content.mediaType,
    blobKey: `${ARTIFACT_BLOB_KIND}/${versionId}`,
    size: bytes.length,
    createdAt: content.createdAt,
    creatorId: content.creatorId,
  };
}

/** Adds an artifact with one version. */
export function addArtifact(
  env: AreaEnv,
  init: ArtifactContent & { id?: string; agentId: string; sessionId: string | null },
): ArtifactRecord {
  const artifact: ArtifactRecord = {
    id: init.id ?? env.ids.next("art_", 9),
    agentId: init.agentId,
    sessionId: init.sessionId,
    versions: [storeVersion(env, 1, init)],
    deleted: false,
  };
  env.store.artifacts.set(artifact.id, artifact);
  return artifact;
}

/** Adds a new (latest) version to an artifact. */
export function addArtifactVersion(
  env: AreaEnv,
  artifact: ArtifactRecord,
  content: ArtifactContent,
): ArtifactVersionRecord {
  const version = storeVersion(env, artifact.versions.length + 1, content);
  artifact.versions.push(version);
  return version;
}

/** The latest version of an artifact. */
export function latestVersion(artifact: ArtifactRecord): ArtifactVersionRecord {
  return artifact.versions[artifact.versions.length - 1]!;
}
