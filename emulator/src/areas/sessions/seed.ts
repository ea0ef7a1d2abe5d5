/**
 * Default seed of the session history: three completed research sessions with their artifacts, at fixed ids and
 * dates (before the virtual clock's 2026-06-01 start), so every run sees the same data. `seedData.artifacts` is
 * merged in.
 */
import type { AreaEnv } from "../../area.js";
import type { SessionRecord } from "../../world/model.js";
import { parseIso } from "../../world/time.js";
import { SEED_AGENTS } from "../agents/seed.js";
import { addArtifact, addArtifactVersion } from "../artifacts/store.js";
import { researchFilenames, researchReply, researchReportMarkdown, researchSourcesCsv } from "./research.js";
import { emptyUsage, textMessage } from "./runs.js";

/** Ids of the seeded historical sessions (all completed research runs, each with artifacts). */
export const SEED_SESSIONS = {
  quantum: "sess_seedQuant01",
  solar: "sess_seedSolar02",
  acme: "sess_seedAcme003",
} as const;

const at = (isoDate: string) => parseIso(isoDate)!;

/** One completed research session with its report, sources and (optionally) extra files. */
function seedResearchSession(env: AreaEnv, id: string, topic: string, start: string): SessionRecord {
  const startedAt = at(start);
  const finishedAt = startedAt + 8_000;
  const userId = env.identity.userId;
  const session: SessionRecord = {
    id,
    agentId: SEED_AGENTS.research,
    name: `Research: ${topic}`,
    type: "api",
    state: "completed",
    messages: [
      textMessage(env, "user", topic, startedAt, userId),
      textMessage(env, "assistant", researchReply(topic), finishedAt, null),
    ],
    createdAt: startedAt,
    creatorId: userId,
    participantIds: [userId],
    metadata: {},
    usage: {
      ...emptyUsage(),
      creditCost: 2.4,
      toolCreditCost: 1,
      flowCreditCost: 0,
      inputTokens: 1200,
      cachedInputTokens: 0,
      cacheWriteInputTokens: 0,
      outputTokens: 850,
      reasoningTokens: 0,
    },
    pendingApprovals: [],
    jobId: null,
    runCount: 1,
  };
  env.store.sessions.set(id, session);
  const files = researchFilenames(topic);
  const common = { agentId: SEED_AGENTS.research, sessionId: id, creatorId: userId };
  addArtifact(env, {
    ...common,
    filename: files.report,
    mediaType: "text/markdown",
    content: researchReportMarkdown(topic),
    createdAt: finishedAt,
  });
  addArtifact(env, {
    ...common,
    filename: files.sources,
    mediaType: "text/csv",
    content: researchSourcesCsv(topic),
    createdAt: finishedAt + 1_000,
  });
  return session;
}

/**
 * Seeds three completed research sessions and their seven artifacts (enough for several pages at a small
 * `page_size`; one artifact has two versions), then `seedData.artifacts`.
 */
export function seedHistory(env: AreaEnv): void {
  const userId = env.identity.userId;
  seedResearchSession(env, SEED_SESSIONS.quantum, "Quantum computing", "2026-05-20T09:00:00Z");
  const solar = seedResearchSession(env, SEED_SESSIONS.solar, "Solar energy storage", "2026-05-25T10:00:00Z");
  seedResearchSession(env, SEED_SESSIONS.acme, "Acme Corp", "2026-05-28T11:00:00Z");

  const data = JSON.stringify({ topic: "Quantum computing", qubits: [53, 127, 433, 1121] }, null, 2);
  addArtifact(env, {
    agentId: SEED_AGENTS.research,
    sessionId: SEED_SESSIONS.quantum,
    filename: "quantum-computing-data.json",
    mediaType: "application/json",
    content: data,
    createdAt: at("2026-05-20T09:00:10Z"),
    creatorId: userId,
  });
  // A second version of the Solar report, so `version_id` has something to select.
  const solarReport = [...env.store.artifacts.values()].find(
    (a) => a.sessionId === solar.id && a.versions[0]!.filename.endsWith("-report.md"),
  )!;
  addArtifactVersion(env, solarReport, {
    filename: solarReport.versions[0]!.filename,
    mediaType: "text/markdown",
    content: `${researchReportMarkdown("Solar energy storage")}\n## Update\n\nRevised with 2026 figures on Solar energy storage.\n`,
    createdAt: at("2026-05-26T08:00:00Z"),
    creatorId: userId,
  });

  for (const extra of env.options.seedData.artifacts ?? []) {
    addArtifact(env, {
      ...(extra.id ? { id: extra.id } : {}),
      agentId: extra.agent_id,
      sessionId: extra.session_id ?? null,
      filename: extra.filename,
      mediaType: extra.media_type,
      content: extra.content,
      createdAt: extra.created_at
        ? (parseIso(extra.created_at) ?? at("2026-05-30T09:00:00Z"))
        : at("2026-05-30T09:00:00Z"),
      creatorId: userId,
    });
  }
}
