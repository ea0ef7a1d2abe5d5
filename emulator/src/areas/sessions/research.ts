/**
 * What the research agent "writes": a short report, a Markdown file and a CSV of sources, all naming the topic,
 * so tests and examples can check that the topic made it through the whole pipeline.
 */

/** The topic of a research request: the input, tidied (whitespace collapsed, trailing punctuation dropped). */
export function topicOf(input: string): string {
  const topic = input
    .replace(/\s+/g, " ")
    .trim()
    .replace(/[.!?;:,\s]+$/, "");
  return (topic.length > 120 ? `${topic.slice(0, 117)}...` : topic) || "untitled topic";
}

/** A file-name-safe slug: lower case, ASCII letters and digits joined by dashes. */
export function slugify(topic: string): string {
  const slug = topic
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "");
  return slug || "topic";
}

/** File names of the two artifacts for a topic. */
export function researchFilenames(topic: string): { report: string; sources: string } {
  const slug = slugify(topic);
  return { report: `${slug}-report.md`, sources: `${slug}-sources.csv` };
}

/** The Markdown report artifact. */
export function researchReportMarkdown(topic: string): string {
  return [
    `# Research report: ${topic}`,
    "",
    "## Summary",
    "",
    `This report summarises what is publicly known about ${topic}: the current state, the main players, and the`,
    "open questions worth following up.",
    "",
    "## Key findings",
    "",
    `1. Interest in ${topic} has grown steadily over the last three years.`,
    `2. The most cited sources on ${topic} agree on the fundamentals but differ on timelines.`,
    `3. Costs and adoption are the two factors most likely to shape ${topic} next year.`,
    "",
    "## Sources",
    "",
    `See the accompanying CSV for the ${researchSourceRows(topic).length} sources used.`,
    "",
  ].join("\n");
}

function researchSourceRows(topic: string): string[][] {
  return [
    ["1", `An overview of ${topic}`, "https://example.com/overview", "0.92"],
    ["2", `${topic}: market analysis`, "https://example.com/market", "0.87"],
    ["3", `Recent developments in ${topic}`, "https://example.com/news", "0.81"],
  ];
}

/** Quotes a CSV field when needed (RFC 4180). */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The CSV artifact: one row per source. */
export function researchSourcesCsv(topic: string): string {
  const rows = [["rank", "title", "url", "relevance"], ...researchSourceRows(topic)];
  return rows.map((row) => row.map(csvField).join(",")).join("\r\n") + "\r\n";
}

/** The assistant message that ends a research run. */
export function researchReply(topic: string): string {
  const files = researchFilenames(topic);
  return [
    `Here is my research report on ${topic}.`,
    "",
    `- Interest in ${topic} has grown steadily over the last three years.`,
    `- Sources agree on the fundamentals of ${topic} but differ on timelines.`,
    `- Costs and adoption will shape what happens next.`,
    "",
    `I saved the full report as ${files.report} and the sources as ${files.sources}.`,
  ].join("\n");
}
