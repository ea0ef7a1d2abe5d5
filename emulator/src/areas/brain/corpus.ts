/**
 * What Company Brain can find: a small fixed set of documents in the connected sources (written for the emulator),
 * plus every artifact the caller's agents have produced (source `gumloop_artifacts`), so a research session's
 * report becomes searchable as it would in Gumloop. Scoring is keyword overlap, title words counting double,
 * normalised to 0-1 (Gumloop's search is hybrid semantic + keyword; the emulator keeps only the keyword half).
 */
import type { AreaEnv } from "../../area.js";
import type { Principal } from "../../server/auth.js";
import { canAccessTeam } from "../../server/auth.js";
import { iso, parseIso } from "../../world/time.js";
import { latestVersion } from "../artifacts/store.js";

/** The source types Brain indexes (brain.yml). */
export const BRAIN_SOURCES = [
  "notion",
  "google_drive",
  "slack",
  "github",
  "confluence",
  "direct_file_uploads",
  "gumloop_artifacts",
] as const;

/** One of {@link BRAIN_SOURCES}. */
export type BrainSource = (typeof BRAIN_SOURCES)[number];

/** A searchable document. */
export interface BrainDocument {
  readonly id: string;
  readonly source: BrainSource;
  readonly title: string;
  readonly content: string;
  readonly url: string | null;
  readonly updatedAt: number;
  readonly ownerName: string | null;
  readonly ownerEmail: string | null;
  readonly parentTitle: string | null;
}

const doc = (
  id: string,
  source: BrainSource,
  title: string,
  parentTitle: string | null,
  updated: string,
  content: string,
): BrainDocument => ({
  id: `${source}:${id}`,
  source,
  title,
  content,
  url: source === "direct_file_uploads" ? null : `https://brain.example.com/${source}/${id}`,
  updatedAt: parseIso(updated)!,
  ownerName: "Ada Lovelace",
  ownerEmail: "ada@example.com",
  parentTitle,
});

/** The fixed documents: sources connected in the default user's organization, searchable by its members. */
export const SEED_BRAIN_DOCUMENTS: readonly BrainDocument[] = [
  doc(
    "7c1e",
    "notion",
    "Travel expense policy",
    "Finance handbook",
    "2026-04-02T09:00:00Z",
    "Book economy fares for flights under six hours. Hotel stays are reimbursed up to the city rate; keep every receipt and file the expense report within two weeks of returning.",
  ),
  doc(
    "9a42",
    "confluence",
    "Incident response runbook",
    "Engineering",
    "2026-05-11T14:20:00Z",
    "When an alert pages the on-call engineer, acknowledge within five minutes, open an incident channel, and post a status update every thirty minutes until the incident is resolved.",
  ),
  doc(
    "b310",
    "google_drive",
    "Q3 product roadmap",
    "Product planning",
    "2026-05-20T08:15:00Z",
    "The third quarter focuses on streaming agent output, faster session start, and evaluation dashboards. Each theme has an owner and a launch review in September.",
  ),
  doc(
    "c55d",
    "slack",
    "Support escalation thread",
    "#support-escalations",
    "2026-05-27T16:45:00Z",
    "Escalate to tier two when a customer reports data loss or a billing error; tier two answers within four business hours and loops in engineering if needed.",
  ),
  doc(
    "d08f",
    "github",
    "Release checklist",
    "platform/README",
    "2026-05-29T11:30:00Z",
    "Before a release: run the full test suite, update the changelog, tag the commit, and watch error rates for an hour after the deploy.",
  ),
  doc(
    "e7b2",
    "direct_file_uploads",
    "Brand voice guide",
    null,
    "2026-03-18T10:00:00Z",
    "Write plainly and warmly. Prefer short sentences, active verbs and concrete examples; avoid jargon unless the reader uses it first.",
  ),
];

/**
 * The documents `principal` may search: the fixed ones (for members of the default user's organization) and the
 * artifacts of agents in teams it reaches.
 */
export function searchableDocuments(env: AreaEnv, principal: Principal): BrainDocument[] {
  const orgOf = (userId: string) => env.store.users.get(userId)?.orgId;
  const shared = orgOf(principal.userId) === orgOf(env.identity.userId) ? SEED_BRAIN_DOCUMENTS : [];
  const artifacts: BrainDocument[] = [];
  for (const artifact of env.store.artifacts.values()) {
    if (artifact.deleted) continue;
    const agent = env.store.agents.get(artifact.agentId);
    if (!agent || !canAccessTeam(principal, env.store, agent.teamId)) continue;
    const version = latestVersion(artifact);
    const blob = env.store.blobs.get(version.blobKey);
    if (!blob || !/^(text\/|application\/json)/.test(version.mediaType)) continue;
    const creator = version.creatorId ? env.store.users.get(version.creatorId) : undefined;
    artifacts.push({
      id: `gumloop_artifacts:${artifact.id}`,
      source: "gumloop_artifacts",
      title: version.filename,
      content: new TextDecoder().decode(blob.bytes),
      url: null,
      updatedAt: version.createdAt,
      ownerName: creator ? `${creator.firstName} ${creator.lastName}` : null,
      ownerEmail: creator?.email ?? null,
      parentTitle: agent.name,
    });
  }
  return [...shared, ...artifacts];
}

function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]{2,}/gu) ?? [];
}

/** A document scored against the query words, with its best snippet. */
export interface BrainHit {
  readonly document: BrainDocument;
  readonly score: number;
  readonly snippet: string;
}

/** The documents matching `query`, best first (ties by title), each with a 0-1 score and a snippet. */
export function search(documents: readonly BrainDocument[], query: string): BrainHit[] {
  const terms = [...new Set(words(query))];
  if (terms.length === 0) return [];
  const hits: BrainHit[] = [];
  for (const document of documents) {
    const title = new Set(words(document.title));
    const body = new Set(words(document.content));
    const points = terms.reduce((sum, term) => sum + (title.has(term) ? 2 : 0) + (body.has(term) ? 1 : 0), 0);
    if (points === 0) continue;
    hits.push({
      document,
      score: Math.round((points / (terms.length * 3)) * 100) / 100,
      snippet: snippetOf(document.content, terms),
    });
  }
  return hits.sort((a, b) => b.score - a.score || a.document.title.localeCompare(b.document.title));
}

/** About 300 characters of `content` around the first query word it contains. */
function snippetOf(content: string, terms: readonly string[]): string {
  const lower = content.toLowerCase();
  const at = Math.min(...terms.map((term) => lower.indexOf(term)).filter((i) => i >= 0), content.length);
  const start = Math.max(0, at - 60);
  const piece = content
    .slice(start, start + 300)
    .replace(/\s+/g, " ")
    .trim();
  return `${start > 0 ? "…" : ""}${piece}${start + 300 < content.length ? "…" : ""}`;
}

/** A hit on the wire (brain.yml `results[]`). */
export function hitView(hit: BrainHit): Record<string, unknown> {
  const { document } = hit;
  return {
    document_id: document.id,
    source: document.source,
    title: document.title,
    content: hit.snippet,
    url: document.url,
    score: hit.score,
    updated_at: iso(document.updatedAt),
    owner_name: document.ownerName,
    owner_email: document.ownerEmail,
    parent_title: document.parentTitle,
    metadata: {},
  };
}
