/**
 * What a tool in an agent is, read off its metadata: one Gumloop request (a catalogue tool, a per-flow tool, the
 * discovery exposure's `call_tool`), a whole Gumloop job (a composite tool), or none of ours. And which catalogue
 * operations it may run, for approval gates.
 */
import { ALL_ENDPOINTS, ENDPOINTS } from "../tools/index.js";
import type { EndpointDefinition } from "../tools/types.js";

/**
 * `call`: one Gumloop request per call, so a 429 or a transient failure may be repeated (the client already turned
 * every failure that may have done work into OutcomeUnknownError). `job`: a composite tool, whose graph waits out
 * 429s itself and may have started a job before it failed, so it is never repeated. `other`: not a Gumloop tool.
 */
export type ToolKind = "call" | "job" | "other";

/** What the package's tools carry in `metadata` (see buildTool, flowTool, compositeTools, discoveryTools). */
interface GumloopMetadata {
  readonly route?: unknown;
  readonly composite?: unknown;
  readonly discovery?: unknown;
  readonly callable?: unknown;
}

/** The start operation each composite tool's job begins with. */
const JOB_STARTS: Readonly<Record<string, EndpointDefinition>> = {
  run_gumloop_agent_session: ENDPOINTS.create_a_gumloop_session,
  run_gumloop_flow: ENDPOINTS.create_a_gumloop_flow_run,
  export_gumloop_data: ENDPOINTS.create_a_gumloop_export_datum,
};

function metadataOf(tool: unknown): GumloopMetadata {
  const metadata = (tool as { metadata?: unknown } | undefined)?.metadata;
  return metadata && typeof metadata === "object" ? (metadata as GumloopMetadata) : {};
}

function nameOf(tool: unknown): string {
  const name = (tool as { name?: unknown } | undefined)?.name;
  return typeof name === "string" ? name : "";
}

/** The kind of `tool` (a LangChain tool, or undefined for one the agent does not know). */
export function toolKindOf(tool: unknown): ToolKind {
  const metadata = metadataOf(tool);
  if (metadata.composite === true && Object.hasOwn(JOB_STARTS, nameOf(tool))) return "job";
  if (typeof metadata.route === "string") return "call";
  if (metadata.discovery === true && nameOf(tool) === "call_tool") return "call";
  return "other";
}

/** A catalogue definition by tool name, when a tool of that name is a Gumloop request for its route. */
function catalogueEntry(name: string, route: unknown): EndpointDefinition | undefined {
  const definition = Object.hasOwn(ENDPOINTS, name)
    ? (ENDPOINTS as Record<string, EndpointDefinition>)[name]
    : undefined;
  return definition && definition.route === route ? definition : undefined;
}

/**
 * The catalogue operations a call of `tool` may run: its own (a catalogue tool, under its Truto name), the start
 * of its job (a composite tool), the flow start (a per-flow tool, which carries that route), every tool
 * `call_tool` may run; none for a tool that is not ours.
 */
export function operationsOf(tool: unknown): EndpointDefinition[] {
  const metadata = metadataOf(tool);
  const name = nameOf(tool);
  if (toolKindOf(tool) === "job") return [JOB_STARTS[name]!];
  if (typeof metadata.route === "string") {
    const own = catalogueEntry(name, metadata.route);
    if (own) return [own];
    return ALL_ENDPOINTS.filter((definition) => definition.route === metadata.route).slice(0, 1);
  }
  if (toolKindOf(tool) === "call" && Array.isArray(metadata.callable)) {
    return metadata.callable.flatMap((callable) =>
      typeof callable === "string" && Object.hasOwn(ENDPOINTS, callable)
        ? [(ENDPOINTS as Record<string, EndpointDefinition>)[callable]!]
        : [],
    );
  }
  return [];
}
