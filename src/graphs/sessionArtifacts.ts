/**
 * The session graph's artifact nodes: list_artifacts (every page, up to 50) and download_artifacts (one artifact
 * per step, so a node retry after a 429 repeats one download, not all of them).
 */
import { END, type LangGraphRunnableConfig } from "@langchain/langgraph";
import { ENDPOINTS } from "../tools/index.js";
import type { GraphDownloadOptions } from "./common.js";
import { nodeWaits, type JobRuntime } from "./job/runtime.js";
import type { JobState } from "./job/state.js";
import { waitBeforeRetry } from "./retry.js";
import type { SessionArtifact } from "./types.js";

/** The slice of the session graph's state these nodes read. */
interface ArtifactState extends JobState {
  readonly agentId: string;
  readonly sessionId: string | null;
  readonly artifacts: SessionArtifact[];
}

export function sessionArtifactNodes<S extends ArtifactState>(
  runtime: JobRuntime<S>,
  download: GraphDownloadOptions | undefined,
) {
  // The session has ended: reading its files is not bound by the wait's deadline.
  const waits = (config: LangGraphRunnableConfig, state: S) => ({
    ...nodeWaits(runtime, config, state),
    deadlineAt: null,
  });

  const listArtifacts = async (state: S, config: LangGraphRunnableConfig) => {
    const { client } = await runtime.bind(config, state);
    const artifacts: SessionArtifact[] = [];
    await waitBeforeRetry(
      async () => {
        artifacts.length = 0;
        const pages = client.paginate<Record<string, unknown>>(
          ENDPOINTS.list_all_gumloop_artifacts,
          { agent_id: state.agentId, session_id: state.sessionId, page_size: 100 },
          { signal: config.signal, maxPages: 50 },
        );
        for await (const page of pages) {
          for (const item of page.items) {
            const metadata = (item["metadata"] ?? {}) as Record<string, unknown>;
            artifacts.push({
              id: String(item["id"]),
              filename: typeof item["filename"] === "string" ? item["filename"] : null,
              mediaType: typeof metadata["media_type"] === "string" ? metadata["media_type"] : null,
              size: typeof metadata["size"] === "number" ? metadata["size"] : null,
              versionId: typeof item["version_id"] === "string" ? item["version_id"] : null,
            });
          }
        }
      },
      waits(config, state),
    );
    return { artifacts };
  };

  const downloadArtifacts = async (state: S, config: LangGraphRunnableConfig) => {
    const { client } = await runtime.bind(config, state);
    const index = state.artifacts.findIndex((artifact) => !artifact.bytes);
    if (index < 0) return {};
    const artifact = state.artifacts[index]!;
    // A fresh signed URL every time: they expire, and they are never kept in state.
    const body = await waitBeforeRetry(
      async () => {
        const { data } = await client.call(
          ENDPOINTS.get_single_gumloop_artifact_by_id,
          { artifact_id: artifact.id },
          { signal: config.signal },
        );
        const downloaded = await client.download(data.download_url, {
          ...download,
          operation: "download_gumloop_artifact",
          signal: config.signal,
        });
        return { downloaded, filename: data.filename ?? null, mediaType: data.media_type ?? null };
      },
      waits(config, state),
    );
    const artifacts = [...state.artifacts];
    artifacts[index] = {
      ...artifact,
      filename: artifact.filename ?? body.filename ?? body.downloaded.filename,
      mediaType: body.mediaType ?? artifact.mediaType ?? body.downloaded.mediaType,
      size: body.downloaded.size,
      bytes: body.downloaded.bytes,
    };
    return { artifacts };
  };

  const nextDownload = (state: S) =>
    state.artifacts.some((artifact) => !artifact.bytes) ? "download_artifacts" : END;

  return { listArtifacts, downloadArtifacts, nextDownload };
}
