/**
 * The session graph's artifact nodes: list_artifacts (every page, up to 50) and download_artifacts (one artifact
 * per step, so a node retry after a 429 repeats one download, not all of them).
 */
import { END, type LangGraphRunnableConfig } from "@langchain/langgraph";
import type { GumloopClient } from "../client/client.js";
import type { Sleep } from "../client/sleep.js";
import { ENDPOINTS } from "../tools/index.js";
import { attemptOf, type GraphDownloadOptions } from "./common.js";
import { waitBeforeRetry, type NodeRetryOptions } from "./retry.js";
import type { SessionArtifact } from "./types.js";

/** The slice of the session graph's state these nodes read. */
interface ArtifactState {
  readonly agentId: string;
  readonly sessionId: string | null;
  readonly artifacts: SessionArtifact[];
}

export function sessionArtifactNodes(options: {
  readonly client: GumloopClient;
  readonly sleep: Sleep;
  readonly retry: NodeRetryOptions | undefined;
  readonly download: GraphDownloadOptions | undefined;
}) {
  const { client, sleep, retry } = options;

  const listArtifacts = async (state: ArtifactState, config: LangGraphRunnableConfig) => {
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
      { safe: true, sleep, signal: config.signal, attempt: attemptOf(config), options: retry },
    );
    return { artifacts };
  };

  const downloadArtifacts = async (state: ArtifactState, config: LangGraphRunnableConfig) => {
    const index = state.artifacts.findIndex((artifact) => !artifact.bytes);
    if (index < 0) return {};
    const artifact = state.artifacts[index]!;
    // A fresh signed URL every time: they expire, and they are never kept in state.
    const body = await waitBeforeRetry(
      async () => {
        const { data } = await client.call<{
          download_url: string;
          filename?: string | null;
          media_type?: string | null;
        }>(
          ENDPOINTS.get_single_gumloop_artifact_by_id,
          { artifact_id: artifact.id },
          { signal: config.signal },
        );
        const downloaded = await client.download(data.download_url, {
          ...options.download,
          operation: "download_gumloop_artifact",
          signal: config.signal,
        });
        return { downloaded, filename: data.filename ?? null, mediaType: data.media_type ?? null };
      },
      { safe: true, sleep, signal: config.signal, attempt: attemptOf(config), options: retry },
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

  const nextDownload = (state: ArtifactState) =>
    state.artifacts.some((artifact) => !artifact.bytes) ? "download_artifacts" : END;

  return { listArtifacts, downloadArtifacts, nextDownload };
}
